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
  /** The start of the post's text (calendar cards show it). */
  text?: string;
  /** Its text comes from a translation not yet nationally reviewed (issue 12 #3). */
  needsReview?: boolean;
}

export type GridChip = GridPost & { time: string; zone: string; label: string; statusLabel: string };

/**
 * The posts of one member, slot and network, whatever their locale (`10:00 · facebook · sq | sr-Latn`):
 * one card, one link per locale, the text of the first.
 */
export interface GridCard {
  member: string;
  network: string;
  scheduledAt: string;
  time: string;
  zone: string;
  text: string;
  textLocale: string;
  posts: GridChip[];
}

export interface GridCell {
  date: string;
  cards: GridCard[];
  /** A blackout date of the member: empty on purpose. */
  blackout: boolean;
}

export interface GridWeek {
  title: string;
  days: { date: string; label: string; weekend: boolean }[];
  rows: { member: string; name: string; timezone: string; cells: GridCell[] }[];
}

/** The chips of one cell as cards, in the order of their instants. */
export function cardsOf(chips: GridChip[]): GridCard[] {
  const cards = new Map<string, GridCard>();
  for (const chip of [...chips].sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt) || a.id - b.id)) {
    const key = `${chip.member}|${chip.scheduledAt}|${chip.network}`;
    const card = cards.get(key);
    if (card) card.posts.push(chip);
    else cards.set(key, { member: chip.member, network: chip.network, scheduledAt: chip.scheduledAt, time: chip.time, zone: chip.zone, text: chip.text ?? '', textLocale: chip.locale, posts: [chip] });
  }
  return [...cards.values()];
}

/**
 * The campaign calendar as weeks × days with one row per member: each post in the cell of its
 * member's local date, at its local time. Pure, so the page and its tests share it.
 */
export function buildCalendarGrid(input: {
  start: string;
  end: string;
  members: { code: string; name: string; timezone: string; blackout?: string[] }[];
  posts: GridPost[];
  uiLocale: string;
  weekTitle?: (monday: string) => string;
  /** The status in the reader's language (the chip's tooltip says it). */
  statusLabel?: (status: string) => string;
}): GridWeek[] {
  const statusLabel = input.statusLabel ?? ((status: string) => status.replace('_', ' '));
  const dayLabel = new Intl.DateTimeFormat(intlLocale(input.uiLocale), { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  const byMemberDate = new Map<string, GridChip[]>();
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
          cards: cardsOf(byMemberDate.get(`${m.code}|${d.date}`) ?? []),
          blackout: m.blackout?.includes(d.date) ?? false,
        })),
      })),
    });
  }
  return weeks;
}

export interface AgendaWeek {
  title: string;
  days: { date: string; label: string; weekend: boolean; cards: (GridCard & { memberName: string })[]; posts: number; blackout: string[] }[];
}

/**
 * The same weeks as a list for a phone: only the days that have posts (or a blackout to explain), each day's posts of every
 * member in the order of their instants (so members in different zones interleave truthfully).
 */
export function agendaOf(weeks: GridWeek[]): AgendaWeek[] {
  return weeks.map((week) => ({
    title: week.title,
    days: week.days
      .map((day, i) => {
        const cards = week.rows.flatMap((row) => row.cells[i].cards.map((c) => ({ ...c, memberName: row.name })))
          .sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt) || a.member.localeCompare(b.member) || a.posts[0].id - b.posts[0].id);
        const blackout = week.rows.filter((row) => row.cells[i].blackout).map((row) => row.member);
        return { ...day, cards, posts: cards.reduce((n, c) => n + c.posts.length, 0), blackout };
      })
      .filter((day) => day.cards.length > 0 || day.blackout.length > 0),
  }));
}

/** `+02:00` → `GMT+2`, `+05:30` → `GMT+5:30`, `Z` → `GMT+0`: what the cell's tooltip shows. */
function offsetLabel(offset: string): string {
  const m = /^([+-])(\d\d):(\d\d)$/.exec(offset);
  if (!m) return 'GMT+0';
  return `GMT${m[1]}${Number(m[2])}${m[3] === '00' ? '' : `:${m[3]}`}`;
}
