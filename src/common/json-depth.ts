import type { NextFunction, Request, Response } from 'express';

/**
 * JSON bodies nested deeper than this are refused with 400. A campaign is six levels deep; 100,000
 * levels overflowed the stack of class-transformer (PATCH) and of error messages (POST), a 500.
 */
export const MAX_JSON_DEPTH = 32;

/** Whether objects and arrays nest deeper than `max` (the top level is 1); iterative, so any depth is safe. */
export function jsonDepthExceeds(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}

/** After the JSON parser: a too-deep body fails like a malformed one (ErrorFilter answers 400). */
export function refuseDeepJson(max = MAX_JSON_DEPTH) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!jsonDepthExceeds(req.body, max)) return next();
    next(Object.assign(new Error(`JSON nested deeper than ${max} levels`), { status: 400, type: 'entity.too.deep' }));
  };
}
