import { jsonDepthExceeds, MAX_JSON_DEPTH } from './json-depth';
import { isIsoDate } from '../time/local-time';
import { isSupportedLocale } from '../templates/locales';

/** One problem with one field of the input: `members[3].timezone: "Europe/Atlantis" is not …`. */
export interface FieldError {
  path: string;
  message: string;
}

export function formatFieldError(error: FieldError): string {
  return error.path ? `${error.path}: ${error.message}` : error.message;
}

interface StringRule {
  pattern?: RegExp;
  test?: (value: string) => boolean;
  hint?: string;
}

type ItemReader<T> = (list: ObjectReader, index: number) => T | undefined;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

const DESCRIBED_LENGTH = 80;

/** A bad value as an error quotes it: short, whatever the input (a 1 MB string, a list nested 10,000 deep). */
function describe(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  // Too deep to quote, by our own limit: whether JSON.stringify throws on 100,000 levels depends on
  // the Node version (20 and 24 overflow the stack, 26 returns a 200 KB string).
  const elided = Array.isArray(value) ? '[…]' : '{…}';
  let text: string;
  try {
    text = jsonDepthExceeds(value, MAX_JSON_DEPTH) ? elided : (JSON.stringify(value) ?? String(value));
  } catch {
    text = elided; // not serialisable (a BigInt)
  }
  return text.length > DESCRIBED_LENGTH ? `${text.slice(0, DESCRIBED_LENGTH - 1)}…` : text;
}

/**
 * Reads untrusted nested input (a YAML campaign, a JSON body) field by field, collecting every error
 * with its path instead of stopping at the first one.
 */
export class ObjectReader {
  constructor(
    readonly value: unknown,
    readonly path: string,
    private readonly errors: FieldError[],
  ) {
    if (!isPlainObject(value) && !Array.isArray(value)) this.errors.push({ path, message: 'must be an object' });
  }

  private get object(): Record<string, unknown> {
    return isPlainObject(this.value) ? this.value : {};
  }

  private pathOf(key: string | number): string {
    if (typeof key === 'number') return `${this.path}[${key}]`;
    if (key.startsWith('[')) return `${this.path}${key}`;
    return this.path ? `${this.path}.${key}` : key;
  }

  error(key: string | number, message: string): void {
    this.errors.push({ path: this.pathOf(key), message });
  }

  has(key: string): boolean {
    return this.object[key] !== undefined && this.object[key] !== null;
  }

  child(key: string): ObjectReader {
    return new ObjectReader(this.object[key], this.pathOf(key), this.errors);
  }

  rejectUnknown(known: string[]): void {
    for (const key of Object.keys(this.object)) {
      if (!known.includes(key)) this.error(key, `unknown field (expected one of: ${known.join(', ')})`);
    }
  }

  private checkString(value: unknown, at: string | number, rule: StringRule = {}): string | undefined {
    if (typeof value !== 'string' || value.trim() === '') {
      this.error(at, `must be a non-empty string, got ${describe(value)}`);
      return undefined;
    }
    if ((rule.pattern && !rule.pattern.test(value)) || (rule.test && !rule.test(value))) {
      this.error(at, `${describe(value)} is invalid${rule.hint ? ` (${rule.hint})` : ''}`);
      return undefined;
    }
    return value;
  }

  string(key: string, rule?: StringRule): string | undefined {
    if (!this.has(key)) return void this.error(key, 'is required');
    return this.checkString(this.object[key], key, rule);
  }

  optionalString(key: string, rule?: StringRule): string | undefined {
    return this.has(key) ? this.checkString(this.object[key], key, rule) : undefined;
  }

  optionalNumber(key: string, range: { min: number; max: number }): number | undefined {
    if (!this.has(key)) return undefined;
    const value = this.object[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < range.min || value > range.max) {
      return void this.error(key, `must be a number from ${range.min} to ${range.max}, got ${describe(value)}`);
    }
    return value;
  }

  optionalBoolean(key: string): boolean | undefined {
    if (!this.has(key)) return undefined;
    const value = this.object[key];
    if (typeof value !== 'boolean') return void this.error(key, `must be true or false, got ${describe(value)}`);
    return value;
  }

