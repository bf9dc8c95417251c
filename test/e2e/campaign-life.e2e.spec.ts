import { DeadlinesService } from '../../src/approvals/deadlines.service';
import { Dispatcher } from '../../src/publishing/dispatcher.service';
import { FixedClock } from '../../src/time/clock';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';

const admin = bearer(ADMIN_TOKEN);
type Post = { id: number; revision: number; status: string; scheduledAt: string; member: string };

/** The 2021 plan moved by whole weeks (so weekdays stay), as a campaign still ahead on 30 Nov 2026. */
function aheadCampaign(slug: string, weeks: number): Record<string, any> {
  const shift = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + weeks * 7 * 86_400_000).toISOString().slice(0, 10);
  const c = campaignOnShippedTemplates(slug, ['SI', 'MK']);
  return {
    ...c,
    start: shift(c.start),
    end: shift(c.end),
    themes: c.themes.map((t: any) => ({ ...t, start: shift(t.start), end: shift(t.end) })),
    members: c.members.map((m: any) => ({ ...m, ...(m.blackout ? { blackout: m.blackout.map(shift) } : {}) })),
  };
}

describe.each<DatabaseKind>(['sqlite', 'postgres'])('campaign life on %s: a campaign imported after its last date is archived', (kind) => {
  let t: TestApp;
  let clock: FixedClock;
  let mkComms: string;
  let mkCoordinator: string;

  beforeAll(async () => {
    clock = new FixedClock(new Date('2026-11-30T09:00:00Z'));
    t = await startTestApp({ kind, clock });
    mkComms = (await t.http.post('/api/users').set(admin).send({ name: 'Elena', role: 'comms', member: 'MK' }).expect(201)).body.token;
    mkCoordinator = (await t.http.post('/api/users').set(admin).send({ name: 'Bojan', role: 'coordinator', member: 'MK' }).expect(201)).body.token;
    await t.http.post('/api/campaigns').set(admin).send(aheadCampaign('natc-see-2027', 312)).expect(201);
  });
  afterAll(() => t.close());

  const posts = async (slug: string, query = ''): Promise<Post[]> =>
    (await t.http.get(`/api/campaigns/${slug}/posts?limit=1000&${query}`).set(admin).expect(200)).body.items;
  const events = async () => Number((await t.db.manager.query('select count(*) as n from post_events'))[0].n);

  it('lists each campaign with its state: the shipped 2021 one archived, one still ahead active', async () => {
    const list = (await t.http.get('/api/campaigns').set(admin).expect(200)).body;
    expect(list.map((c: { slug: string; state: string }) => [c.slug, c.state])).toEqual([['natc-see-2021', 'archived'], ['natc-see-2027', 'active']]);
    expect((await t.http.get('/api/campaigns/natc-see-2021').set(bearer(mkComms)).expect(200)).body).toMatchObject({ state: 'archived', counts: { draft: expect.any(Number) } });
  });

  it('keeps every post of the archived campaign listed and exported, as it was planned', async () => {
    const all = await posts('natc-see-2021');
    expect(all.length).toBeGreaterThan(800);
    expect(new Set(all.map((p) => p.status))).toEqual(new Set(['draft']));
    const ics = await t.http.get('/api/campaigns/natc-see-2021/calendar.ics?member=MK').set(admin).expect(200);
    expect(ics.text.match(/BEGIN:VEVENT/g)).toHaveLength(all.filter((p) => p.member === 'MK').length);
  });

  it('lets no job touch it, while the same jobs still act on the active campaign', async () => {
    const before = await events();
    clock.set(new Date('2027-10-20T12:00:00Z')); // the 2027 campaign is running, 2021 is long past
    const missed = await t.app.get(DeadlinesService).markMissed(clock.now());
    const report = await t.app.get(Dispatcher).tick();
    expect(report).toMatchObject({ missed: 0, interrupted: 0, claimed: 0 });
    const old = await posts('natc-see-2021');
    expect(new Set(old.map((p) => p.status))).toEqual(new Set(['draft']));
    const current = await posts('natc-see-2027', 'to=2027-10-20T12:00:00Z');
    expect(current.length).toBeGreaterThan(0);
    expect(missed).toBe(current.length);
    expect(new Set(current.map((p) => p.status))).toEqual(new Set(['missed']));
    expect(await events()).toBe(before + missed);
    clock.set(new Date('2026-11-30T09:00:00Z'));
  });

  it('refuses every action on its posts with 409 naming the archive, and changes nothing', async () => {
    const [post] = await posts('natc-see-2021', 'member=MK');
    const before = await events();
    const refused = [
      t.http.patch(`/api/posts/${post.id}`).set(bearer(mkComms)).send({ revision: post.revision, text: 'changed' }),
      t.http.post(`/api/posts/${post.id}/submit`).set(bearer(mkComms)).send({ revision: post.revision }),
      t.http.post(`/api/posts/${post.id}/approve`).set(bearer(mkCoordinator)).send({ revision: post.revision }),
      t.http.post(`/api/posts/${post.id}/reject`).set(bearer(mkCoordinator)).send({ revision: post.revision, comment: 'no' }),
      t.http.post(`/api/posts/${post.id}/published`).set(bearer(mkComms)).send({ revision: post.revision, url: 'https://x.com/p/1' }),
      t.http.post(`/api/posts/${post.id}/retry`).set(admin).send({ revision: post.revision }),
      t.http.post('/api/approvals/submit').set(bearer(mkComms)).send({ items: [{ id: post.id, revision: post.revision }] }),
    ];
    for (const res of await Promise.all(refused)) {
      expect([res.status, res.body.message]).toEqual([409, expect.stringContaining('archived')]);
    }
    expect((await t.http.get(`/api/posts/${post.id}`).set(admin).expect(200)).body).toMatchObject({ status: 'draft', revision: post.revision });
    expect(await events()).toBe(before);
  });

  it('refuses a re-plan of the archived campaign', async () => {
    const campaign = campaignOnShippedTemplates('natc-see-2021', ['SI']);
    const res = await t.http.put('/api/campaigns/natc-see-2021').set(admin).send({ ...campaign, templates: undefined }).expect(409);
    expect(res.body.message).toContain('archived');
    expect((await posts('natc-see-2021', 'status=cancelled')).length).toBe(0);
  });

  it('says so on the post page, in the reader\'s language, and offers no action', async () => {
    const [post] = await posts('natc-see-2021', 'member=MK');
    const login = await t.http.post('/login').type('form').send({ token: mkComms, next: '/approvals' }).expect(303);
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const page = await t.http.get(`/posts/${post.id}`).set('Cookie', cookie).set('Accept-Language', 'mk').expect(200);
    expect(page.text).toContain('Оваа кампања е архивирана');
    expect(page.text).not.toContain(`action="/posts/${post.id}/`);
  });
});
