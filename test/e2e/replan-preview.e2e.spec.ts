import { readFileSync } from 'node:fs';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { shippedCampaign } from '../support/shipped-campaign';

const admin = bearer(ADMIN_TOKEN);
const CAMPAIGN = '/api/campaigns/natc-see-2021';
type Post = { id: number; member: string; network: string; localTime: string; status: string; revision: number; approvals: unknown[] };

/** Issue 12 #4: the secretariat sees what a re-plan will change before it is applied. */
describe.each<DatabaseKind>(['sqlite', 'postgres'])('POST /api/campaigns/:slug/replan-preview on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ kind });
  });
  afterAll(() => t.close());

  /** Every row of every table, in a stable order: what "changes nothing" is checked against. */
  const everything = async () => {
    const tables: { name: string }[] = await t.db.manager.query(kind === 'sqlite'
      ? "select name from sqlite_master where type = 'table' order by name"
      : "select table_name as name from information_schema.tables where table_schema = 'public' order by table_name");
    const dump: Record<string, unknown[]> = {};
    for (const { name } of tables) dump[name] = await t.db.manager.query(`select * from "${name}" order by 1`);
    return JSON.stringify(dump);
  };
  /** The SQLite file and its write-ahead log, byte for byte. */
  const sqliteBytes = () => kind === 'sqlite'
    ? ['', '-wal'].map((suffix) => { try { return readFileSync(t.config.databasePath + suffix).toString('base64'); } catch { return ''; } }).join('|')
    : '';
  const posts = async (query: string): Promise<Post[]> => (await t.http.get(`${CAMPAIGN}/posts?limit=1000&${query}`).set(admin).expect(200)).body.items;

  /** The secretariat's regional posts of the first week approved (its only step is the secretariat's). */
  async function approveFirstWeekOfSee(): Promise<Post[]> {
    const week = await posts('member=SEE&network=x&to=2021-10-24T23:00:00Z');
    for (const post of week) {
      const submitted = await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: post.revision }).expect(200);
      await t.http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: submitted.body.revision }).expect(200);
    }
    return week;
  }

  /** SEE posts an hour later, HR's 1 November blackout lifted, and the campaign a day shorter. */
  function changedCampaign() {
    const campaign = shippedCampaign();
    campaign.members.find((m: { code: string }) => m.code === 'SEE').slots = [{ time: '13:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }];
    delete campaign.members.find((m: { code: string }) => m.code === 'HR').blackout;
    campaign.end = '2021-11-06';
    campaign.themes[2].end = '2021-11-06';
    return campaign;
  }

  it('refuses comms and coordinators (403) and a bad object (400 naming the field), changing nothing', async () => {
    const before = await everything();
    const coordinator = await t.token('coordinator', 'SI');
    const snapshot = await everything();
    await t.http.post(`${CAMPAIGN}/replan-preview`).set(bearer(coordinator)).send(changedCampaign()).expect(403);
    const bad = { ...changedCampaign(), end: '2021-13-01' };
    const res = await t.http.post(`${CAMPAIGN}/replan-preview`).set(admin).send(bad).expect(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'end' })]));
    const elsewhere = { ...changedCampaign(), slug: 'natc-see-1999', templates: 'natc-see-2021' };
    await t.http.post('/api/campaigns/natc-see-1999/replan-preview').set(admin).send(elsewhere).expect(404);
    expect(await everything()).toBe(snapshot);
    expect(before).not.toBe(snapshot); // the coordinator's user row: the dump does see writes
  });

  it('lists at most listLimit posts of each kind while its figures count them all', async () => {
    const campaign = { ...shippedCampaign(), slots: [{ time: '11:00' }] };
    const preview = (await t.http.post(`${CAMPAIGN}/replan-preview`).set(admin).send(campaign).expect(200)).body;
    expect(preview.listLimit).toBe(500);
    expect(preview.plan.updated).toBeGreaterThan(500);
    expect(preview.changed).toHaveLength(500);
  });

  it('lists what the re-plan will do, writes nothing, and says exactly what the re-plan then does', async () => {
    const approved = await approveFirstWeekOfSee();
    const rowsBefore = await everything();
    const bytesBefore = sqliteBytes();

    const preview = (await t.http.post(`${CAMPAIGN}/replan-preview`).set(admin).send(changedCampaign()).expect(200)).body;

    expect(await everything()).toBe(rowsBefore);
    expect(sqliteBytes()).toBe(bytesBefore);
    // SEE's 20 remaining days × 4 channels move to 13:00; HR gains 1 November (its later messages shift
    // by one); 7 November goes for everyone. 835 − 38 + 2 = 799.
    expect(preview.plan).toEqual({ created: 2, updated: 90, unchanged: 707, cancelled: 38, approvalsKept: 0, approvalsReset: 7, skippedPosts: 0, total: 799, skipped: false });
    expect(preview.token).toBe(preview.campaign.updatedAt);
    expect(preview.added).toEqual(expect.arrayContaining([
      { id: null, member: 'HR', network: 'facebook', locale: 'hr', theme: 'victim-assistance', message: expect.any(String), localTime: '2021-11-01T10:00', status: null },
    ]));
    const approvedIds = approved.map((p) => p.id).sort((a, b) => a - b);
    expect(preview.changed.filter((c: { approvalsReset: boolean }) => c.approvalsReset).map((c: { id: number }) => c.id).sort((a: number, b: number) => a - b)).toEqual(approvedIds);
    expect(preview.changed).toContainEqual(expect.objectContaining({ id: approved[0].id, member: 'SEE', network: 'x', localTime: '2021-10-18T12:00', toLocalTime: '2021-10-18T13:00', status: 'approved', approvalsReset: true }));
    expect(preview.cancelled.every((p: { localTime: string }) => p.localTime.startsWith('2021-11-07'))).toBe(true);

    // The preview's token guards the re-plan: a stale one is refused (409), changing nothing.
    const stale = await t.http.put(`${CAMPAIGN}?ifUpdatedAt=2021-01-01T00:00:00.000Z`).set(admin).send(changedCampaign()).expect(409);
    expect(stale.body.message).toContain('the campaign changed while this request was prepared');
    expect(await everything()).toBe(rowsBefore);
    const applied = (await t.http.put(`${CAMPAIGN}?ifUpdatedAt=${encodeURIComponent(preview.token)}`).set(admin).send(changedCampaign()).expect(200)).body;
    expect(applied.plan).toEqual({ ...preview.plan, skippedPostIds: [] });
    for (const change of preview.changed.slice(0, 5)) {
      const post = (await t.http.get(`/api/posts/${change.id}`).set(admin).expect(200)).body;
      expect(post.localTime.slice(0, 16)).toBe(change.toLocalTime);
      expect(post).toMatchObject({ status: 'draft', approvals: [] });
    }
    const cancelled = preview.cancelled.map((p: { id: number }) => p.id);
    for (const id of cancelled.slice(0, 5)) expect((await t.http.get(`/api/posts/${id}`).set(admin).expect(200)).body.status).toBe('cancelled');
    expect(await posts('member=HR&from=2021-10-31T23:00:00Z&to=2021-11-01T23:00:00Z')).toHaveLength(2);

    // The same object again: nothing to do, and the preview says so.
    const again = (await t.http.post(`${CAMPAIGN}/replan-preview`).set(admin).send(changedCampaign()).expect(200)).body;
    const reapplied = (await t.http.put(CAMPAIGN).set(admin).send(changedCampaign()).expect(200)).body;
    expect({ ...again.plan, skippedPostIds: [] }).toEqual(reapplied.plan);
    expect(again.plan.skipped).toBe(true);
  });
});