  enumValue<T extends string>(key: string, values: readonly T[]): T | undefined {
    return this.string(key, { test: (v) => values.includes(v as T), hint: `one of ${values.join(', ')}` }) as T | undefined;
  }

  /** YAML reads an unquoted 2021-10-18 as a Date: both forms are accepted as a local date. */
  private checkDate(value: unknown, at: string | number): string | undefined {
    const text = value instanceof Date && !isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value;
    if (!isIsoDate(text)) return void this.error(at, `${describe(value)} is not a date (YYYY-MM-DD)`);
    return text;
  }

  date(key: string): string | undefined {
    if (!this.has(key)) return void this.error(key, 'is required');
    return this.checkDate(this.object[key], key);
  }

  locale(key: string): string | undefined {
    return this.string(key, { test: isSupportedLocale, hint: 'not a supported BCP 47 locale' });
  }

  list<T>(key: string, read: ItemReader<T>, options: { unique?: boolean; uniqueBy?: (item: T) => unknown } = {}): T[] | undefined {
    if (!this.has(key)) return void this.error(key, 'is required');
    const value = this.object[key];
    if (Array.isArray(value) && value.length === 0) this.error(key, 'must not be empty');
    return this.optionalList(key, read, options);
  }

  optionalList<T>(key: string, read: ItemReader<T>, options: { unique?: boolean; uniqueBy?: (item: T) => unknown } = {}): T[] | undefined {
    if (!this.has(key)) return undefined;
    const value = this.object[key];
    if (!Array.isArray(value)) return void this.error(key, `must be a list, got ${describe(value)}`);
    const reader = new ObjectReader(value, this.pathOf(key), this.errors);
    const items: T[] = [];
    const seen = new Set<unknown>();
    value.forEach((_, i) => {
      const item = read(reader, i);
      if (item === undefined) return;
      const identity = options.uniqueBy ? options.uniqueBy(item) : options.unique ? item : undefined;
      if (identity !== undefined && seen.has(identity)) reader.error(i, `${describe(identity)} is listed twice`);
      seen.add(identity);
      items.push(item);
    });
    return items;
  }

  item(index: number): ObjectReader | undefined {
    const value = (this.value as unknown[])[index];
    if (!isPlainObject(value)) return void this.error(index, `must be an object, got ${describe(value)}`);
    return new ObjectReader(value, this.pathOf(index), this.errors);
  }

  itemString(index: number, rule?: StringRule): string | undefined {
    return this.checkString((this.value as unknown[])[index], index, rule);
  }

  itemEnum<T extends string>(index: number, values: readonly T[]): T | undefined {
    return this.itemString(index, { test: (v) => values.includes(v as T), hint: `one of ${values.join(', ')}` }) as T | undefined;
  }

  itemLocale(index: number): string | undefined {
    return this.itemString(index, { test: isSupportedLocale, hint: 'not a supported BCP 47 locale' });
  }

  itemDate(index: number): string | undefined {
    return this.checkDate((this.value as unknown[])[index], index);
  }

  stringMap(key: string, options: { keyTest: (key: string) => boolean }): Record<string, string> | undefined {
    if (!this.has(key)) return void this.error(key, 'is required');
    const map = this.object[key];
    if (!isPlainObject(map)) return void this.error(key, `must be a map of locale → text, got ${describe(map)}`);
    const result: Record<string, string> = {};
    for (const [k, v] of Object.entries(map)) {
      if (!options.keyTest(k)) this.error(`${key}.${k}`, 'is not a supported locale');
      else if (this.checkString(v, `${key}.${k}`) !== undefined) result[k] = v as string;
    }
    return result;
  }

  optionalScalarMap(key: string, keyPattern: RegExp): Record<string, string | number> | undefined {
    if (!this.has(key)) return undefined;
    const map = this.object[key];
    if (!isPlainObject(map)) return void this.error(key, `must be a map, got ${describe(map)}`);
    const result: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(map)) {
      if (!keyPattern.test(k)) this.error(`${key}.${k}`, 'is not a valid name (letters, digits, _)');
      else if (typeof v === 'number' && Number.isFinite(v)) result[k] = v;
      else if (typeof v === 'string') result[k] = v;
      else this.error(`${key}.${k}`, `must be a number or a string, got ${describe(v)}`);
    }
    return result;
  }
}
