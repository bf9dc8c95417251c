import ical, { type ICalEventData } from 'ical-generator';
import type { PostResponse } from '../posts/post.mapper';

/** What the calendar exports read of a post: the API's Post, so the files show what the API shows. */
export type CalendarPost = Pick<
  PostResponse,
  'id' | 'member' | 'network' | 'locale' | 'theme' | 'message' | 'status' | 'localTime' | 'timezone' | 'scheduledAt' | 'length' | 'limit' | 'text' | 'revision' | 'updatedAt'
>;

/** A post is an instant; a short event keeps it visible in calendar views without blocking the day. */
export const EVENT_MINUTES = 15;

export const CSV_COLUMNS = ['id', 'member', 'network', 'locale', 'theme', 'message', 'status', 'local_time', 'timezone', 'scheduled_at_utc', 'length', 'limit', 'text'] as const;

const PRODUCT_ID = { company: 'NATC SEE', product: 'Campaign scheduler', language: 'EN' };

/** `SI · x · policy · approved`: who, where, what and how far along, readable in a month view. */
export function calendarSummary(post: Pick<CalendarPost, 'member' | 'network' | 'theme' | 'status'>, themeTitle?: string): string {
  return [post.member, post.network, themeTitle ?? post.theme, post.status].join(' · ');
}

/** The host of PUBLIC_URL: UIDs must be globally unique (RFC 5545 §3.8.4.7), so they carry our domain. */
export function uidDomain(publicUrl: string): string {
  return new URL(publicUrl).hostname;
}

/**
 * One post as ical-generator event options. Times are UTC only: with `timezone` the library writes the
 * server's wall clock under the member's TZID and no VTIMEZONE (pitfalls.md §6). The UID never changes
 * for a post, and SEQUENCE follows its revision, so clients update the event in place (RFC 5545 §3.8.7.4).
 */
export function toIcsEvent(post: CalendarPost, site: { publicUrl: string; domain: string }, themeTitle?: string): ICalEventData {
  const start = new Date(post.scheduledAt);
  return {
    id: `post-${post.id}@${site.domain}`,
    sequence: post.revision,
    // Without METHOD, DTSTAMP is when the event last changed in our store (RFC 5545 §3.8.7.2).
    stamp: new Date(post.updatedAt),
    start,
    end: new Date(start.getTime() + EVENT_MINUTES * 60_000),
    summary: calendarSummary(post, themeTitle),
    description: post.text,
    // A person opens the event's link in a browser: the post's web page, not the API's JSON.
    url: `${site.publicUrl}/posts/${post.id}`,
  };
}

/** The VCALENDAR header, written once before the events of every page. */
export function icsHeader(name: string): string {
  const calendar = ical({ name, prodId: PRODUCT_ID, ttl: 3600 }).toString();
  return calendar.slice(0, calendar.lastIndexOf('END:VCALENDAR'));
}

export const ICS_FOOTER = 'END:VCALENDAR\r\n';

/**
 * The VEVENT lines of a batch of events, escaped by ical-generator and folded by foldContentLines.
 * Each page gets its own throw-away calendar (events need one), so memory stays bounded by a page.
 */
export function icsEvents(events: ICalEventData[]): string {
  const calendar = ical({ prodId: PRODUCT_ID });
  return events.map((event) => foldContentLines(calendar.createEvent(event).toString())).join('');
}

const utf8Octets = (codePoint: number) => (codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4);

/**
 * Folds CRLF-separated content lines at 75 octets, never inside a UTF-8 sequence (RFC 5545 §3.1),
 * exactly as ical-generator's foldLines does. Its version builds a TextEncoder per character, which
 * made a 100,000-post export take about a minute; the spec compares both outputs.
 */
export function foldContentLines(text: string): string {
  return text.split('\r\n').map((line) => {
    if (Buffer.byteLength(line, 'utf8') <= 74) return line;
    // Cut points found by index and joined once: appending character by character built a rope
    // of one node per character, and a 100,000-post export grew the process by 100+ MB.
    const pieces: string[] = [];
    let start = 0;
    let octets = 0;
    for (let i = 0; i < line.length; ) {
      const codePoint = line.codePointAt(i)!;
      const units = codePoint > 0xffff ? 2 : 1;
      const size = utf8Octets(codePoint);
      if (octets + size > 74) {
        pieces.push(line.slice(start, i));
        start = i;
        octets = 0;
      }
      octets += size;
      i += units;
    }
    pieces.push(line.slice(start));
    return pieces.join('\r\n ');
  }).join('\r\n');
}

/** One CSV row in CSV_COLUMNS order: the member's wall time with its offset, and the same instant in UTC. */
export function csvRow(post: CalendarPost): (string | number)[] {
  return [
    post.id, post.member, post.network, post.locale, post.theme, post.message, post.status,
    post.localTime, post.timezone, post.scheduledAt, post.length, post.limit, post.text,
  ];
}
