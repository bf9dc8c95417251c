import { FixedClock } from '../../src/time/clock';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { shippedCampaign } from '../support/shipped-campaign';

const admin = bearer(ADMIN_TOKEN);
type Post = { localTime: string; scheduledAt: string; status: string };

describe.each<DatabaseKind>(['sqlite', 'postgres'])('editions on %s: POST /api/campaigns/:slug/editions', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    // 30 Nov 2026: the shipped 2021 campaign is imported archived, 2028 is ahead.
    t = await startTestApp({ kind, clock: new FixedClock(new Date('2026-11-30T09:00:00Z')) });
  });
  afterAll(() => t.close());

  /** Rows of every table a refused request could have written to. */
  const written = async () => {
    const count = async (table: string) => Number((await t.db.manager.query(`select count(*) as n from ${table}`))[0].n);
    return { campaigns: await count('campaigns'), posts: await count('posts'), events: await count('post_events') };
  };
  const posts = async (slug: string, query: string): Promise<Post[]> =>
    (await t.http.get(`/api/campaigns/${slug}/posts?limit=1000&${query}`).set(admin).expect(200)).body.items;
  const localAndUtc = (list: Post[]) => list.map((p) => [p.localTime, p.scheduledAt]);

  it('refuses a start on another weekday with 400 naming start and the two nearest valid dates, writing nothing', async () => {
    const before = await written();
    const res = await t.http.post('/api/campaigns/natc-see-2021/editions').set(admin).send({ slug: 'natc-see-2028', start: '2028-10-18' }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'start', message: '2028-10-18 is a Wednesday; the source starts on a Monday: choose 2028-10-16 or 2028-10-23' }]);
    const bare = await t.http.post('/api/campaigns/natc-see-2021/editions').set(admin).send({ slug: 'natc-see-2028', end: '2028-11-05' }).expect(400);
    expect(bare.body.errors).toEqual([{ field: 'start', message: 'is required' }, { field: 'end', message: 'unknown field (expected one of: slug, start, name)' }]);
    // A mistyped year (2018 for 2028) would make an edition archived at birth, read-only for good.
    const past = await t.http.post('/api/campaigns/natc-see-2021/editions').set(admin).send({ slug: 'natc-see-2028', start: '2018-10-15' }).expect(400);
    expect(past.body.errors).toEqual([{ field: 'start', message: '2018-10-15: the edition would end on 2018-11-04, already past (it would be archived, read-only); choose a start ahead' }]);
    expect(await written()).toEqual(before);
  });

  it('refuses a coordinator with 403 and a missing source with 404, writing nothing', async () => {
    const before = await written();
    const coordinator = await t.token('coordinator', 'SI');
    await t.http.post('/api/campaigns/natc-see-2021/editions').set(bearer(coordinator)).send({ slug: 'natc-see-2028', start: '2028-10-16' }).expect(403);
    await t.http.post('/api/campaigns/natc-see-2012/editions').set(admin).send({ slug: 'natc-see-2028', start: '2028-10-16' }).expect(404);
    expect(await written()).toEqual(before);
  });

  it('refuses an edition over an existing slug with 409, writing nothing', async () => {
    const before = await written();
    const res = await t.http.post('/api/campaigns/natc-see-2021/editions').set(admin).send({ slug: 'natc-see-2021', start: '2028-10-16' }).expect(409);
    expect(res.body.message).toContain('campaign "natc-see-2021" already exists');
    expect(await written()).toEqual(before);
  });

  it('makes an archived campaign’s edition: 201, every date moved 365 weeks, the same members, planned and active', async () => {
    const res = await t.http.post('/api/campaigns/natc-see-2021/editions').set(admin).send({ slug: 'natc-see-2028', start: '2028-10-16' }).expect(201);
    expect(res.body.campaign).toMatchObject({ slug: 'natc-see-2028', name: 'End impunity — EU Anti-Trafficking Day 2028', start: '2028-10-16', end: '2028-11-05', state: 'active' });
    expect(res.body.plan).toMatchObject({ total: 835, created: 835 });
    expect(res.body.edition).toMatchObject({ source: 'natc-see-2021', weeks: 365, templates: 'natc-see-2021', factsToReview: ['SI'] });
    expect(res.body.edition.notes).toEqual(expect.arrayContaining([
      'shares the templates of natc-see-2021 (templates/natc-see-2021/): its messages keep their wording, dates they cite included',
      'facts of SI were copied from natc-see-2021: check them for 2028, then re-plan without factsToReview',
    ]));
    const source = (await t.http.get('/api/campaigns/natc-see-2021').set(admin).expect(200)).body;
    const edition = (await t.http.get('/api/campaigns/natc-see-2028').set(admin).expect(200)).body;
    expect(edition).toMatchObject({ templates: 'natc-see-2021', factsToReview: ['SI'], state: 'active', counts: { draft: 835 } });
    expect(edition.members.map((m: { code: string }) => m.code)).toEqual(source.members.map((m: { code: string }) => m.code));
    expect(edition.themes.map((t: { start: string; end: string }) => [t.start, t.end])).toEqual([['2028-10-16', '2028-10-22'], ['2028-10-23', '2028-10-29'], ['2028-10-30', '2028-11-05']]);
    expect(source.counts).toEqual({ draft: 835 });
    const list = (await t.http.get('/api/campaigns').set(admin).expect(200)).body;
    expect(list.map((c: { slug: string; state: string }) => [c.slug, c.state])).toEqual([['natc-see-2021', 'archived'], ['natc-see-2028', 'active']]);
  });

  it('plans its posts in each member’s zone for 2028: summer time ends on Sunday 29 October', async () => {
    const around = 'network=facebook&from=2028-10-28T00:00:00Z&to=2028-11-02T00:00:00Z';
    // Croatia: 10:00 local every day; its blackout (1 Nov 2021) moved to Monday 30 October 2028.
    expect(localAndUtc(await posts('natc-see-2028', `member=HR&${around}`))).toEqual([
      ['2028-10-28T10:00:00+02:00', '2028-10-28T08:00:00.000Z'],
      ['2028-10-29T10:00:00+01:00', '2028-10-29T09:00:00.000Z'],
      ['2028-10-31T10:00:00+01:00', '2028-10-31T09:00:00.000Z'],
      ['2028-11-01T10:00:00+01:00', '2028-11-01T09:00:00.000Z'],
    ]);
    // Bulgaria (EET): 10:00 local is 07:00Z in summer time, 08:00Z after.
    expect(localAndUtc(await posts('natc-see-2028', `member=BG&${around}`)).slice(0, 2)).toEqual([
      ['2028-10-28T10:00:00+03:00', '2028-10-28T07:00:00.000Z'],
      ['2028-10-29T10:00:00+02:00', '2028-10-29T08:00:00.000Z'],
    ]);
  });

  it('refuses a second edition over the slug it made with 409, writing nothing', async () => {
    const before = await written();
    await t.http.post('/api/campaigns/natc-see-2021/editions').set(admin).send({ slug: 'natc-see-2028', start: '2028-10-16' }).expect(409);
    expect(await written()).toEqual(before);
  });

  it('tells a campaign posted under a new slug, without `templates`, which folder holds its messages', async () => {
    const before = await written();
    const res = await t.http.post('/api/campaigns').set(admin).send({ ...shippedCampaign(), slug: 'natc-see-2031' }).expect(400);
    expect(res.body.errors).toEqual([
      { field: 'templates', message: 'no folder templates/natc-see-2031/: set `templates: natc-see-2021` (the folder that holds messages policy-1, policy-2, policy-3, … (21))' },
    ]);
    expect(await written()).toEqual(before);
  });
});
