import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';

const admin = bearer(ADMIN_TOKEN);
const POSTS = '/api/campaigns/natc-see-2021/posts';

describe.each<DatabaseKind>(['sqlite', 'postgres'])('posts over HTTP on %s', (kind) => {
  let t: TestApp;
  let siCoordinator: string;
  let siComms: string;
  let hrComms: string;
  beforeAll(async () => {
    t = await startTestApp({ kind });
    siCoordinator = await t.token('coordinator', 'SI');
    siComms = await t.token('comms', 'SI');
    hrComms = await t.token('comms', 'HR');
  });
  afterAll(() => t.close());

  const firstPost = async (query: string) => (await t.http.get(`${POSTS}?${query}&limit=1`).set(admin).expect(200)).body.items[0];
  const postRow = async (id: number) => (await t.db.manager.query(t.db.sql('select * from posts where id = ?'), [id]))[0];

  it('returns posts in the contract shape, in time order', async () => {
    const res = await t.http.get(`${POSTS}?member=SI&network=x&limit=3`).set(admin).expect(200);
    expect(res.body.items).toHaveLength(3);
    const [post] = res.body.items;
    expect(post).toMatchObject({
      campaign: 'natc-see-2021', member: 'SI', network: 'x', locale: 'sl', theme: 'policy', message: 'policy-1',
      timezone: 'Europe/Ljubljana', localTime: '2021-10-18T09:00:00+02:00', scheduledAt: '2021-10-18T07:00:00.000Z',
      status: 'draft', revision: 1, approvals: [], limit: 280, needsReview: true, fallback: false,
    });
    expect(post.length).toBeLessThanOrEqual(280);
    expect(post.text).toContain('#EndImpunity #NATCSEE');
    const times = res.body.items.map((p: { scheduledAt: string }) => p.scheduledAt);
    expect([...times].sort()).toEqual(times);
  });

  it('puts the same local slot one hour later in UTC after 31 October', async () => {
    const before = await firstPost('member=HR&network=facebook&from=2021-10-29T00:00:00Z');
    const after = await firstPost('member=HR&network=facebook&from=2021-11-02T00:00:00Z');
    expect([before.localTime, before.scheduledAt]).toEqual(['2021-10-29T10:00:00+02:00', '2021-10-29T08:00:00.000Z']);
    expect([after.localTime, after.scheduledAt]).toEqual(['2021-11-02T10:00:00+01:00', '2021-11-02T09:00:00.000Z']);
  });

  it('pages through every post with the cursor, none twice and none lost', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await t.http.get(`${POSTS}?limit=200${cursor ? `&cursor=${cursor}` : ''}`).set(admin).expect(200);
      seen.push(...res.body.items.map((p: { id: number }) => p.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(835);
    expect(new Set(seen).size).toBe(835);
  });

  it('filters by member, network, locale, theme, status and time window together', async () => {
    const res = await t.http.get(`${POSTS}?member=BA&network=facebook&locale=sr-Cyrl-BA&theme=victim-assistance&status=draft&from=2021-11-01T00:00:00Z&to=2021-11-03T00:00:00Z`).set(admin).expect(200);
    expect(res.body.items.map((p: any) => [p.member, p.network, p.locale, p.theme, p.localTime])).toEqual([
      ['BA', 'facebook', 'sr-Cyrl-BA', 'victim-assistance', '2021-11-01T10:00:00+01:00'],
      ['BA', 'facebook', 'sr-Cyrl-BA', 'victim-assistance', '2021-11-02T10:00:00+01:00'],
    ]);
    expect(res.body.items[0].text).toMatch(/[А-Яа-яЂЉЊЋЏђљњћџ]/);
  });

  it.each([
    ['limit=5000', 'limit'],
    ['status=sent', 'status'],
    ['from=yesterday', 'from'],
    ['from=2021-W42', 'from'],
    ['from=20211018T100000Z', 'from'],
    ['from=2021-10-18', 'from'],
    ['from=2021-10-18T10:00', 'from'],
    ['to=2021-02-29T10:00:00Z', 'to'],
    ['to=2021-10-18T10:00:00%2B0200', 'to'],
    ['from=2021-10-18T10:00:00Z&from=2021-10-19T10:00:00Z', 'from'],
    ['cursor=garbage', 'cursor'],
    ['colour=red', 'colour'],
  ])('refuses the query %s naming %s', async (query, field) => {
    const res = await t.http.get(`${POSTS}?${query}`).set(admin).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('reads from/to with their offsets', async () => {
    const res = await t.http.get(`${POSTS}?member=SI&network=x&from=2021-10-29T09:00:00%2B02:00&to=2021-10-29T07:00:00.001-00:00`).set(admin).expect(200);
    expect(res.body.items.map((p: { scheduledAt: string }) => p.scheduledAt)).toEqual(['2021-10-29T07:00:00.000Z']);
  });

  it('refuses a JSON body nested 100,000 deep with 400, and keeps answering', async () => {
    const post = await firstPost('member=SI&network=facebook');
    const before = await postRow(post.id);
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const started = Date.now();
    const patch = await t.http.patch(`/api/posts/${post.id}`).set(admin).set('Content-Type', 'application/json').send(`{"revision":${post.revision},"text":${deep}}`).expect(400);
    const create = await t.http.post('/api/campaigns').set(admin).set('Content-Type', 'application/json').send(`{"slug":${deep}}`).expect(400);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(patch.body.message).toContain('nested deeper than 32 levels');
    expect(create.text.length).toBeLessThan(1000);
    expect(await postRow(post.id)).toEqual(before);
    await t.http.get('/health').expect(200);
  });

  it('shows coordinators and comms only their own member', async () => {
    const res = await t.http.get(`${POSTS}?limit=1000`).set(bearer(siCoordinator)).expect(200);
    expect(res.body.items.length).toBe(102);
    expect(new Set(res.body.items.map((p: { member: string }) => p.member))).toEqual(new Set(['SI']));
    await t.http.get(`${POSTS}?member=HR`).set(bearer(siCoordinator)).expect(403);
    const hrPost = await firstPost('member=HR');
    await t.http.get(`/api/posts/${hrPost.id}`).set(bearer(siCoordinator)).expect(403);
    await t.http.get(`/api/posts/${hrPost.id}/history`).set(bearer(siComms)).expect(403);
    await t.http.get(`/api/posts/${hrPost.id}`).set(bearer(hrComms)).expect(200);
  });

  it('answers 404 for a post that does not exist', async () => {
    await t.http.get('/api/posts/999999').set(admin).expect(404);
    await t.http.get('/api/campaigns/nope/posts').set(admin).expect(404);
  });

  describe('editing (PATCH)', () => {
    it('lets comms of the member change the text: new revision, new length, draft again, in the history', async () => {
      const post = await firstPost('member=SI&network=x&theme=capacity-building');
      const text = 'Nekaznovanost & trgovina z ljudmi: "ničelna" toleranca <3 #EndImpunity';
      const res = await t.http.patch(`/api/posts/${post.id}`).set(bearer(siComms)).send({ revision: post.revision, text }).expect(200);
      expect(res.body).toMatchObject({ id: post.id, text, revision: post.revision + 1, status: 'draft', length: [...text].length });
      const history = await t.http.get(`/api/posts/${post.id}/history`).set(bearer(siCoordinator)).expect(200);
      expect(history.body.map((h: any) => [h.action, h.actor, h.fromStatus, h.toStatus, h.revision])).toEqual([
        ['planned', 'importer', null, 'draft', 1],
        ['edited', 'comms SI', 'draft', 'draft', 2],
      ]);
      expect(history.body[1].textHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('reads a new local time by the RFC 5545 rule (ambiguous 02:30 on 31 Oct = first occurrence)', async () => {
      const post = await firstPost('member=SI&network=facebook&from=2021-10-31T00:00:00Z');
      const res = await t.http.patch(`/api/posts/${post.id}`).set(admin).send({ revision: post.revision, localTime: '2021-10-31T02:30' }).expect(200);
      expect(res.body.scheduledAt).toBe('2021-10-31T00:30:00.000Z');
      expect(res.body.localTime).toBe('2021-10-31T02:30:00+02:00');
    });

    it('refuses a stale revision with 409 and changes nothing', async () => {
      const post = await firstPost('member=SI&network=linkedin');
      await t.http.patch(`/api/posts/${post.id}`).set(bearer(siComms)).send({ revision: post.revision, text: 'first edit' }).expect(200);
      const before = await postRow(post.id);
      const res = await t.http.patch(`/api/posts/${post.id}`).set(bearer(siComms)).send({ revision: post.revision, text: 'second, stale' }).expect(409);
      expect(res.body.message).toContain('stale');
      expect(await postRow(post.id)).toEqual(before);
    });

    it.each([
      ['a coordinator', () => siCoordinator, 403],
      ['comms of another member', () => hrComms, 403],
    ])('refuses %s and changes nothing', async (_, token, status) => {
      const post = await firstPost('member=SI&network=facebook');
      const before = await postRow(post.id);
      await t.http.patch(`/api/posts/${post.id}`).set(bearer(token())).send({ revision: post.revision, text: 'hijacked' }).expect(status);
      expect(await postRow(post.id)).toEqual(before);
    });

    it.each([
      [{ status: 'approved' }, 'status'],
      [{ approvals: [] }, 'approvals'],
      [{ localTime: '2021-10-20T10:00+02:00' }, 'localTime'],
      [{ text: '' }, 'text'],
      [{}, 'text'],
    ])('refuses the body %j naming %s and changes nothing', async (extra, field) => {
      const post = await firstPost('member=SI&network=facebook');
      const before = await postRow(post.id);
      const res = await t.http.patch(`/api/posts/${post.id}`).set(bearer(siComms)).send({ revision: post.revision, ...extra }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await postRow(post.id)).toEqual(before);
    });

    it.each([
      ['31 February', '2021-02-31T10:00', 'YYYY-MM-DDTHH:mm'],
      ['29 February of 2021', '2021-02-29T10:00', 'YYYY-MM-DDTHH:mm'],
      ['year 0000', '0000-10-20T10:00', 'outside the campaign (2021-10-18 – 2021-11-07)'],
      ['the day after the campaign', '2021-11-08T10:00', 'outside the campaign (2021-10-18 – 2021-11-07)'],
      ['the day before the campaign', '2021-10-17T23:59', 'outside the campaign (2021-10-18 – 2021-11-07)'],
    ])('refuses a localTime on %s with 400 naming localTime, and changes nothing', async (_, localTime, message) => {
      const post = await firstPost('member=SI&network=linkedin');
      const before = await postRow(post.id);
      const res = await t.http.patch(`/api/posts/${post.id}`).set(bearer(siComms)).send({ revision: post.revision, localTime }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'localTime', message: expect.stringContaining(message) }]);
      expect(await postRow(post.id)).toEqual(before);
    });

    it('accepts a localTime on the last campaign date', async () => {
      const post = await firstPost('member=SI&network=linkedin');
      const res = await t.http.patch(`/api/posts/${post.id}`).set(bearer(siComms)).send({ revision: post.revision, localTime: '2021-11-07T23:59' }).expect(200);
      expect(res.body.localTime).toBe('2021-11-07T23:59:00+01:00');
    });

    it('keeps two concurrent edits on the same revision from both winning', async () => {
      const post = await firstPost('member=HR&network=x');
      const results = await Promise.all(['A', 'B', 'C'].map((v) =>
        t.http.patch(`/api/posts/${post.id}`).set(bearer(hrComms)).send({ revision: post.revision, text: `edit ${v}` })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      expect((await postRow(post.id)).revision).toBe(post.revision + 1);
    });
  });
});
