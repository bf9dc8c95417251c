import { DateTime } from 'luxon';
import { eachDate, memoLocalIso } from '../time/local-time';
import { intlLocale } from '../templates/locales';

export interface GridPost {
  id: number;
  member: string;
  network: string;
  locale: string;
  status: string;
  scheduledAt: string;
  timezone: string;
  overLimit: boolean;
}

export interface GridCell {
  date: string;
  posts: (GridPost & { time: string; zone: string; label: string })[];
}

export interface GridWeek {
  title: string;
  days: { date: string; label: string; weekend: boolean }[];
  rows: { member: string; name: string; timezone: string; cells: GridCell[] }[];
}

/**
 * The campaign calendar as weeks × days with one row per member: each post in the cell of its
 * member's local date, at its local time. Pure, so the page and its tests share it.
 */
export function buildCalendarGrid(input: {
  start: string;
  end: string;
  members: { code: string; name: string; timezone: string }[];
  posts: GridPost[];
  uiLocale: string;
  weekTitle?: (monday: string) => string;
}): GridWeek[] {
  const dayLabel = new Intl.DateTimeFormat(intlLocale(input.uiLocale), { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  const byMemberDate = new Map<string, GridCell['posts']>();
  const local = memoLocalIso();
  for (const post of input.posts) {
    const iso = local(post.scheduledAt, post.timezone);
    const wall = iso.slice(0, 16);
    const zone = offsetLabel(iso.slice(19));
    const key = `${post.member}|${wall.slice(0, 10)}`;
    const cell = byMemberDate.get(key) ?? [];
    cell.push({ ...post, time: wall.slice(11, 16), zone, label: `${wall.slice(11, 16)} ${post.network} ${post.locale} — ${post.status.replace('_', ' ')}` });
    byMemberDate.set(key, cell);
  }
  const dates = [...eachDate(input.start, input.end)];
  const weeks: GridWeek[] = [];
  for (let i = 0; i < dates.length; i += 7) {
    const days = dates.slice(i, i + 7).map((date) => {
      const weekday = DateTime.fromISO(date, { zone: 'UTC' }).weekday;
      return { date, label: dayLabel.format(new Date(`${date}T00:00:00Z`)), weekend: weekday >= 6 };
    });
    weeks.push({
      title: input.weekTitle?.(days[0].date) ?? `${days[0].label} – ${days[days.length - 1].label}`,
      days,
      rows: input.members.map((m) => ({
        member: m.code,
        name: m.name,
        timezone: m.timezone,
        cells: days.map((d) => ({
          date: d.date,
          posts: (byMemberDate.get(`${m.code}|${d.date}`) ?? []).sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt) || a.id - b.id),
        })),
      })),
    });
  }
  return weeks;
}

/** The interface's locale: `?lang=` if supported, else the browser's first supported language. */
export function pickUiLocale(query: unknown, acceptLanguage: string | undefined, supported: string[]): string {
  if (typeof query === 'string' && supported.includes(query)) return query;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0].trim();
    const match = supported.find((s) => s.toLowerCase() === tag.toLowerCase()) ?? supported.find((s) => s.split('-')[0] === tag.split('-')[0].toLowerCase());
    if (match) return match;
  }
  return 'en';
}

/** `+02:00` → `GMT+2`, `+05:30` → `GMT+5:30`, `Z` → `GMT+0`: what the cell's tooltip shows. */
function offsetLabel(offset: string): string {
  const m = /^([+-])(\d\d):(\d\d)$/.exec(offset);
  if (!m) return 'GMT+0';
  return `GMT${m[1]}${Number(m[2])}${m[3] === '00' ? '' : `:${m[3]}`}`;
}
