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
  /**
   * Checkboxes of posts (`field`, any number of them, `id:revision` each) added to the JSON list
   * `into`, each post once: ticking a post and "all of the week" sends it twice.
   */
  selection?: { field: string; into: string };
}

const PICK = /^(\d{1,15}):(\d{1,15})$/;

/** The ticked posts as `{id, revision}`; an unreadable value is refused naming the field. */
function picked(field: string, raw: unknown, errors: { field: string; message: string }[]): { id: number; revision: number }[] {
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return values.flatMap((value) => {
    const m = typeof value === 'string' ? PICK.exec(value) : null;
    if (m) return [{ id: Number(m[1]), revision: Number(m[2]) }];
    errors.push({ field, message: 'must be a post as id:revision' });
    return [];
  });
}

/** The list and the ticked posts together, each id once (the first revision given wins). */
function mergeSelection(list: unknown, picks: { id: number; revision: number }[]): unknown {
  if (list !== undefined && !Array.isArray(list)) return list; // the DTO says what is wrong with it
  const merged = [...((list as unknown[] | undefined) ?? []), ...picks];
  const seen = new Set<unknown>();
  return merged.filter((item) => {
    const id = item && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
    if (id === undefined) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
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
  const picks = rules.selection ? picked(rules.selection.field, fields[rules.selection.field], errors) : [];
  if (rules.selection) delete fields[rules.selection.field];
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
  if (rules.selection && (picks.length || plain[rules.selection.into] !== undefined)) plain[rules.selection.into] = mergeSelection(plain[rules.selection.into], picks);
  const form = plainToInstance(dto, plain);
  const problems = validateSync(form, VALIDATOR_OPTIONS);
  if (problems.length > 0) throw new InvalidInput(flatten(problems));
  return form;
}

const FormParam = createParamDecorator((spec: { dto: ClassConstructor<object>; rules?: FormRules }, context: ExecutionContext) =>
  parseForm(spec.dto, context.switchToHttp().getRequest().body, spec.rules));

/** The posted form, validated with the API's DTO: `@Form(EditPostDto) body: EditPostDto`. */
export const Form = (dto: ClassConstructor<object>, rules?: FormRules) => FormParam({ dto, rules });

/** Several query parameters of a page (filters), each refused with 400 when given twice. */
export function queryValues(query: Record<string, unknown> | undefined, fields: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(fields.map((field) => [field, oneValue(field, query?.[field])]));
}

/**
 * One query parameter of a page, refused with 400 when given twice. A custom decorator on purpose:
 * the global ValidationPipe would turn `['HR', 'SI']` into the string "HR,SI".
 */
export const QueryValue = createParamDecorator((field: string, context: ExecutionContext): string | undefined =>
  oneValue(field, context.switchToHttp().getRequest().query?.[field]));
