import { FieldError, ObjectReader } from '../common/object-reader';
import { isIsoDate } from '../time/local-time';
import { HOLIDAYS_KEYWORD } from './holidays';

/** `POST /api/campaigns/:slug/editions` body: the new campaign's slug, first day and (optional) name. */
export interface EditionRequest {
  slug: string;
  start: string;
  name?: string;
}

/** What the secretariat must know about a new edition: what it shares and what to check. */
export interface EditionSummary {
  source: string;
  weeks: number;
  /** The folder under templates/ the edition reads its messages from (the source's). */
  templates: string;
  /** Members whose facts were copied from the source and may be out of date. */
  factsToReview: string[];
  notes: string[];
}

export type EditionResult =
  | { ok: true; campaign: Record<string, unknown>; summary: EditionSummary }
  | { ok: false; errors: FieldError[] };

type RawCampaign = Record<string, any>;

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_MS = 86_400_000;

/** A stored date as YYYY-MM-DD (YAML 1.1 readers may have turned it into a Date). */
function isoDate(value: unknown): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
}

const toDay = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const fromDay = (day: number) => new Date(day * DAY_MS).toISOString().split('T')[0];
const weekdayOf = (date: string) => WEEKDAY_NAMES[new Date(`${date}T00:00:00Z`).getUTCDay()];
const yearOf = (date: string) => date.slice(0, 4);

export function moveDate(date: string, weeks: number): string {
  return fromDay(toDay(date) + weeks * 7);
}

/**
 * Whole weeks from the source's start to the requested one, or the error naming `start` with the two
 * nearest dates that keep weekdays: a weekly plan (mon–fri slots, a theme per week) only survives a
 * move by whole weeks.
 */
export function editionWeeks(sourceStart: string, start: string): { weeks: number } | { error: string } {
  const days = toDay(start) - toDay(sourceStart);
  const off = ((days % 7) + 7) % 7;
  if (off === 0) return { weeks: days / 7 };
  const before = fromDay(toDay(start) - off);
  const after = fromDay(toDay(start) - off + 7);
  return { error: `${start} is a ${weekdayOf(start)}; the source starts on a ${weekdayOf(sourceStart)}: choose ${before} or ${after}` };
}

/** The source's name with its year replaced (…Day 2021 → …Day 2027), else "<name> (<year>)". */
export function editionName(sourceName: string, sourceStart: string, start: string): string {
  const year = new RegExp(`\\b${yearOf(sourceStart)}\\b`, 'g');
  return year.test(sourceName) ? sourceName.replace(year, yearOf(start)) : `${sourceName} (${yearOf(start)})`;
}

/** The source's slug with its year replaced (natc-see-2021 → natc-see-2027), else "<slug>-<year>". */
export function editionSlug(sourceSlug: string, sourceStart: string, start: string): string {
  const year = new RegExp(`\\b${yearOf(sourceStart)}\\b`, 'g');
  return year.test(sourceSlug) ? sourceSlug.replace(year, yearOf(start)) : `${sourceSlug}-${yearOf(start)}`;
}

function readRequest(input: unknown, errors: FieldError[]): Partial<EditionRequest> {
  const body = new ObjectReader(input, '', errors);
  const slug = body.string('slug', { pattern: SLUG, hint: 'lowercase letters, digits and single dashes' });
  const start = body.date('start');
  const name = body.optionalString('name');
  body.rejectUnknown(['slug', 'start', 'name']);
  return { slug, start, name };
}

/**
 * A new campaign from a stored one (`source`, the object as imported): every date (start, end,
 * themes, blackouts) moved by the same whole number of weeks, everything else kept, the messages
 * read from the source's templates folder. Facts are kept but flagged (`factsToReview`): they were
 * true for the source's year. Pure: the caller checks the slug is free and plans the posts.
 */
