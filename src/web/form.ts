import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { InvalidInput } from '../common/errors';
import { flatten, VALIDATOR_OPTIONS } from '../common/validation';

export interface FormRules {
  /** Optional inputs a browser sends empty when left blank: empty means "not given". */
  blankIsAbsent?: string[];
  /** Hidden inputs that carry a JSON value (the week's list of posts). */
  json?: string[];
}

/** Express hands a field given twice over as an array; no form of ours sends one, so it is refused. */
function oneValue(field: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new InvalidInput([{ field, message: Array.isArray(value) ? 'is given more than once' : 'must be a single value' }]);
}

/** An HTML form sends text only: whole numbers go to the DTO's number fields as numbers. */
function isNumberField(dto: ClassConstructor<object>, field: string): boolean {
  return Reflect.getMetadata('design:type', dto.prototype, field) === Number;
}

/**
 * A posted form as the API's DTO, validated with the API's own rules (unknown fields refused, every
 * error naming its field): the web cannot accept what the API refuses. `_csrf` belongs to the
 * session guard, which has already checked it.
 */
export function parseForm<T extends object>(dto: ClassConstructor<T>, body: unknown, rules: FormRules = {}): T {
  const fields = body !== null && typeof body === 'object' ? { ...(body as Record<string, unknown>) } : {};
  delete fields._csrf;
  const plain: Record<string, unknown> = {};
  const errors: { field: string; message: string }[] = [];
  for (const [field, raw] of Object.entries(fields)) {
    const value = oneValue(field, raw)!;
    if (value === '' && rules.blankIsAbsent?.includes(field)) continue;
    if (rules.json?.includes(field)) {
      try {
        plain[field] = JSON.parse(value);
      } catch {
        errors.push({ field, message: 'is not valid JSON' });
      }
    } else {
      plain[field] = isNumberField(dto, field) && /^\d{1,15}$/.test(value) ? Number(value) : value;
    }
  }
  if (errors.length > 0) throw new InvalidInput(errors);
  const form = plainToInstance(dto, plain);
  const problems = validateSync(form, VALIDATOR_OPTIONS);
  if (problems.length > 0) throw new InvalidInput(flatten(problems));
  return form;
}

const FormParam = createParamDecorator((spec: { dto: ClassConstructor<object>; rules?: FormRules }, context: ExecutionContext) =>
  parseForm(spec.dto, context.switchToHttp().getRequest().body, spec.rules));

/** The posted form, validated with the API's DTO: `@Form(EditPostDto) body: EditPostDto`. */
export const Form = (dto: ClassConstructor<object>, rules?: FormRules) => FormParam({ dto, rules });

/**
 * One query parameter of a page, refused with 400 when given twice. A custom decorator on purpose:
 * the global ValidationPipe would turn `['HR', 'SI']` into the string "HR,SI".
 */
export const QueryValue = createParamDecorator((field: string, context: ExecutionContext): string | undefined =>
  oneValue(field, context.switchToHttp().getRequest().query?.[field]));
