import ical, { foldLines } from 'ical-generator';
import { csvLine } from '../common/csv';
import { calendarSummary, CSV_COLUMNS, csvRow, foldContentLines, ICS_FOOTER, icsEvents, icsHeader, toIcsEvent, uidDomain, type CalendarPost } from './calendar-events';

const SITE = { publicUrl: 'https://scheduler.example.org', domain: 'scheduler.example.org' };

function aPost(overrides: Partial<CalendarPost> = {}): CalendarPost {
  return {
    id: 42, member: 'SI', network: 'x', locale: 'sl', theme: 'policy', message: 'policy-1', status: 'approved',
    localTime: '2021-10-29T10:00:00+02:00', timezone: 'Europe/Ljubljana', scheduledAt: '2021-10-29T08:00:00.000Z',
    length: 120, limit: 280, text: 'Nekaznovanost, "ničelna" toleranca\n#EndImpunity', revision: 3, updatedAt: '2021-10-20T12:34:56.000Z',
    ...overrides,
  };
}

/** Unfolds RFC 5545 content lines (a CRLF followed by one space continues the line). */
const unfold = (ics: string) => ics.replace(/\r\n /g, '');

describe('calendarSummary', () => {
  it('reads member · network · theme · status', () => {
    expect(calendarSummary(aPost())).toBe('SI · x · policy · approved');
  });

  it('shows the theme title when there is one', () => {
    expect(calendarSummary(aPost({ status: 'draft' }), 'Policy')).toBe('SI · x · Policy · draft');
  });
});

describe('uidDomain', () => {
  it.each([
    ['https://scheduler.example.org', 'scheduler.example.org'],
    ['http://localhost:3000', 'localhost'],
    ['https://natc.example/scheduler', 'natc.example'],
  ])('takes the host of %s', (url, domain) => expect(uidDomain(url)).toBe(domain));
});

describe('toIcsEvent', () => {
  it('gives a UID that depends only on the post id, and SEQUENCE = revision', () => {
    const a = toIcsEvent(aPost({ revision: 1 }), SITE);
    const b = toIcsEvent(aPost({ revision: 5, text: 'edited', scheduledAt: '2021-10-29T09:00:00.000Z' }), SITE);
    expect([a.id, b.id]).toEqual(['post-42@scheduler.example.org', 'post-42@scheduler.example.org']);
    expect([a.sequence, b.sequence]).toEqual([1, 5]);
  });

  it('starts at scheduledAt in UTC and lasts 15 minutes, with no time zone (pitfalls.md §6)', () => {
    const event = toIcsEvent(aPost({ scheduledAt: '2021-11-02T09:00:00.000Z' }), SITE);
    expect((event.start as Date).toISOString()).toBe('2021-11-02T09:00:00.000Z');
    expect((event.end as Date).toISOString()).toBe('2021-11-02T09:15:00.000Z');
    expect(event.timezone).toBeUndefined();
  });

  it('carries the summary, the plain text and the link to the post\'s web page', () => {
    expect(toIcsEvent(aPost(), SITE)).toMatchObject({
      summary: 'SI · x · policy · approved',
      description: 'Nekaznovanost, "ničelna" toleranca\n#EndImpunity',
      url: 'https://scheduler.example.org/posts/42',
    });
  });

  it('stamps the event with its last change, not the time of the export', () => {
    expect((toIcsEvent(aPost(), SITE).stamp as Date).toISOString()).toBe('2021-10-20T12:34:56.000Z');
  });
});

