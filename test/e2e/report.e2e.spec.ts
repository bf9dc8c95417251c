import { Dispatcher } from '../../src/publishing/dispatcher.service';
import { parseCsv } from '../support/csv';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { startReceiver } from '../support/webhook-receiver';

const admin = bearer(ADMIN_TOKEN);
type Post = { id: number; revision: number; status: string; scheduledAt: string; member: string; network: string; locale: string; theme: string };
type Row = Record<string, any>;

/**
 * A campaign whose outcomes the test decides, post by post, through the API and the dispatcher:
 * Croatia's first Facebook posts go out on time, late, and not at all (missed); its first X post
 * fails at the network; Slovenia's LinkedIn is taken out of the plan (cancelled).
 */
describe.each<DatabaseKind>(['sqlite', 'postgres'])('campaign report on %s', (kind) => {
  let t: TestApp;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  let hrComms: string;
  let hrCoordinator: string;
  let siCoordinator: string;
  const slug = `report-${kind}`;
  const campaign = campaignOnShippedTemplates(slug, ['HR', 'SI']);
  const outcomes: Record<string, Post> = {};
  let siLinkedIn = 0;

  const list = async (query: string): Promise<Post[]> => (await t.http.get(`/api/campaigns/${slug}/posts?${query}&limit=1000`).set(admin).expect(200)).body.items;
  const at = (iso: string | number) => t.clock.set(new Date(iso));
  const later = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();
  /** Submitted at 1 October 09:00Z by comms, approved `leadSeconds` later by the coordinator. */
  const approve = async (post: Post, leadSeconds: number): Promise<Post> => {
    at('2021-10-01T09:00:00Z');
    const submitted = (await t.http.post(`/api/posts/${post.id}/submit`).set(bearer(hrComms)).send({ revision: post.revision }).expect(200)).body;
    at(later('2021-10-01T09:00:00Z', leadSeconds));
    return (await t.http.post(`/api/posts/${post.id}/approve`).set(bearer(hrCoordinator)).send({ revision: submitted.revision }).expect(200)).body;
  };
  const markPublished = async (post: Post, secondsAfter: number) => {
    at(later(post.scheduledAt, secondsAfter));
    await t.http.post(`/api/posts/${post.id}/published`).set(bearer(hrComms)).send({ revision: post.revision, url: `https://facebook.com/posts/${post.id}` }).expect(200);
  };
  const report = async (query = '', token = ADMIN_TOKEN) => (await t.http.get(`/api/campaigns/${slug}/report${query}`).set(bearer(token)).expect(200)).body;
  const row = (rows: Row[], member: string, network: string, theme = 'policy') => rows.find((r) => r.member === member && r.network === network && r.theme === theme)!;

  beforeAll(async () => {
    process.env.PUBLISHER_SECRET_TEST_HOOK = 'report-hook-secret';
    hook = await startReceiver(() => ({ status: 422, body: { error: 'text rejected' } }));
    t = await startTestApp({ kind, campaignsDir: '/nonexistent' });
    const hr = campaign.members.find((m: any) => m.code === 'HR');
    hr.channels = [{ network: 'facebook' }, { network: 'x', publisher: { type: 'webhook', url: `${hook.url}/x`, secretEnv: 'PUBLISHER_SECRET_TEST_HOOK' } }];
    await t.http.post('/api/campaigns').set(admin).send(campaign).expect(201);
    hrComms = await t.token('comms', 'HR', 'Iva');
    hrCoordinator = await t.token('coordinator', 'HR', 'Ivana');
    siCoordinator = await t.token('coordinator', 'SI', 'Maja');

    const facebook = await list('member=HR&network=facebook&to=2021-10-22T00:00:00Z');
    const [onTime, late, missed] = facebook;
    const [failed] = await list('member=HR&network=x&to=2021-10-19T00:00:00Z');
    outcomes.onTime = await approve(onTime, 3600);
    outcomes.late = await approve(late, 7200);
    outcomes.missed = await approve(missed, 14400);
    outcomes.failed = await approve(failed, 1800);
    await markPublished(outcomes.onTime, 300); // 5 min after its time: on time within 900 s
    await markPublished(outcomes.late, 7200); // 2 h after
    at(later(outcomes.failed.scheduledAt, 1)); // the network answers 422: failed at once
    expect(await t.app.get(Dispatcher).tick()).toMatchObject({ claimed: 1, failed: 1 });
    at(later(outcomes.missed.scheduledAt, 3600)); // approved, never sent, past the grace period
    expect(await t.app.get(Dispatcher).tick()).toMatchObject({ missed: 1 });

    siLinkedIn = (await list('member=SI&network=linkedin')).length;
    at('2021-10-01T09:00:00Z');
    const si = campaign.members.find((m: any) => m.code === 'SI');
    si.channels = si.channels.filter((c: { network: string }) => c.network !== 'linkedin');
    const replanned = await t.http.put(`/api/campaigns/${slug}`).set(admin).send(campaign);
    if (replanned.status !== 200) throw new Error(`re-plan refused: ${JSON.stringify(replanned.body)}`);
  });
  afterAll(async () => {
    await t?.close();
    await hook?.close();
  });

  it('counts planned, approved, published, on time, late, missed, failed and cancelled per member, network, locale and theme', async () => {
    const body = await report();
    expect(body).toMatchObject({ slug, onTimeSeconds: 900 });
    const hrFacebook = await list('member=HR&network=facebook');
    const policyFacebook = hrFacebook.filter((p) => p.theme === 'policy' && p.status !== 'cancelled').length;
    expect(row(body.rows, 'HR', 'facebook')).toMatchObject({
      locale: 'hr', planned: policyFacebook, approved: 3, published: 2, onTime: 1, late: 1, missed: 1, failed: 0, cancelled: 0, responses: null,
      approvalLeadSeconds: 7200, approvedBy: [{ name: 'Ivana', role: 'coordinator', approvals: 3 }],
    });
    expect(row(body.rows, 'HR', 'x')).toMatchObject({ approved: 1, published: 0, onTime: 0, failed: 1, missed: 0, approvalLeadSeconds: 1800 });
    const linkedIn = body.rows.filter((r: Row) => r.member === 'SI' && r.network === 'linkedin');
    expect(siLinkedIn).toBeGreaterThan(0);
    expect(linkedIn.reduce((n: number, r: Row) => n + r.cancelled, 0)).toBe(siLinkedIn);
    expect(linkedIn.every((r: Row) => r.planned === 0 && r.approved === 0)).toBe(true);
    expect(row(body.rows, 'SI', 'x')).toMatchObject({ cancelled: 0, published: 0, approvalLeadSeconds: null, approvedBy: [] });
    const hrTotal = body.rows.filter((r: Row) => r.member === 'HR').reduce((n: number, r: Row) => n + r.planned, 0);
    expect(hrTotal).toBe((await list('member=HR')).filter((p) => p.status !== 'cancelled').length);
  });

  it('takes the on-time tolerance from the query', async () => {
    const wide = await report('?onTimeSeconds=7200');
    expect(row(wide.rows, 'HR', 'facebook')).toMatchObject({ published: 2, onTime: 2, late: 0 });
    const strict = await report('?onTimeSeconds=60');
    expect(row(strict.rows, 'HR', 'facebook')).toMatchObject({ onTime: 0, late: 2 });
  });

  it('shows coordinators their own member only, and refuses another member with 403', async () => {
    const own = await report('', hrCoordinator);
    expect(new Set(own.rows.map((r: Row) => r.member))).toEqual(new Set(['HR']));
    await t.http.get(`/api/campaigns/${slug}/report?member=HR`).set(bearer(siCoordinator)).expect(403);
    const si = await report('', siCoordinator);
    expect(si.rows.every((r: Row) => r.member === 'SI')).toBe(true);
    const filtered = await report('?member=SI');
    expect(filtered.rows.every((r: Row) => r.member === 'SI')).toBe(true);
  });

  it('answers bad input with 400 naming the field, an unknown campaign with 404, no token with 401', async () => {
    const bad = await t.http.get(`/api/campaigns/${slug}/report?onTimeSeconds=-5`).set(admin).expect(400);
    expect(bad.body.message).toContain('onTimeSeconds');
    expect((await t.http.get(`/api/campaigns/${slug}/report?format=xml`).set(admin).expect(400)).body.message).toContain('format');
    await t.http.get('/api/campaigns/nope/report').set(admin).expect(404);
    await t.http.get(`/api/campaigns/${slug}/report`).expect(401);
  });

  it('gives the same rows as CSV, one column per figure, readable by Excel (BOM, CRLF)', async () => {
    const json = await report();
    const res = await t.http.get(`/api/campaigns/${slug}/report?format=csv`).set(admin).buffer(true).parse((r, cb) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (text += c));
      r.on('end', () => cb(null, text));
    }).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = res.body as string;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...lines] = parseCsv(text.slice(1));
    expect(header.slice(0, 12)).toEqual(['member', 'network', 'locale', 'theme', 'planned', 'approved', 'published', 'onTime', 'late', 'missed', 'failed', 'cancelled']);
    expect(lines).toHaveLength(json.rows.length);
    const records = lines.map((l) => Object.fromEntries(header.map((h, i) => [h, l[i]])));
    const hr = records.find((r) => r.member === 'HR' && r.network === 'facebook' && r.theme === 'policy')!;
    expect(hr).toMatchObject({ published: '2', onTime: '1', late: '1', missed: '1', approvalLeadSeconds: '7200', approvedBy: 'Ivana (coordinator) 3', likes: '' });
  });
});
