import { ValidationError, ValidationPipe } from '@nestjs/common';
import { InvalidInput } from './errors';

/** class-validator's nested errors as the `{field, message}` list every 400 carries. */
export function flatten(errors: ValidationError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? 'unknown field' : message.replace(new RegExp(`^${e.property} `), ''),
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** What the API's DTO validation allows; the web forms validate with the same options. */
export const VALIDATOR_OPTIONS = { whitelist: true, forbidNonWhitelisted: true } as const;

/** DTOs validate bodies and queries; unknown fields are refused, never silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => new InvalidInput(flatten(errors)),
  });
}
