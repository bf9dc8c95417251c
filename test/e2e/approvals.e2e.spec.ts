import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';

const admin = bearer(ADMIN_TOKEN);
const POSTS = '/api/campaigns/natc-see-2021/posts';
type Post = { id: number; revision: number; status: string; member: string; approvals: unknown[]; [key: string]: any };

describe.each<DatabaseKind>(['sqlite', 'postgres'])('approvals over HTTP on %s', (kind) => {
  let t: TestApp;
  let tokens: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp({ kind });
    tokens = {
      hrComms: await t.token('comms', 'HR', 'Iva (HR comms)'),
      hrCoordinator: await t.token('coordinator', 'HR', 'Marko (HR coordinator)'),
      hrCoordinator2: await t.token('coordinator', 'HR', 'Petra (HR coordinator)'),
      siComms: await t.token('comms', 'SI', 'Luka (SI comms)'),
      siCoordinator: await t.token('coordinator', 'SI', 'Ana (SI coordinator)'),
    };
  });
  afterAll(() => t.close());

  const as = (who: string) => bearer(tokens[who] ?? ADMIN_TOKEN);
  const list = async (query: string): Promise<Post[]> => (await t.http.get(`${POSTS}?${query}&limit=1000`).set(admin).expect(200)).body.items;
  const one = async (query: string): Promise<Post> => (await list(query))[0];
  const get = async (id: number): Promise<Post> => (await t.http.get(`/api/posts/${id}`).set(admin).expect(200)).body;
  const row = async (id: number) => (await t.db.manager.query(t.db.sql('select * from posts where id = ?'), [id]))[0];
  const act = (who: string, id: number, action: string, body: object) => t.http.post(`/api/posts/${id}/${action}`).set(as(who)).send(body);
  const submit = async (post: Post, who = 'hrComms') => (await act(who, post.id, 'submit', { revision: post.revision }).expect(200)).body as Post;

  it('runs the default chain: comms submit, the coordinator approves, the approval is bound to the text and time', async () => {
    const post = await one('member=HR&network=facebook&theme=policy');
    const submitted = await submit(post);
    expect(submitted).toMatchObject({ status: 'in_review', revision: post.revision + 1, awaitingRole: 'coordinator', approvals: [] });
    const approved = (await act('hrCoordinator', post.id, 'approve', { revision: submitted.revision, comment: 'ok' }).expect(200)).body;
    expect(approved).toMatchObject({ status: 'approved', revision: post.revision + 2, awaitingRole: null });
    expect(approved.approvals).toEqual([{ step: 1, role: 'coordinator', by: 'Marko (HR coordinator)', at: '2021-10-01T09:00:00.000Z' }]);
    const [approval] = await t.db.manager.query(t.db.sql('select * from approvals where post_id = ?'), [post.id]);
    expect(approval).toMatchObject({ text_hash: post.textHash, scheduled_at: post.scheduledAt, user_name: 'Marko (HR coordinator)' });
    expect((await row(post.id)).approved_revision).toBe(approved.revision);
    const history = (await t.http.get(`/api/posts/${post.id}/history`).set(as('hrCoordinator')).expect(200)).body;
    expect(history.map((h: any) => [h.action, h.actor, h.fromStatus, h.toStatus, h.comment])).toEqual([
      ['planned', 'importer', null, 'draft', null],
      ['submitted', 'Iva (HR comms)', 'draft', 'in_review', null],
      ['approved', 'Marko (HR coordinator)', 'in_review', 'approved', 'ok'],
    ]);
  });

  it('voids every approval when the text or time changes, back to draft', async () => {
    const post = await one('member=HR&network=facebook&theme=policy&status=approved');
    const edited = (await t.http.patch(`/api/posts/${post.id}`).set(as('hrComms')).send({ revision: post.revision, localTime: '2021-10-18T11:00' }).expect(200)).body;
    expect(edited).toMatchObject({ status: 'draft', approvals: [], awaitingRole: null, scheduledAt: '2021-10-18T09:00:00.000Z' });
    expect(await t.db.manager.query(t.db.sql('select * from approvals where post_id = ?'), [post.id])).toEqual([]);
    expect((await row(post.id)).approved_revision).toBeNull();
  });

  it('walks a two-step chain in order (Slovenia: coordinator, then secretariat)', async () => {
    const post = await submit(await one('member=SI&network=linkedin&theme=policy'), 'siComms');
    expect(post.approvalSteps).toEqual(['coordinator', 'secretariat']);
    const first = (await act('siCoordinator', post.id, 'approve', { revision: post.revision }).expect(200)).body;
    expect(first).toMatchObject({ status: 'in_review', awaitingRole: 'secretariat' });
    const refused = await act('siCoordinator', post.id, 'approve', { revision: first.revision }).expect(403);
    expect(refused.body.message).toBe('step 2 of 2 awaits the secretariat, not the coordinator');
    const last = (await act('admin', post.id, 'approve', { revision: first.revision }).expect(200)).body;
    expect(last.status).toBe('approved');
    expect(last.approvals.map((a: any) => [a.step, a.role, a.by])).toEqual([[1, 'coordinator', 'Ana (SI coordinator)'], [2, 'secretariat', 'admin']]);
  });

  it('lets exactly one of two coordinators clicking at once win', async () => {
    const post = await submit(await one('member=HR&network=x&theme=policy'));
    const results = await Promise.all([act('hrCoordinator', post.id, 'approve', { revision: post.revision }), act('hrCoordinator2', post.id, 'approve', { revision: post.revision })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const after = await get(post.id);
    expect(after.approvals).toHaveLength(1);
    expect(after.revision).toBe(post.revision + 1);
  });

  it('requires a comment to reject, then lets comms fix and resubmit', async () => {
    const post = await submit((await list('member=HR&network=x&theme=capacity-building'))[0]);
    const before = await row(post.id);
    const missing = await act('hrCoordinator', post.id, 'reject', { revision: post.revision, comment: '  ' }).expect(400);
    expect(missing.body.errors).toEqual([{ field: 'comment', message: expect.stringContaining('needs a comment') }]);
    expect(await row(post.id)).toEqual(before);
    const rejected = (await act('hrCoordinator', post.id, 'reject', { revision: post.revision, comment: 'Use the official term.' }).expect(200)).body;
    expect(rejected).toMatchObject({ status: 'rejected', approvals: [] });
    const resubmitted = await submit(rejected);
    expect(resubmitted.status).toBe('in_review');
  });

  describe('who may do what', () => {
    it('keeps a coordinator of SI away from an HR post: see, edit, approve, reject all refused, nothing changed', async () => {
      const post = await submit((await list('member=HR&network=facebook&theme=capacity-building'))[0]);
      const before = await row(post.id);
      await t.http.get(`/api/posts/${post.id}`).set(as('siCoordinator')).expect(403);
      await t.http.patch(`/api/posts/${post.id}`).set(as('siCoordinator')).send({ revision: post.revision, text: 'x' }).expect(403);
      await act('siCoordinator', post.id, 'approve', { revision: post.revision }).expect(403);
      await act('siCoordinator', post.id, 'reject', { revision: post.revision, comment: 'no' }).expect(403);
      await t.http.post('/api/approvals/approve').set(as('siCoordinator')).send({ items: [{ id: post.id, revision: post.revision }] }).expect(403);
      expect(await row(post.id)).toEqual(before);
    });

    it('does not let comms approve, nor a coordinator submit', async () => {
      const post = (await list('member=HR&network=facebook&theme=capacity-building&status=in_review'))[0];
      const refused = await act('hrComms', post.id, 'approve', { revision: post.revision }).expect(403);
      expect(refused.body.message).toContain('awaits the coordinator');
      const draft = await one('member=HR&network=facebook&theme=victim-assistance');
      await act('hrCoordinator', draft.id, 'submit', { revision: draft.revision }).expect(403);
    });

    it.each([
      ['approve', { revision: 1, status: 'approved' }, 'status'],
      ['approve', { revision: 1, approvals: [] }, 'approvals'],
      ['submit', {}, 'revision'],
      ['reject', { revision: 1 }, 'comment'],
    ])('refuses unknown or missing fields in a %s body (%j → %s)', async (action, body, field) => {
      const post = await one('member=HR&network=x&theme=victim-assistance');
      const before = await row(post.id);
      const res = await act('admin', post.id, action, body).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await row(post.id)).toEqual(before);
    });

    it('refuses to submit a post over its limit', async () => {
      const post = await one('member=HR&network=x&theme=victim-assistance');
      const long = (await t.http.patch(`/api/posts/${post.id}`).set(as('hrComms')).send({ revision: post.revision, text: 'Ž'.repeat(281) }).expect(200)).body;
      expect(long).toMatchObject({ length: 281, limit: 280, overLimit: true });
      const res = await act('hrComms', post.id, 'submit', { revision: long.revision }).expect(409);
      expect(res.body.message).toContain('over the network');
    });
  });

  describe('a whole week at once', () => {
    it('approves all or nothing: one stale revision refuses the whole request', async () => {
      const week = (await list('member=HR&network=facebook&theme=victim-assistance')).slice(0, 6);
      await t.http.post('/api/approvals/submit').set(as('hrCoordinator')).send({ items: week.map((p) => ({ id: p.id, revision: p.revision })) }).expect(403);
      const submitted: Post[] = (await t.http.post('/api/approvals/submit').set(as('hrComms'))
        .send({ items: week.map((p) => ({ id: p.id, revision: p.revision })) }).expect(200)).body.items;
      expect(submitted.map((p) => p.status)).toEqual(Array(6).fill('in_review'));
      const items = submitted.map((p) => ({ id: p.id, revision: p.revision }));
      const stale = [...items.slice(0, 5), { id: items[5].id, revision: items[5].revision - 1 }];
      const before = await Promise.all(week.map((p) => row(p.id)));
      const res = await t.http.post('/api/approvals/approve').set(as('hrCoordinator')).send({ items: stale }).expect(409);
      expect(res.body).toMatchObject({ message: expect.stringMatching(/^items\[5\] \(post \d+\): revision \d+ is stale/), item: { index: 5, id: items[5].id } });
      expect(await Promise.all(week.map((p) => row(p.id)))).toEqual(before);
      const ok = await t.http.post('/api/approvals/approve').set(as('hrCoordinator')).send({ items }).expect(200);
      expect(ok.body.items.map((p: Post) => p.status)).toEqual(Array(6).fill('approved'));
    });

    it('submits and approves more posts than one statement chunk holds (all of BA, RS and XK)', async () => {
      const ba = [...await list('member=BA&status=draft'), ...await list('member=RS&status=draft'), ...await list('member=XK&status=draft')];
      expect(ba.length).toBeGreaterThan(250);
      const submitted: Post[] = (await t.http.post('/api/approvals/submit').set(admin).send({ items: ba.map((p) => ({ id: p.id, revision: p.revision })) }).expect(200)).body.items;
      const approved: Post[] = (await t.http.post('/api/approvals/approve').set(admin).send({ items: submitted.map((p) => ({ id: p.id, revision: p.revision })) }).expect(200)).body.items;
      expect(new Set(approved.map((p) => p.status))).toEqual(new Set(['approved']));
    });

    it('rejects a list with one comment, and refuses the list if one post is not the caller’s', async () => {
      const hr = (await list('member=HR&network=x&theme=victim-assistance&status=draft')).filter((p) => !p.overLimit).slice(0, 2);
      const si = await one('member=SI&network=x&theme=victim-assistance');
      const submitted = await Promise.all(hr.map((p) => submit(p)));
      const siSubmitted = await submit(si, 'siComms');
      const items = [...submitted, siSubmitted].map((p) => ({ id: p.id, revision: p.revision }));
      await t.http.post('/api/approvals/reject').set(as('hrCoordinator')).send({ items, comment: 'redo' }).expect(403);
      const res = await t.http.post('/api/approvals/reject').set(as('hrCoordinator')).send({ items: items.slice(0, 2), comment: 'Please shorten.' }).expect(200);
      expect(res.body.items.map((p: Post) => p.status)).toEqual(['rejected', 'rejected']);
      expect((await get(siSubmitted.id)).status).toBe('in_review');
    });
  });

  it('queues what awaits the caller, oldest deadline first, and only theirs', async () => {
    const hrQueue = (await t.http.get('/api/approvals/pending').set(as('hrCoordinator')).expect(200)).body;
    expect(hrQueue.length).toBeGreaterThan(0);
    expect(hrQueue.every((p: Post) => p.member === 'HR' && p.status === 'in_review' && p.awaitingRole === 'coordinator')).toBe(true);
    const deadlines = hrQueue.map((p: { deadline: string }) => p.deadline);
    expect([...deadlines].sort()).toEqual(deadlines);
    expect(hrQueue[0].deadline).toBe(new Date(Date.parse(hrQueue[0].scheduledAt) - 24 * 3600_000).toISOString());
    const siQueue = (await t.http.get('/api/approvals/pending').set(as('siCoordinator')).expect(200)).body;
    expect(siQueue.every((p: Post) => p.member === 'SI')).toBe(true);
    expect((await t.http.get('/api/approvals/pending').set(as('hrComms')).expect(200)).body).toEqual([]);
  });

  it('keeps the audit log append-only in the database itself', async () => {
    const [{ n }] = await t.db.manager.query('select count(*) as n from post_events');
    await expect(t.db.manager.query("update post_events set actor = 'mallory'")).rejects.toThrow(/append-only/);
    await expect(t.db.manager.query('delete from post_events')).rejects.toThrow(/append-only/);
    expect((await t.db.manager.query('select count(*) as n from post_events'))[0].n).toBe(n);
    expect((await t.db.manager.query("select count(*) as n from post_events where actor = 'mallory'"))[0].n).toEqual(kind === 'sqlite' ? 0 : '0');
  });

  it('exports the audit log as JSON and as CSV (UTF-8 with BOM), a coordinator seeing only their member', async () => {
    const json = (await t.http.get('/api/campaigns/natc-see-2021/audit?format=json').set(admin).expect(200)).body;
    const approvedEntry = json.find((e: any) => e.action === 'approved' && e.member === 'SI');
    expect(approvedEntry).toMatchObject({ actor: 'Ana (SI coordinator)', fromStatus: 'in_review', toStatus: 'in_review', textHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const csv = await t.http.get('/api/campaigns/natc-see-2021/audit?format=csv&member=HR').set(admin).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
    }).expect(200);
    const text = csv.body as string;
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(text.startsWith('\uFEFFat,post,member,network,locale,actor,action,fromStatus,toStatus,comment,revision,textHash,scheduledAt\r\n')).toBe(true);
    expect(text).toContain(',HR,x,hr,Marko (HR coordinator),rejected,in_review,rejected,Please shorten.,');
    expect(text).not.toMatch(/,SI,/);
    const hrOnly = (await t.http.get('/api/campaigns/natc-see-2021/audit').set(as('hrCoordinator')).expect(200)).body;
    expect(new Set(hrOnly.map((e: any) => e.member))).toEqual(new Set(['HR']));
    await t.http.get('/api/campaigns/natc-see-2021/audit?member=SI').set(as('hrCoordinator')).expect(403);
  });

  it('re-planning keeps the approvals of unchanged posts and resets those that moved, counting both', async () => {
    const { shippedCampaign } = await import('../support/shipped-campaign');
    const withApprovals = (await list('')).filter((p) => p.approvals.length > 0);
    const approvedHr = withApprovals.filter((p) => p.member === 'HR');
    const approvedOther = withApprovals.filter((p) => p.member !== 'HR');
    expect(approvedHr.length).toBeGreaterThan(5);
    expect(approvedOther.length).toBeGreaterThan(0);
    const same = (await t.http.put('/api/campaigns/natc-see-2021').set(admin).send(shippedCampaign()).expect(200)).body.plan;
    expect(same).toMatchObject({ updated: 0, approvalsReset: 0, approvalsKept: withApprovals.length });
    const moved = shippedCampaign();
    moved.members.find((m: any) => m.code === 'HR').slots = [{ time: '12:00' }];
    const plan = (await t.http.put('/api/campaigns/natc-see-2021').set(admin).send(moved).expect(200)).body.plan;
    expect(plan.approvalsReset).toBe(approvedHr.length);
    expect(plan.approvalsKept).toBe(approvedOther.length);
    for (const p of approvedHr) expect(await get(p.id)).toMatchObject({ status: 'draft', approvals: [] });
    for (const p of approvedOther) expect(await get(p.id)).toMatchObject({ status: p.status, approvals: p.approvals });
  });
});
