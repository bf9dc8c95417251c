import { DeadlinesService } from '../../src/approvals/deadlines.service';
import { changePosts } from '../../src/posts/post-changes';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 11 #3, #4 and #7 over HTTP, without a browser (so without script): finding a post in the
 * calendar, approving a selection in one request, and the overview's coverage and troubles.
 */
const CAMPAIGN = 'natc-see-2021';
const CALENDAR = `/campaigns/${CAMPAIGN}/calendar`;

interface Session { cookie: string; csrf: string }

/** The text of an HTML fragment, tags dropped and entities of our escaping undone, spaces collapsed. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x3D;/g, '=').replace(/\s+/g, ' ').trim();
/** Every match of a pattern's first group. */
const all = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].map((m) => m[1]);
const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x3D;/g, '=');

describe.each<DatabaseKind>(['sqlite', 'postgres'])('finding and approving posts in the web pages on %s (issue 11 #3, #4, #7)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let hrCoordinator: Session;
  let hrComms: string;

  async function signIn(token: string, language = 'en'): Promise<Session> {
    const res = await t.http.post('/login').set('Accept-Language', language).type('form').send({ token, next: '/approvals' }).expect(303);
    const cookie = String(res.headers['set-cookie']).split(';')[0];
    const page = await t.http.get('/approvals').set('Cookie', cookie).set('Accept-Language', language).expect(200);
    return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] };
  }
  const page = (session: Session, path: string, language = 'en') => t.http.get(path).set('Cookie', session.cookie).set('Accept-Language', language);
  const api = async (path: string) => (await t.http.get(path).set(bearer(ADMIN_TOKEN)).expect(200)).body;
  const posts = async (query: string) => (await api(`/api/campaigns/${CAMPAIGN}/posts?limit=1000&${query}`)).items as any[];

  beforeAll(async () => {
    t = await startTestApp({ kind });
    hrComms = await t.token('comms', 'HR', 'Iva Kovač');
    const hr = await t.token('coordinator', 'HR', 'Marko Horvat');
    admin = await signIn(ADMIN_TOKEN);
    hrCoordinator = await signIn(hr);
    // Croatia's comms submit the first week, as in the campaign's first days.
    const week = await posts('member=HR&theme=policy');
    await t.http.post('/api/approvals/submit').set(bearer(hrComms)).send({ items: week.map((p) => ({ id: p.id, revision: p.revision })) }).expect(200);
  });
  afterAll(() => t?.close());

  describe('the calendar (#3)', () => {
    it('filters by member, network, locale, theme and status, in the URL, and keeps them in every link', async () => {
      const html = (await page(admin, `${CALENDAR}?member=XK&network=facebook&theme=capacity-building&week=2021-10-25`).expect(200)).text;
      const ids = [...new Set(all(html, /<a class="chip[^"]*" href="\/posts\/(\d+)"/g).map(Number))].sort((a, b) => a - b);
      const expected = (await posts('member=XK&network=facebook&theme=capacity-building')).map((p) => p.id).sort((a, b) => a - b);
      expect(ids).toEqual(expected);
      expect(ids).toHaveLength(14); // 7 days × sq and sr-Latn
      expect(html).toMatch(/<option value="XK" selected>/);
      expect(html).toMatch(/<option value="facebook" selected>/);
      expect(html).toMatch(/<option value="capacity-building" selected>/);
      // Week navigation keeps the filters: previous, next, today (the clock is before the campaign: its first week).
      expect(unescape(html)).toContain('href="/campaigns/natc-see-2021/calendar?member=XK&network=facebook&theme=capacity-building&week=2021-10-18" rel="prev"');
      expect(unescape(html)).toContain('href="/campaigns/natc-see-2021/calendar?member=XK&network=facebook&theme=capacity-building&week=2021-11-01" rel="next"');
      expect(unescape(html)).toContain('href="/campaigns/natc-see-2021/calendar?member=XK&network=facebook&theme=capacity-building&week=2021-10-18" class="today"');
      expect(all(html, /<section class="week">\s*<h2>([^<]+)<\/h2>/g)).toHaveLength(2); // one week, in the grid and the agenda

      const inReview = (await page(admin, `${CALENDAR}?status=in_review`).expect(200)).text;
      expect(all(inReview, /<a class="chip s-([a-z_]+)/g).every((s) => s === 'in_review')).toBe(true);
      expect(textOf(inReview)).toContain('14 posts match the filters.'); // HR's first week: two channels × 7 days
    });

    it('groups the locales of one member, slot and network in one card, with the start of its text and a status on each', async () => {
      const html = (await page(admin, `${CALENDAR}?member=XK&network=facebook&week=2021-10-18&view=grid`).expect(200)).text;
      const cards = all(html, /<div class="slot">([\s\S]*?)<\/div>/g);
      expect(cards.length).toBe(14); // 7 days, in the grid and the agenda: one card for both locales
      const first = textOf(cards[0]);
      // Each chip says that its translation still awaits national review (issue 12 #3).
      expect(first).toMatch(/^10:00 · facebook · sq draft ◐ translation needs national review \| sr-Latn draft ◐ translation needs national review /);
      const sq = (await posts('member=XK&network=facebook&locale=sq&theme=policy'))[0];
      const start = [...new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(sq.text.replace(/\s+/g, ' '))].slice(0, 60).map((s) => s.segment).join('');
      expect(first).toContain(start);
      expect(cards[0]).toContain('lang="sq"');
    });

    it('searches the text in any letter case and script, and takes % and _ literally', async () => {
      const word = 'трговија';
      const expected = (await posts('member=MK')).filter((p) => p.text.toLowerCase().includes(word)).length;
      expect(expected).toBeGreaterThan(0);
      const html = (await page(admin, `${CALENDAR}?member=MK&q=${encodeURIComponent('ТРГОВИЈА')}`).expect(200)).text;
      expect(textOf(html)).toContain(`${expected} posts match the filters.`);
      expect(html).toContain('value="ТРГОВИЈА"');
      const latin = (await page(admin, `${CALENDAR}?member=HR&q=${encodeURIComponent('ENDIMPUNITY')}`).expect(200)).text;
      expect(textOf(latin)).toContain(`${(await posts('member=HR')).filter((p) => /endimpunity/i.test(p.text)).length} posts match the filters.`);
      for (const wildcard of ['%', '_', '%%', '\\']) {
        expect(textOf((await page(admin, `${CALENDAR}?q=${encodeURIComponent(wildcard)}`).expect(200)).text)).toContain('0 posts match the filters.');
      }
    });

    it('keeps a coordinator to their own member, whatever the URL', async () => {
      const html = (await page(hrCoordinator, `${CALENDAR}?network=x`).expect(200)).text;
      expect(all(html, /<tr><th scope="row">([A-Z]+)/g).every((m) => m === 'HR')).toBe(true);
      expect(html).not.toContain('<select id="member"');
      await page(hrCoordinator, `${CALENDAR}?member=SI`).expect(403);
    });

    it('says why a blackout day is empty, and names every status in the legend', async () => {
      const html = (await page(admin, `${CALENDAR}?member=HR&week=2021-11-01&view=grid`).expect(200)).text;
      const row = /<tr><th scope="row">HR[\s\S]*?<\/tr>/.exec(html)![0];
      const cells = all(row, /<td>([\s\S]*?)<\/td>/g);
      expect(textOf(cells[0])).toBe('No posts: blackout day'); // 1 Nov, All Saints' Day
      expect(textOf(cells[1])).not.toContain('blackout');
      const legend = textOf(/<ul class="legend"[\s\S]*?<\/ul>/.exec(html)![0]);
      for (const status of ['draft', 'in review', 'approved', 'publishing', 'published', 'failed', 'rejected', 'missed', 'cancelled']) expect(legend).toContain(`${status}:`);
      const mk = (await page(admin, `${CALENDAR}?member=HR&week=2021-11-01`, 'mk').expect(200)).text;
      expect(mk).toContain('Нема објави: ден без објавување');
      expect(textOf(/<ul class="legend"[\s\S]*?<\/ul>/.exec(mk)![0])).toContain('на преглед:');
    });

    it.each([
      ['status', 'status=lost'],
      ['week', 'week=2021-10-20'],
      ['view', 'view=table'],
      ['q', `q=${'x'.repeat(201)}`],
    ])('answers a bad %s with 400 naming it', async (field, query) => {
      const res = await page(admin, `${CALENDAR}?${query}`).expect(400);
      expect(res.text).toContain(`${field}:`);
    });
  });

  describe('the approval queue (#4)', () => {
    it('shows each post’s theme and text, its deadline in the reader’s zone and as a relative time', async () => {
      const html = (await page(hrCoordinator, '/approvals').expect(200)).text;
      const card = /<li class="card post-card[^"]*">([\s\S]*?)<\/li>/.exec(html)![1];
      expect(card).toContain('<p class="theme">Policy and cooperation to end impunity</p>');
      expect(card).toMatch(/<p class="text" lang="hr"><a href="\/posts\/\d+">\S/);
      // The first post goes out on 18 Oct at 10:00 in Zagreb; the clock reads 1 Oct 2021, 09:00 UTC.
      expect(textOf(card)).toMatch(/Approve by \d+ Oct 2021, \d\d:\d\d CEST \(in \d+ days\)/);
    });

    it('approves the ticked posts of a week in one request, and only those', async () => {
      const before = (await posts('member=HR&theme=policy&status=in_review'));
      const [a, b, untouched] = before;
      const res = await t.http.post('/approvals/approve').set('Cookie', hrCoordinator.cookie).type('form')
        .send(`_csrf=${hrCoordinator.csrf}&pick=${a.id}:${a.revision}&pick=${b.id}:${b.revision}&comment=`).expect(303);
      expect(res.headers.location).toBe('/approvals?done=approve&count=2');
      expect((await api(`/api/posts/${a.id}`)).status).toBe('approved');
      expect((await api(`/api/posts/${b.id}`)).status).toBe('approved');
      expect((await api(`/api/posts/${untouched.id}`))).toMatchObject({ status: 'in_review', revision: untouched.revision });
    });

    it('refuses to reject a selection without a comment, and a stale tick, changing nothing', async () => {
      const [a] = await posts('member=HR&theme=policy&status=in_review');
      const noComment = await t.http.post('/approvals/reject').set('Cookie', hrCoordinator.cookie).type('form').send(`_csrf=${hrCoordinator.csrf}&pick=${a.id}:${a.revision}&comment=`);
      expect(noComment.status).toBe(400);
      expect(noComment.text).toContain('comment');
      const stale = await t.http.post('/approvals/approve').set('Cookie', hrCoordinator.cookie).type('form').send(`_csrf=${hrCoordinator.csrf}&pick=${a.id}:${a.revision - 1 || 99}`);
      expect(stale.status).toBe(409);
      const bad = await t.http.post('/approvals/approve').set('Cookie', hrCoordinator.cookie).type('form').send(`_csrf=${hrCoordinator.csrf}&pick=all`);
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('pick');
      expect(await api(`/api/posts/${a.id}`)).toMatchObject({ status: 'in_review', revision: a.revision });
    });

    it('approves "all of this week" without script: the checkbox sends the week, ticked posts are not sent twice', async () => {
      const html = (await page(hrCoordinator, '/approvals').expect(200)).text;
      const weekForm = /<form method="post" action="\/approvals\/approve" class="week-actions" id="week-([\d-]+)">([\s\S]*?)<\/form>/.exec(html)!;
      const week = unescape(/<input type="checkbox" name="items" value="([^"]+)"/.exec(weekForm[2])![1]);
      const items = JSON.parse(week) as { id: number; revision: number }[];
      expect(items).toHaveLength(12); // 14 submitted, 2 approved above
      // Every card's checkbox belongs to its week's form.
      expect(all(html, /name="pick" value="[\d:]+" form="(week-[\d-]+)"/g).every((f) => f === `week-${weekForm[1]}`)).toBe(true);
      const res = await t.http.post('/approvals/approve').set('Cookie', hrCoordinator.cookie).type('form')
        .send(`_csrf=${hrCoordinator.csrf}&items=${encodeURIComponent(week)}&pick=${items[0].id}:${items[0].revision}&comment=`).expect(303);
      expect(res.headers.location).toBe('/approvals?done=approve&count=12');
      expect(await posts('member=HR&theme=policy&status=in_review')).toHaveLength(0);
    });

    it('shows the secretariat what is still at earlier steps, and who must act next', async () => {
      const si = await t.token('comms', 'SI', 'Ana Novak');
      const [first] = await posts('member=SI&network=x&theme=policy');
      await t.http.post(`/api/posts/${first.id}/submit`).set(bearer(si)).send({ revision: first.revision }).expect(200);
      const html = (await page(admin, '/approvals').expect(200)).text;
      const earlier = /<section class="earlier"[\s\S]*?<\/section>/.exec(html)![0];
      expect(textOf(earlier)).toContain('At earlier steps: 1 post');
      expect(textOf(earlier)).toMatch(/coordinator \(SI\) Slovenia/);
      expect(earlier).toContain(`href="/posts/${first.id}"`);
      const mk = (await page(admin, '/approvals', 'mk').expect(200)).text;
      expect(textOf(/<section class="earlier"[\s\S]*?<\/section>/.exec(mk)![0])).toMatch(/координатор \(SI\)/);
      // Not for a coordinator: their queue is what they act on.
      expect((await page(hrCoordinator, '/approvals').expect(200)).text).not.toContain('class="earlier"');
    });
  });

  describe('the overview (#7)', () => {
    it('separates pending, approved, published and missed in the coverage, and lists missed and failed posts with text and reason', async () => {
      const [failing] = await posts('member=SI&network=facebook&theme=policy');
      await t.db.write((m) => changePosts(t.db, m, { at: '2021-10-18T08:00:05.000Z', actor: 'test', actorId: null }, [{
        id: failing.id, expected: { revision: failing.revision, status: 'draft' }, from: ['draft'],
        set: { status: 'failed', lastError: 'HTTP 422: text rejected' }, event: { action: 'failed', comment: 'HTTP 422: text rejected' },
      }]));
      // Monday 18 Oct, 10:00 in the EU's CEST zones has passed: what was not approved is missed.
      expect(await t.app.get(DeadlinesService).markMissed(new Date('2021-10-18T08:00:00Z'))).toBeGreaterThan(0);
      const html = (await page(admin, `/campaigns/${CAMPAIGN}/overview`).expect(200)).text;
      const legend = textOf(/<ul class="legend coverage-legend"[\s\S]*?<\/ul>/.exec(html)![0]);
      expect(legend).toBe('◷ pending : draft, in review or rejected ✓ approved : approved or being published ● published : published ✗ missed : missed or failed');
      const hr = /<tr><th scope="row">HR<\/th>([\s\S]*?)<\/tr>/.exec(html)![1];
      const [monday, tuesday] = all(hr, /<td class="[^"]*">([\s\S]*?)<\/td>/g).map(textOf);
      expect(monday).toBe('✓ 2 approved'); // both HR posts of the 18th were approved in time
      expect(tuesday).toBe('✓ 2 approved');
      const si = /<tr><th scope="row">SI<\/th>([\s\S]*?)<\/tr>/.exec(html)![1];
      // Its 10:00 posts missed (or failed), its evening ones still to approve: two states in one day.
      expect(textOf(all(si, /<td class="[^"]*">([\s\S]*?)<\/td>/g)[0])).toMatch(/^◷ \d+ pending ✗ \d+ missed$/);
      const missed = textOf(/<h2>Missed[\s\S]*?<\/ul>/.exec(html)![0]);
      expect(missed).toContain('Reason: not approved by its time');
      expect(missed).toMatch(/SI · x · sl · 2021-10-18T09:00:00\+02:00 \S+/);
      const failed = textOf(/<h2>Failed[\s\S]*?<\/ul>/.exec(html)![0]);
      expect(failed).toContain('Failed (1)');
      expect(failed).toContain('Reason: “HTTP 422: text rejected”'.replace(/[“”]/g, ''));
      expect(failed).toContain(failing.text.replace(/\s+/g, ' ').slice(0, 40));
      const mk = (await page(admin, `/campaigns/${CAMPAIGN}/overview`, 'mk').expect(200)).text;
      expect(textOf(mk)).toContain('Причина: не е одобрена навреме');
    });
  });
});