describe('icsEvents', () => {
  const cyrillic = aPost({ id: 7, member: 'MK', locale: 'mk', text: `Трговијата со луѓе, злосторство; ${'Ж'.repeat(120)}` });
  const ics = icsEvents([toIcsEvent(aPost(), SITE), toIcsEvent(cyrillic, SITE)]);

  it('writes one VEVENT per event and nothing of the calendar around them', () => {
    expect(ics.match(/^BEGIN:VEVENT\r$/gm)).toHaveLength(2);
    expect(ics.startsWith('BEGIN:VEVENT\r\n')).toBe(true);
    expect(ics.endsWith('END:VEVENT\r\n')).toBe(true);
    expect(ics).not.toContain('VCALENDAR');
  });

  it('writes UTC times, UID and SEQUENCE', () => {
    expect(ics).toContain('UID:post-42@scheduler.example.org\r\n');
    expect(ics).toContain('SEQUENCE:3\r\n');
    expect(ics).toContain('DTSTART:20211029T080000Z\r\n');
    expect(ics).toContain('DTEND:20211029T081500Z\r\n');
    expect(ics).not.toContain('TZID');
  });

  it('ends every line with CRLF and folds at 75 octets without splitting a character', () => {
    const lines = ics.split('\r\n').slice(0, -1);
    expect(lines.every((line) => !line.includes('\n') && Buffer.byteLength(line, 'utf8') <= 75)).toBe(true);
    expect(unfold(ics)).toContain(`DESCRIPTION:Трговијата со луѓе\\, злосторство\\; ${'Ж'.repeat(120)}\r\n`);
  });

  it('is byte for byte what ical-generator writes for the same events in one calendar', () => {
    const calendar = ical();
    [aPost(), cyrillic].forEach((post) => calendar.createEvent(toIcsEvent(post, SITE)));
    const whole = calendar.toString();
    expect(ics).toBe(whole.slice(whole.indexOf('BEGIN:VEVENT'), whole.lastIndexOf('END:VCALENDAR')));
  });

  it('is empty for no events', () => {
    expect(icsEvents([])).toBe('');
  });
});

describe('foldContentLines', () => {
  it.each([
    ['short ASCII', 'SUMMARY:SI · x · policy · draft'],
    ['long ASCII', `DESCRIPTION:${'a'.repeat(300)}`],
    ['Cyrillic (2 octets)', `DESCRIPTION:${'Ж'.repeat(200)}`],
    ['CJK and emoji (3 and 4 octets)', `DESCRIPTION:${'x汉👍🇲🇰'.repeat(40)}`],
    ['exactly 74 and 75 octets', `${'a'.repeat(74)}\r\n${'b'.repeat(75)}`],
    ['several lines', `BEGIN:VEVENT\r\nSUMMARY:${'Ђ'.repeat(80)}\r\nEND:VEVENT\r\n`],
  ])('folds %s exactly as ical-generator does', (_, text) => {
    expect(foldContentLines(text)).toBe(foldLines(text));
  });
});

describe('icsHeader', () => {
  it('opens a VCALENDAR with a name and no time zone, which ICS_FOOTER closes', () => {
    const header = icsHeader('End impunity · SI');
    expect(header).toMatch(/^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\nPRODID:[^\r]+\r\n/);
    expect(header).toContain('X-WR-CALNAME:End impunity · SI\r\n');
    expect(header).not.toMatch(/END:VCALENDAR|TIMEZONE/);
    expect(header.endsWith('\r\n')).toBe(true);
    expect(ICS_FOOTER).toBe('END:VCALENDAR\r\n');
  });
});

describe('csvRow', () => {
  it('gives one field per column, local time with offset and UTC side by side', () => {
    const row = csvRow(aPost());
    expect(row).toHaveLength(CSV_COLUMNS.length);
    const byColumn = Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, row[i]]));
    expect(byColumn).toMatchObject({
      id: 42, member: 'SI', status: 'approved', local_time: '2021-10-29T10:00:00+02:00', timezone: 'Europe/Ljubljana',
      scheduled_at_utc: '2021-10-29T08:00:00.000Z', length: 120, limit: 280,
    });
  });

  it('quotes a text with commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvLine(csvRow(aPost())).endsWith(',"Nekaznovanost, ""ničelna"" toleranca\n#EndImpunity"\r\n')).toBe(true);
  });
});
