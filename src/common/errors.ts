import { BadRequestException, ConflictException, ForbiddenException } from '@nestjs/common';
import type { FieldError } from './object-reader';

/** 400 whose body lists every bad field: `{message, errors: [{field, message}]}`. */
export class InvalidInput extends BadRequestException {
  constructor(errors: FieldError[] | { field: string; message: string }[], summary?: string) {
    const list = errors.map((e) => ('path' in e ? { field: e.path, message: e.message } : e));
    super({
      message: summary ?? list.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; '),
      errors: list,
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
