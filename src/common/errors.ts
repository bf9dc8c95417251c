import { BadRequestException, ConflictException, ForbiddenException } from '@nestjs/common';
import type { FieldError } from './object-reader';

/** An error body lists this many field errors at most; a crafted input must not make a huge answer. */
export const MAX_LISTED_ERRORS = 100;

/**
 * 400 whose body lists the bad fields: `{message, errors: [{field, message}]}`. Past the first
 * MAX_LISTED_ERRORS, `more` counts the errors left out (absent when none were).
 */
export class InvalidInput extends BadRequestException {
  constructor(errors: FieldError[] | { field: string; message: string }[], summary?: string) {
    const list = errors.slice(0, MAX_LISTED_ERRORS).map((e) => ('path' in e ? { field: e.path, message: e.message } : e));
    const more = errors.length - list.length;
    const joined = list.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
    super({
      message: summary ?? (more > 0 ? `${joined}; … and ${more} more` : joined),
      errors: list,
      ...(more > 0 ? { more } : {}),
    });
  }
}

export class NotYours extends ForbiddenException {
  constructor(what = 'this post') {
    super(`${what} belongs to another member`);
  }
}

export class StaleRevision extends ConflictException {
  constructor(current: number, given: number) {
    super({ message: `revision ${given} is stale: the post is at revision ${current}; reload it and try again`, currentRevision: current });
  }
}

/** A refused state transition as the HTTP error it is. */
export function transitionError(result: { error: 'forbidden' | 'conflict' | 'invalid'; reason: string }): Error {
  if (result.error === 'forbidden') return new ForbiddenException(result.reason);
  if (result.error === 'conflict') return new ConflictException(result.reason);
  const [field, ...rest] = result.reason.split(': ');
  return new InvalidInput([{ field, message: rest.join(': ') }]);
}
