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

export type GridChip = GridPost & { time: string; zone: string; label: string; statusLabel: string };

export interface GridCell {
  date: string;
  posts: GridChip[];
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
  /** The status in the reader's language (the chip's tooltip says it). */
  statusLabel?: (status: string) => string;
}): GridWeek[] {
  const statusLabel = input.statusLabel ?? ((status: string) => status.replace('_', ' '));
  const dayLabel = new Intl.DateTimeFormat(intlLocale(input.uiLocale), { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  const byMemberDate = new Map<string, GridCell['posts']>();
  const local = memoLocalIso();
  for (const post of input.posts) {
    const iso = local(post.scheduledAt, post.timezone);
    const wall = iso.slice(0, 16);
    const zone = offsetLabel(iso.slice(19));
    const key = `${post.member}|${wall.slice(0, 10)}`;
    const cell = byMemberDate.get(key) ?? [];
    const status = statusLabel(post.status);
    cell.push({ ...post, time: wall.slice(11, 16), zone, statusLabel: status, label: `${wall.slice(11, 16)} ${post.network} ${post.locale} — ${status}` });
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

export interface AgendaWeek {
  title: string;
  days: { date: string; label: string; weekend: boolean; posts: (GridChip & { memberName: string })[] }[];
}

/**
 * The same weeks as a list for a phone: only the days that have posts, each day's posts of every
 * member in the order of their instants (so members in different zones interleave truthfully).
 */
export function agendaOf(weeks: GridWeek[]): AgendaWeek[] {
  return weeks.map((week) => ({
    title: week.title,
    days: week.days
      .map((day, i) => ({
        ...day,
        posts: week.rows.flatMap((row) => row.cells[i].posts.map((p) => ({ ...p, memberName: row.name })))
          .sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt) || a.member.localeCompare(b.member) || a.id - b.id),
      }))
      .filter((day) => day.posts.length > 0),
  }));
}

/** `+02:00` → `GMT+2`, `+05:30` → `GMT+5:30`, `Z` → `GMT+0`: what the cell's tooltip shows. */
function offsetLabel(offset: string): string {
  const m = /^([+-])(\d\d):(\d\d)$/.exec(offset);
  if (!m) return 'GMT+0';
  return `GMT${m[1]}${Number(m[2])}${m[3] === '00' ? '' : `:${m[3]}`}`;
}
