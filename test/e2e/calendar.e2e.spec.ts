import ICAL from 'ical.js';
import type { Response } from 'superagent';
import { CalendarService } from '../../src/calendar/calendar.service';
import { parseCsv } from '../support/csv';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';

const admin = bearer(ADMIN_TOKEN);
const CAMPAIGN = '/api/campaigns/natc-see-2021';
const ICS = `${CAMPAIGN}/calendar.ics`;
const CSV = `${CAMPAIGN}/calendar.csv`;
const CYRILLIC = /[А-Яа-яЃЌЅЈЉЊЋЏѓќѕјљњћџ]/;

interface Post { id: number; member: string; network: string; locale: string; theme: string; status: string; text: string; localTime: string; scheduledAt: string; revision: number }
interface CalendarEvent { uid: string; sequence: number; start: string; summary: string; description: string; url: string }

/** The body as bytes: line endings, folding and the BOM must be checked before any decoding. */
function rawBody(res: Response, done: (error: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
type Download = Omit<Response, 'body'> & { body: Buffer };

function calendarEvents(text: string): CalendarEvent[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  expect(calendar.name).toBe('vcalendar');
  return calendar.getAllSubcomponents('vevent').map((event) => ({
    uid: String(event.getFirstPropertyValue('uid')),
    sequence: Number(event.getFirstPropertyValue('sequence')),
    start: (event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
    summary: String(event.getFirstPropertyValue('summary')),
    description: String(event.getFirstPropertyValue('description')),
    url: String(event.getFirstPropertyValue('url')),
  }));
}

describe.each<DatabaseKind>(['sqlite', 'postgres'])('calendar exports over HTTP on %s', (kind) => {
  let t: TestApp;
  let siCoordinator: string;
  let hrCoordinator: string;
  beforeAll(async () => {
    t = await startTestApp({ kind });
    siCoordinator = await t.token('coordinator', 'SI');
    hrCoordinator = await t.token('coordinator', 'HR');
  });
  afterAll(() => t.close());

  const download = (path: string, headers: Record<string, string> = {}) =>
    t.http.get(path).set(headers).buffer(true).parse(rawBody) as unknown as Promise<Download>;
  const ics = async (query = '', headers: Record<string, string> = admin) => {
    const res = await download(`${ICS}${query}`, headers);
    expect(res.status).toBe(200);
    return res.body.toString('utf8');
  };
  /** The posts as the JSON API shows them, every page. */
  const apiPosts = async (query = ''): Promise<Post[]> => {
    const posts: Post[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await t.http.get(`${CAMPAIGN}/posts?limit=1000${query}${cursor ? `&cursor=${cursor}` : ''}`).set(admin).expect(200);
      posts.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return posts;
  };
  const uidOf = (post: Post) => `post-${post.id}@scheduler.test`;

  it('lists every post once, in time order, with its UTC start, summary, text and revision', async () => {
    const res = await download(ICS, admin);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="natc-see-2021.ics"');
    const events = calendarEvents(res.body.toString('utf8'));
    const posts = await apiPosts();
    expect(posts).toHaveLength(835);
    expect(events.map((e) => e.uid)).toEqual(posts.map(uidOf));
    expect(events).toEqual(posts.map((p) => ({
      uid: uidOf(p), sequence: p.revision, start: new Date(p.scheduledAt).toISOString(),
      summary: `${p.member} · ${p.network} · ${p.theme} · ${p.status}`, description: p.text, url: `http://scheduler.test/posts/${p.id}`,
    })));
  });

  it('writes the same file whatever the page size (pages meet without loss or overlap)', async () => {
    const whole = { ics: await ics(), csv: (await download(CSV, admin)).body.toString('utf8') };
    const service = t.app.get(CalendarService);
    const pageSize = service.pageSize;
    service.pageSize = 100;
    try {
      expect(await ics()).toBe(whole.ics);
      expect((await download(CSV, admin)).body.toString('utf8')).toBe(whole.csv);
    } finally {
      service.pageSize = pageSize;
    }
  });

  it('shows members by code, never by name, so the designation Kosovo* (which needs its footnote) is not in the exports', async () => {
    const csv = (await download(`${CSV}?member=XK`, admin)).body.toString('utf8');
    const text = await ics('?member=XK');
    expect(parseCsv(csv).slice(1).every((row) => row[1] === 'XK')).toBe(true);
    expect(text).toContain('X-WR-CALNAME:End impunity — EU Anti-Trafficking Day 2021 · XK');
    for (const file of [csv, text]) expect(file).not.toMatch(/Kosov/);
  });

  it('keeps Cyrillic summaries and texts intact (sr-Cyrl, sr-Cyrl-BA, mk)', async () => {
    for (const query of ['&member=RS&locale=sr-Cyrl', '&member=BA&locale=sr-Cyrl-BA', '&member=MK&locale=mk']) {
      const posts = await apiPosts(query);
      const events = calendarEvents(await ics(`?${query.slice(1)}`));
      expect(posts.length).toBeGreaterThan(0);
      expect(events.map((e) => e.description)).toEqual(posts.map((p) => p.text));
      expect(events.every((e) => CYRILLIC.test(e.description))).toBe(true);
    }
  });

  it('starts each event at the post instant on both sides of 31 October', async () => {
    const text = await ics('?member=HR&network=facebook');
    const posts = await apiPosts('&member=HR&network=facebook');
    const at = (localTime: string) => posts.find((p) => p.localTime === localTime)!;
    const dtstart = (post: Post) => new RegExp(`UID:${uidOf(post)}\\r\\n(?:[^\\r]*\\r\\n)*?DTSTART:([0-9TZ]+)\\r\\n`).exec(text)?.[1];
    expect(dtstart(at('2021-10-29T10:00:00+02:00'))).toBe('20211029T080000Z');
    expect(dtstart(at('2021-11-02T10:00:00+01:00'))).toBe('20211102T090000Z');
    expect(text).not.toContain('TZID');
  });

  it('links each event to the post\'s web page, which opens for a signed-in user (issue 11 #6)', async () => {
    const [post] = await apiPosts('&member=SI&network=x');
    const event = calendarEvents(await ics('?member=SI&network=x')).find((e) => e.uid === uidOf(post))!;
    expect(event.url).toBe(`http://scheduler.test/posts/${post.id}`);
    const signIn = await t.http.post('/login').type('form').send({ token: siCoordinator, next: '/' }).expect(303);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0];
    const page = await t.http.get(new URL(event.url).pathname).set('Cookie', cookie).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain(`Post ${post.id}`);
  });

  it('writes one VCALENDAR of CRLF lines folded at 75 octets', async () => {
    const text = await ics();
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(text.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
    expect(text.match(/BEGIN:VCALENDAR/g)).toHaveLength(1);
    const lines = text.split('\r\n').slice(0, -1);
    expect(lines.filter((line) => line.includes('\n') || line.includes('\r'))).toEqual([]);
    expect(lines.filter((line) => Buffer.byteLength(line, 'utf8') > 75)).toEqual([]);
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
  });

  it('keeps UIDs across exports and edits; SEQUENCE rises with the revision', async () => {
    const first = await ics('?member=SI');
    expect(await ics('?member=SI')).toBe(first);
    const [post] = await apiPosts('&member=SI&network=linkedin');
    const edited = await t.http.patch(`/api/posts/${post.id}`).set(admin).send({ revision: post.revision, text: 'Uređeno besedilo', localTime: '2021-10-18T11:30' }).expect(200);
    const before = calendarEvents(first);
    const after = calendarEvents(await ics('?member=SI'));
    expect(new Set(after.map((e) => e.uid))).toEqual(new Set(before.map((e) => e.uid)));
    const event = after.find((e) => e.uid === uidOf(post))!;
    expect(event).toMatchObject({ sequence: post.revision + 1, start: new Date(edited.body.scheduledAt).toISOString(), description: 'Uređeno besedilo' });
    expect(event.sequence).toBeGreaterThan(before.find((e) => e.uid === uidOf(post))!.sequence);
  });

  it('filters by member, network, locale and status', async () => {
    // A locale with a region (Bosnia and Herzegovina's ijekavian Serbian) filters like any other.
    const ba = calendarEvents(await ics('?member=BA&network=facebook&locale=sr-Cyrl-BA'));
    expect(ba).toHaveLength(21);
    expect(ba.map((e) => e.uid)).toEqual((await apiPosts('&member=BA&network=facebook&locale=sr-Cyrl-BA')).map(uidOf));
    expect(ba.every((e) => e.summary.startsWith('BA · facebook · '))).toBe(true);
    expect(ba.map((e) => e.description).join('\n')).toContain('дјец');
    const [post] = await apiPosts('&member=BG&network=x');
    await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: post.revision }).expect(200);
    const inReview = calendarEvents(await ics('?status=in_review'));
    expect(inReview.map((e) => [e.uid, e.summary])).toEqual([[uidOf(post), `BG · x · ${post.theme} · in_review`]]);
  });

  it('shows a coordinator only their member, and 403 for another', async () => {
    const events = calendarEvents(await ics('', bearer(siCoordinator)));
    expect(events.map((e) => e.uid)).toEqual((await apiPosts('&member=SI')).map(uidOf));
    expect(events.every((e) => e.summary.startsWith('SI · '))).toBe(true);
    await t.http.get(`${ICS}?member=HR`).set(bearer(siCoordinator)).expect(403);
    await t.http.get(`${CSV}?member=HR&token=${siCoordinator}`).expect(403);
    expect(calendarEvents(await ics(`?token=${siCoordinator}`, {})).length).toBe(events.length);
  });

  it.each([
    ['colour=red', 'colour'],
    ['status=sent', 'status'],
    ['member=si', 'member'],
    ['cursor=abc', 'cursor'],
  ])('refuses the query %s naming %s', async (query, field) => {
    const res = await t.http.get(`${ICS}?${query}`).set(admin).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers 401 without a token or with a wrong one, and 404 for an unknown campaign', async () => {
    await t.http.get(ICS).expect(401);
    await t.http.get(`${CSV}?token=nope`).expect(401);
    await t.http.get(ICS).set(bearer('nope')).expect(401);
    await t.http.get('/api/campaigns/nope/calendar.ics').set(admin).expect(404);
  });

  describe('calendar tokens', () => {
    it('work as ?token= for the calendar routes only, until revoked', async () => {
      const created = await t.http.post('/api/calendar-tokens').set(bearer(siCoordinator)).send({ campaign: 'natc-see-2021' }).expect(201);
      const { id, token, url } = created.body;
      expect(url).toBe(`http://scheduler.test${ICS}?token=${token}`);
      const events = calendarEvents(await ics(`?token=${token}`, {}));
      expect(events.map((e) => e.uid)).toEqual((await apiPosts('&member=SI')).map(uidOf));
      await t.http.get(`${CSV}?token=${token}`).expect(200);
      await t.http.get(`${ICS}?token=${token}&member=HR`).expect(403);
      for (const path of ['/api/campaigns', `${CAMPAIGN}/posts`, '/api/calendar-tokens']) {
        await t.http.get(path).set(bearer(token)).expect(401);
        await t.http.get(`${path}?token=${token}`).expect(401);
      }
      await t.http.post('/api/calendar-tokens').set(bearer(token)).send({}).expect(401);

      const listed = await t.http.get('/api/calendar-tokens').set(bearer(siCoordinator)).expect(200);
      expect(listed.body).toEqual([{ id, createdAt: expect.any(String) }]);
      await t.http.delete(`/api/calendar-tokens/${id}`).set(bearer(hrCoordinator)).expect(404);
      await t.http.delete(`/api/calendar-tokens/${id}`).set(bearer(siCoordinator)).expect(204);
      await t.http.delete(`/api/calendar-tokens/${id}`).set(bearer(siCoordinator)).expect(404);
      await t.http.get(`${ICS}?token=${token}`).expect(401);
      expect((await t.http.get('/api/calendar-tokens').set(bearer(siCoordinator)).expect(200)).body).toEqual([]);
    });

    it('stop working when their user is deleted', async () => {
      const user = await t.http.post('/api/users').set(admin).send({ name: 'leaving', role: 'comms', member: 'HR' }).expect(201);
      const created = await t.http.post('/api/calendar-tokens').set(bearer(user.body.token)).send({}).expect(201);
      expect(created.body.url).toBeNull();
      await t.http.get(`${ICS}?token=${created.body.token}`).expect(200);
      await t.http.delete(`/api/users/${user.body.id}`).set(admin).expect(204);
      await t.http.get(`${ICS}?token=${created.body.token}`).expect(401);
      await t.http.get(`${ICS}?token=${user.body.token}`).expect(401);
    });

    it.each([
      [{ campaign: 'Not A Slug' }, 400, 'campaign'],
      [{ colour: 'red' }, 400, 'colour'],
      [{ campaign: 'nope' }, 404, undefined],
    ])('refuses the body %j', async (body, status, field) => {
      const res = await t.http.post('/api/calendar-tokens').set(bearer(siCoordinator)).send(body).expect(status);
      if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  it('exports CSV with a BOM, a header and one RFC 4180 row per post, texts as the API has them', async () => {
    const [post] = await apiPosts('&member=MK&network=x');
    const tricky = 'Трговија со луѓе, "нула" толеранција\nвтор ред; #EndImpunity';
    await t.http.patch(`/api/posts/${post.id}`).set(admin).send({ revision: post.revision, text: tricky }).expect(200);
    const res = await download(CSV, admin);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="natc-see-2021.csv"');
    expect([...res.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = res.body.toString('utf8').slice(1);
    expect(text.startsWith('id,member,network,locale,theme,message,status,local_time,timezone,scheduled_at_utc,length,limit,text\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    const records = rows.map((row) => Object.fromEntries(header.map((column, i) => [column, row[i]])));
    const posts = await apiPosts();
    expect(records.map((r) => Number(r.id))).toEqual(posts.map((p) => p.id));
    expect(records.map((r) => [r.text, r.local_time, r.scheduled_at_utc, r.status])).toEqual(posts.map((p) => [p.text, p.localTime, p.scheduledAt, p.status]));
    expect(records.find((r) => Number(r.id) === post.id)!.text).toBe(tricky);
    expect(text).toContain('"Трговија со луѓе, ""нула"" толеранција\nвтор ред; #EndImpunity"\r\n');
  });
});
