import Holidays from 'date-holidays';

/** The blackout keyword that stands for the member's national public holidays. */
export const HOLIDAYS_KEYWORD = 'holidays';

/** One public holiday that blacks out a member's date, as the plan lists it. */
export interface HolidayBlackout {
  member: string;
  /** Local date `YYYY-MM-DD` in the member's country. */
  date: string;
  /** English name (date-holidays has English for every member country). */
  name: string;
  /** Name in the member's first locale, when date-holidays has that language (sl, hr, sq, mk…; not cnr). */
  localName?: string;
}

/**
 * Each year of each country takes date-holidays ~6 ms to compute, and a campaign is validated on
 * every import, re-plan and preview: holidays are looked up for a short campaign only (a campaign
 * may legally span centuries; one across a new year spans two), and kept per country, year and
 * language. A campaign naming all 207 countries the library knows then costs ~4 s once, not 13.
 */
export const MAX_HOLIDAY_YEARS = 3;

const calendars = new Map<string, Holidays>();
const yearCache = new Map<string, { date: string; name: string }[]>();
let knownCountries: Set<string> | undefined;

/** Whether date-holidays has a national calendar for this member code (XK included; SEE not). */
export function hasHolidayCalendar(code: string): boolean {
  knownCountries ??= new Set(Object.keys(new Holidays().getCountries('en')));
  return knownCountries.has(code);
}

function calendar(country: string): Holidays {
  let found = calendars.get(country);
  if (!found) calendars.set(country, (found = new Holidays(country)));
  return found;
}

/** Public holidays only: bank, school, optional days and observances are working days. */
function publicHolidaysOfYear(country: string, year: number, language: string): { date: string; name: string }[] {
  const key = `${country}|${year}|${language}`;
  let found = yearCache.get(key);
  if (!found) {
    // `date` is the local date and time in the country ("2027-10-11 00:00:00 -0600" for a holiday
    // starting at the previous sunset): its first ten characters are the local date.
    found = (calendar(country).getHolidays(year, language) || [])
      .filter((holiday) => holiday.type === 'public')
      .map((holiday) => ({ date: holiday.date.slice(0, 10), name: holiday.name }));
    if (yearCache.size >= 2_000) yearCache.clear();
    yearCache.set(key, found);
  }
  return found;
}

/** The library's language for a content locale (`sr-Cyrl` → `sr`), when it has one for this country. */
function libraryLanguage(country: string, locale: string | undefined): string | undefined {
  const language = locale?.split('-')[0].toLowerCase();
  return language && calendar(country).getLanguages().includes(language) ? language : undefined;
}

/**
 * The public holidays of a member's country from `start` to `end` (local dates, inclusive), in date
 * order. Callers check hasHolidayCalendar and MAX_HOLIDAY_YEARS first.
 */
export function publicHolidays(member: { code: string; locales: string[] }, start: string, end: string): HolidayBlackout[] {
  const local = libraryLanguage(member.code, member.locales[0]);
  const holidays: HolidayBlackout[] = [];
  for (let year = Number(start.slice(0, 4)); year <= Number(end.slice(0, 4)); year++) {
    const localNames = local ? publicHolidaysOfYear(member.code, year, local) : [];
    publicHolidaysOfYear(member.code, year, 'en').forEach((holiday, i) => {
      if (holiday.date < start || holiday.date > end) return;
      const localName = localNames[i]?.date === holiday.date ? localNames[i].name : undefined;
      holidays.push({ member: member.code, date: holiday.date, name: holiday.name, ...(localName ? { localName } : {}) });
    });
  }
  return holidays.sort((a, b) => a.date.localeCompare(b.date));
}

/** Years from start to end, counted as calendar years touched (2027-12-30 – 2028-01-02 is 2). */
export function yearsSpanned(start: string, end: string): number {
  return Number(end.slice(0, 4)) - Number(start.slice(0, 4)) + 1;
}
