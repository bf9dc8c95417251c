import { DateTime, IANAZone, Info } from 'luxon';

const MINUTE = 60_000;
/** A wall time with no offset or zone: `2021-10-29T10:00`, seconds optional. */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?$/;
const DAY = 86_400_000;

export function isValidTimeZone(zone: string): boolean {
  return Info.isValidIANAZone(zone);
}

/** A member's wall-clock time: `2021-10-29T10:00` (no offset) in an IANA zone. */
export interface LocalWallTime {
  local: string;
  timezone: string;
}

/**
 * Turns a local wall time in an IANA zone into the UTC instant, by RFC 5545 §3.3.5 (what calendar
 * clients do with a TZID time): an ambiguous time is its FIRST occurrence, a non-existent time (in a
 * spring-forward gap) is read with the offset in force BEFORE the gap. luxon alone picks the later
 * occurrence for ambiguous times, so it cannot be used directly (pitfalls.md §5).
 */
export function resolveLocalTime(local: string, timezone: string): Date {
  const zone = IANAZone.create(timezone);
  if (!zone.isValid) throw new RangeError(`"${timezone}" is not an IANA time zone`);
  const wall = DateTime.fromISO(local, { zone: 'UTC', setZone: false });
  if (!LOCAL_DATE_TIME.test(local) || !wall.isValid) {
    throw new RangeError(`"${local}" is not a local date-time (YYYY-MM-DDTHH:mm)`);
  }
  const w = wall.toMillis();
  // The offsets a day either side bracket any transition; an offset is valid when it maps back.
  const before = zone.offset(w - DAY);
  const after = zone.offset(w + DAY);
  const candidates = [before, after]
    .map((offset) => w - offset * MINUTE)
    .filter((t) => zone.offset(t) * MINUTE === w - t);
  const instant = candidates.length > 0 ? Math.min(...candidates) : w - before * MINUTE;
  return new Date(instant);
}

/** ISO 8601 with the offset in force at that instant, e.g. `2021-10-29T10:00:00+02:00`. */
export function formatLocalIso(instant: Date, timezone: string): string {
  return DateTime.fromJSDate(instant, { zone: timezone }).toISO({ suppressMilliseconds: true })!;
}

/**
 * formatLocalIso for many posts: exports and pages show thousands of posts at a few hundred
 * distinct instants, so each (zone, instant) is formatted once.
 */
export function memoLocalIso(): (instant: string, timezone: string) => string {
  const memo = new Map<string, string>();
  return (instant, timezone) => {
    const key = `${timezone}|${instant}`;
    let local = memo.get(key);
    if (local === undefined) {
      if (memo.size > 50_000) memo.clear();
      local = formatLocalIso(new Date(instant), timezone);
      memo.set(key, local);
    }
    return local;
  };
}

/** The wall time (`YYYY-MM-DDTHH:mm`) an instant shows in a zone. */
export function wallTimeOf(instant: Date, timezone: string): string {
  return DateTime.fromJSDate(instant, { zone: timezone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Calendar arithmetic on local dates (`YYYY-MM-DD`), independent of any zone. */
export function* eachDate(start: string, end: string): Generator<string> {
  let day = DateTime.fromISO(start, { zone: 'UTC' });
  const last = DateTime.fromISO(end, { zone: 'UTC' });
  while (day <= last) {
    yield day.toISODate()!;
    day = day.plus({ days: 1 });
  }
}

export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[DateTime.fromISO(date, { zone: 'UTC' }).weekday - 1];
}

export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;
}

export function isWallClock(value: unknown): value is string {
  return typeof value === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

/** A wall time as clients send it (`2021-10-29T10:00`, no seconds, no offset) on a day the calendar has. */
const WALL_TIME_INPUT = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/;

export function isLocalWallTime(value: unknown): value is string {
  return typeof value === 'string' && WALL_TIME_INPUT.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

/** A full ISO 8601 instant: date, time and an offset or Z (`2021-10-29T08:00:00Z`, `…T10:00+02:00`). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/**
 * Week dates (`2021-W42`), basic format (`20211018T100000Z`), dates alone and times without an
 * offset are refused: `new Date()` reads the last two in the server's zone and the first two not at all.
 */
export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && INSTANT.test(value) && DateTime.fromISO(value, { setZone: true }).isValid;
}

/** Why a new local time cannot be a campaign's, if it cannot: its date must lie within start..end. */
export function localTimeOutsideDates(localTime: string, dates: { start: string; end: string }): string | undefined {
  const date = localTime.slice(0, 10);
  if (date < dates.start || date > dates.end) return `${localTime} is outside the campaign (${dates.start} – ${dates.end})`;
  return undefined;
}
