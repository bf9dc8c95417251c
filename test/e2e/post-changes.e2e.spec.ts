import type { EntityManager } from 'typeorm';
import { changePosts, NEW_REVISION, PostChange } from '../../src/posts/post-changes';
import type { PostStatus } from '../../src/posts/post-status';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';

const admin = bearer(ADMIN_TOKEN);
const context = { at: '2021-10-01T09:00:00.000Z', actor: 'test', actorId: null };
type Row = { id: number; status: PostStatus; revision: number; approved_revision: number | null };

describe.each<DatabaseKind>(['sqlite', 'postgres'])('changePosts on %s', (kind) => {
  let t: TestApp;
  const campaign = campaignOnShippedTemplates('changes', ['SI', 'HR']);

  beforeAll(async () => {
    t = await startTestApp({ kind, campaignsDir: '/nonexistent' });
    await t.http.post('/api/campaigns').set(admin).send(campaign).expect(201);
  });
  afterAll(() => t.close());

  const rows = async (ids: number[]): Promise<Row[]> => (await t.db.manager.query(
    t.db.sql(`select id, status, revision, approved_revision from posts where id in (${ids.map(() => '?').join(', ')}) order by id`), ids,
  )).map((r: Row) => ({ ...r, id: Number(r.id), revision: Number(r.revision) }));
  const events = async (ids: number[]) => (await t.db.manager.query(
    t.db.sql(`select post_id, action, from_status, to_status, revision from post_events where action = 'test' and post_id in (${ids.map(() => '?').join(', ')}) order by post_id`), ids,
  )).map((e: any) => [Number(e.post_id), e.from_status, e.to_status, Number(e.revision)]);
  const drafts = async (count: number): Promise<Row[]> => (await t.db.manager.query(
    t.db.sql(`select id, status, revision, approved_revision from posts where status = 'draft' order by id limit ${count}`),
  )).map((r: Row) => ({ ...r, id: Number(r.id), revision: Number(r.revision) }));
  const change = (post: Row, extra: Partial<PostChange> = {}): PostChange => ({
    id: post.id, expected: { revision: post.revision, status: post.status }, set: { status: 'in_review' }, event: { action: 'test' }, ...extra,
  });

  it('changes only rows still at the revision and in a status the caller expects, with an event for each', async () => {
    const [a, b, c, d] = await drafts(4);
    const outcome = await t.db.write((m) => changePosts(t.db, m, context, [
      change(a),
      change(b, { expected: { revision: b.revision + 1, status: 'draft' } }), // someone changed it since
      change(c, { from: ['approved'] }), // this action may not start from a draft
      change(d, { expected: { revision: d.revision, status: 'approved' }, from: ['approved'] }), // it is not approved
    ]));
    expect(outcome.changed.map((p) => [p.id, p.status, p.revision])).toEqual([[a.id, 'in_review', a.revision + 1]]);
    expect(outcome.skipped.sort()).toEqual([b.id, c.id, d.id].sort());
    expect(await rows([a.id, b.id, c.id, d.id])).toEqual([
      { ...a, status: 'in_review', revision: a.revision + 1 }, b, c, d,
    ]);
    expect(await events([a.id, b.id, c.id, d.id])).toEqual([[a.id, 'draft', 'in_review', a.revision + 1]]);
  });

  it('gives approvedRevision the revision the change itself gives the post', async () => {
    const [post] = await drafts(1);
    await t.db.write((m) => changePosts(t.db, m, context, [change(post, { set: { status: 'approved', approvedRevision: NEW_REVISION } })]));
    expect(await rows([post.id])).toEqual([{ ...post, status: 'approved', revision: post.revision + 1, approved_revision: post.revision + 1 }]);
  });

  /** Runs changePosts with every statement it sends recorded. */
  const recorded = async (changes: PostChange[]) => {
    const statements: string[] = [];
    const outcome = await t.db.write((m: EntityManager) => {
      const query = m.query.bind(m);
      m.query = (sql: string, params?: unknown[]) => {
        statements.push(sql);
        return query(sql, params);
      };
      return changePosts(t.db, m, context, changes);
    });
    return { outcome, statements, updates: statements.filter((sql) => /\bupdate posts\b/i.test(sql)).length };
  };

  it('changes many rows that set the same values in one statement per 100 rows (PostgreSQL: one in all)', async () => {
    const posts = await drafts(120);
    const { outcome, updates } = await recorded(posts.map((p) => change(p)));
    expect(outcome.changed).toHaveLength(120);
    expect(updates).toBe(kind === 'sqlite' ? 2 : 1);
    expect(await events(posts.map((p) => p.id))).toHaveLength(120);
  });

  it('changes rows that set the same columns to different values in one statement, each row to its own values', async () => {
    const posts = await drafts(12);
    const stale = posts[7];
    const changes = posts.map((p, i) => change(p, { set: { status: 'in_review', lastError: `note ${i}`, attempts: i }, ...(p === stale ? { expected: { revision: p.revision + 1, status: 'draft' } } : {}) }));
    const { outcome, updates } = await recorded(changes);
    expect(updates).toBe(1);
    expect(outcome.skipped).toEqual([stale.id]);
    const after = await t.db.manager.query(t.db.sql(`select id, status, revision, last_error, attempts from posts where id in (${posts.map(() => '?').join(', ')}) order by id`), posts.map((p) => p.id));
    expect(after.map((r: any) => [Number(r.id), r.status, Number(r.revision), r.last_error, Number(r.attempts)])).toEqual(posts.map((p, i) => (p === stale
      ? [p.id, 'draft', p.revision, null, 0]
      : [p.id, 'in_review', p.revision + 1, `note ${i}`, i])));
    expect(await events(posts.map((p) => p.id))).toEqual(posts.filter((p) => p !== stale).map((p) => [p.id, 'draft', 'in_review', p.revision + 1]));
  });

  it('writes the rows and their events in one round trip on PostgreSQL (SQLite: an UPDATE and an INSERT)', async () => {
    const posts = await drafts(3);
    const { outcome, statements } = await recorded([
      change(posts[0]), change(posts[1], { set: { status: 'in_review', lastError: 'another shape' } }), change(posts[2], { event: null }),
    ]);
    expect(outcome.changed).toHaveLength(3);
    expect(statements).toHaveLength(kind === 'sqlite' ? 3 : 1);
    expect(await events(posts.map((p) => p.id))).toEqual(posts.slice(0, 2).map((p) => [p.id, 'draft', 'in_review', p.revision + 1]));
  });

  it('changes a post named twice in one call once, as the first change says (PostgreSQL: one statement per group then)', async () => {
    const [post] = await drafts(1);
    const { outcome, updates } = await recorded([change(post, { set: { status: 'in_review', lastError: 'first' } }), change(post, { set: { status: 'in_review' } })]);
    expect(updates).toBe(2);
    expect(outcome.changed.map((p) => [p.id, p.revision])).toEqual([[post.id, post.revision + 1]]);
    const [row] = await t.db.manager.query(t.db.sql('select status, revision, last_error from posts where id = ?'), [post.id]);
    expect([row.status, Number(row.revision), row.last_error]).toEqual(['in_review', post.revision + 1, 'first']);
    expect(await events([post.id])).toEqual([[post.id, 'draft', 'in_review', post.revision + 1]]);
  });

  it('makes a re-plan leave failed and missed posts alone and report them skipped', async () => {
    const [failed, missed, draft] = (await t.http.get('/api/campaigns/changes/posts?member=HR&status=in_review&limit=3').set(admin).expect(200)).body.items;
    await t.db.write((m) => changePosts(t.db, m, context, [
      change({ id: failed.id, revision: failed.revision, status: 'in_review', approved_revision: null }, { set: { status: 'failed', lastError: 'HTTP 422' } }),
      change({ id: missed.id, revision: missed.revision, status: 'in_review', approved_revision: null }, { set: { status: 'missed' } }),
    ]));
    const hr = campaign.members.find((m: any) => m.code === 'HR');
    const moved = { ...campaign, members: campaign.members.map((m: any) => (m === hr ? { ...hr, slots: [{ time: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }] } : m)) };
    const plan = (await t.http.put('/api/campaigns/changes').set(admin).send(moved).expect(200)).body.plan;
    expect(plan.skippedPostIds).toEqual(expect.arrayContaining([failed.id, missed.id]));
    expect(plan.skippedPostIds).not.toContain(draft.id);
    const after = async (id: number) => (await t.http.get(`/api/posts/${id}`).set(admin).expect(200)).body;
    expect(await after(failed.id)).toMatchObject({ status: 'failed', scheduledAt: failed.scheduledAt, lastError: 'HTTP 422' });
    expect(await after(missed.id)).toMatchObject({ status: 'missed', scheduledAt: missed.scheduledAt });
    expect((await after(draft.id)).scheduledAt).not.toBe(draft.scheduledAt);
  });
});
