import { InvalidInput } from '../common/errors';
import { POST_STATUSES } from '../posts/post-status';

/** What the calendar's GET form asks for; every field is optional and kept in the URL. */
export interface CalendarFilters {
  member?: string;
  network?: string;
  locale?: string;
  theme?: string;
  status?: string;
  q?: string;
  /** The first date of one of the campaign's weeks: only that week is shown. */
  week?: string;
  view?: string;
}

const FILTER_FIELDS = ['member', 'network', 'locale', 'theme', 'status', 'q', 'week', 'view'] as const;
const MAX_VALUE = 100;
const MAX_QUERY = 200;

/**
 * The calendar's query, checked: blank means "not given"; an unknown status or view, a malformed
 * week or an overlong value is a 400 naming the field (no value reaches SQL except as a parameter).
 */
export function parseCalendarFilters(query: Record<string, string | undefined>): CalendarFilters {
  const filters: CalendarFilters = {};
  const errors: { field: string; message: string }[] = [];
  for (const field of FILTER_FIELDS) {
    const value = query[field]?.trim();
    if (!value) continue;
    if (value.length > (field === 'q' ? MAX_QUERY : MAX_VALUE)) errors.push({ field, message: `is longer than ${field === 'q' ? MAX_QUERY : MAX_VALUE} characters` });
    else filters[field] = value;
  }
  if (filters.status && !(POST_STATUSES as readonly string[]).includes(filters.status)) errors.push({ field: 'status', message: `must be one of ${POST_STATUSES.join(', ')}` });
  if (filters.view && !['grid', 'agenda'].includes(filters.view)) errors.push({ field: 'view', message: 'must be grid or agenda' });
  if (filters.week && !/^\d{4}-\d\d-\d\d$/.test(filters.week)) errors.push({ field: 'week', message: 'must be a date (YYYY-MM-DD)' });
  if (errors.length) throw new InvalidInput(errors);
  return filters;
}

/** The page's URL with its filters, some replaced or dropped (`undefined`): links keep what the user chose. */
export function calendarHref(base: string, filters: CalendarFilters, change: Partial<CalendarFilters> = {}): string {
  const merged: CalendarFilters = { ...filters, ...change };
  const params = new URLSearchParams();
  for (const field of FILTER_FIELDS) {
    const value = merged[field];
    if (value) params.set(field, value);
  }
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}

/** `%` and `_` are wildcards of LIKE: a search for "50%" means the characters, escaped with `\`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A case-insensitive "contains" in SQL. PostgreSQL lowers any script (lower() follows the UTF-8
 * ctype). SQLite's lower() and LIKE fold ASCII only, so "трговина" would miss "Трговина": it is
 * asked for as typed, in lower case, in upper case and with a capital first letter, which covers
 * how words appear in posts (mid-sentence, all-caps hashtags, sentence starts).
 */
export function textContains(column: string, q: string, sqlite: boolean): { sql: string; params: Record<string, string> } {
  if (!sqlite) return { sql: `lower(${column}) LIKE :q0 ESCAPE '\\'`, params: { q0: `%${escapeLike(q.toLowerCase())}%` } };
  const lower = q.toLowerCase();
  // LIKE already folds ASCII: one pattern does for an ASCII query.
  const variants = /^[\x00-\x7f]*$/.test(q) ? [q] : [...new Set([q, lower, q.toUpperCase(), lower.charAt(0).toUpperCase() + lower.slice(1)])];
  const params = Object.fromEntries(variants.map((v, i) => [`q${i}`, `%${escapeLike(v)}%`]));
  return { sql: `(${variants.map((_, i) => `${column} LIKE :q${i} ESCAPE '\\'`).join(' OR ')})`, params };
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/**
 * Characters that join with their neighbours into one grapheme (surrogate pairs, combining marks,
 * joiners, variation selectors, Hangul jamo): text without them near the cut is cut by index.
 */
const JOINING = /[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0900-\u0dff\u1100-\u11ff\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\ud800-\udfff]/;

/** The start of a post for a card: at most `max` graphemes (a flag or a family emoji is never cut), lines joined. */
export function textStart(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  // Segmenting every card's text is most of a large page's time; plain text is cut by index.
  if (!JOINING.test(flat.slice(0, max + 1))) return `${flat.slice(0, max).trimEnd()}…`;
  let out = '';
  let count = 0;
  for (const { segment } of segmenter.segment(flat)) {
    if (count === max) return `${out.trimEnd()}…`;
    out += segment;
    count++;
  }
  return out;
}