export function makeEdition(source: RawCampaign, input: unknown): EditionResult {
  const errors: FieldError[] = [];
  const request = readRequest(input, errors);
  const sourceStart = isoDate(source.start);
  const moved = request.start ? editionWeeks(sourceStart, request.start) : undefined;
  if (moved && 'error' in moved) errors.push({ path: 'start', message: moved.error });
  if (errors.length > 0 || !moved || 'error' in moved) return { ok: false, errors };
  const { weeks } = moved;
  const start = request.start!;
  const end = moveDate(isoDate(source.end), weeks);
  if (!isIsoDate(end)) {
    return { ok: false, errors: [{ path: 'start', message: `${start} moves the campaign's end to ${end}, not a date (YYYY-MM-DD)` }] };
  }
  const templates = String(source.templates ?? source.slug);
  const { themes, members } = moveThemesAndMembers(source, weeks);
  const factsToReview = members.filter((m) => m.facts && Object.keys(m.facts).length > 0).map((m) => String(m.code));
  const { slug: _slug, name: _name, start: _start, end: _end, templates: _templates, factsToReview: _flagged, ...rest } = source;
  const campaign = {
    slug: request.slug!,
    name: request.name ?? editionName(String(source.name), sourceStart, start),
    start,
    end,
    templates,
    ...(factsToReview.length > 0 ? { factsToReview } : {}),
    ...rest,
    themes,
    members,
  };
  const summary = { source: String(source.slug), weeks, templates, factsToReview, notes: editionNotes(source, campaign, { weeks, templates, factsToReview }) };
  return { ok: true, campaign, summary };
}

/** `holidays` stays a keyword: the new edition's holidays are looked up for its own dates. */
const isHolidaysKeyword = (entry: unknown) => entry === HOLIDAYS_KEYWORD;

function moveThemesAndMembers(source: RawCampaign, weeks: number): { themes: RawCampaign[]; members: RawCampaign[] } {
  const move = (date: unknown) => moveDate(isoDate(date), weeks);
  const moveBlackout = (list: unknown[]) => list.map((entry) => (isHolidaysKeyword(entry) ? entry : move(entry)));
  return {
    themes: (source.themes ?? []).map((theme: RawCampaign) => ({ ...theme, start: move(theme.start), end: move(theme.end) })),
    members: (source.members ?? []).map((member: RawCampaign) => (Array.isArray(member.blackout) ? { ...member, blackout: moveBlackout(member.blackout) } : member)),
  };
}

/** The date with `was`'s month and day nearest to `near` (29 Feb may have none). */
function sameMonthDayNear(was: string, near: string): string | undefined {
  const year = Number(yearOf(near));
  const candidates = [year - 1, year, year + 1].map((y) => `${String(y).padStart(4, '0')}${was.slice(4)}`).filter((d) => isIsoDate(d));
  return candidates.sort((a, b) => Math.abs(toDay(a) - toDay(near)) - Math.abs(toDay(b) - toDay(near)))[0];
}

function editionNotes(source: RawCampaign, edition: RawCampaign, made: { weeks: number; templates: string; factsToReview: string[] }): string[] {
  const year = yearOf(edition.start);
  const notes = [
    `moved by ${made.weeks} weeks: ${isoDate(source.start)} – ${isoDate(source.end)} → ${edition.start} – ${edition.end}, each date on the same weekday`,
    `shares the templates of ${made.templates} (templates/${made.templates}/): its messages keep their wording, dates they cite included`,
  ];
  if (made.factsToReview.length > 0) {
    notes.push(`facts of ${made.factsToReview.join(', ')} were copied from ${source.slug}: check them for ${year}, then re-plan without factsToReview`);
  }
  notes.push(...blackoutNotes(source, edition));
  const usesHolidays = [source, ...(source.members ?? [])].some((owner: RawCampaign) => Array.isArray(owner.blackout) && owner.blackout.some(isHolidaysKeyword));
  if (usesHolidays) notes.push(`blackout: holidays stays a keyword: public holidays are looked up for ${edition.start} – ${edition.end}`);
  return notes;
}

/** A blackout moved by whole weeks keeps its weekday, not its calendar date: a fixed holiday may not. */
function blackoutNotes(source: RawCampaign, edition: RawCampaign): string[] {
  return (source.members ?? []).flatMap((member: RawCampaign, i: number) =>
    (Array.isArray(member.blackout) ? member.blackout : []).flatMap((date: unknown, j: number) => {
      if (isHolidaysKeyword(date)) return [];
      const was = isoDate(date);
      const now: string = edition.members[i].blackout[j];
      const sameDay = sameMonthDayNear(was, now);
      return sameDay && sameDay !== now ? [`members[${i}].blackout[${j}] (${member.code}): ${was} moved to ${now}; a holiday on a fixed date falls on ${sameDay}: check it`] : [];
    }),
  );
}
