import { GroupCommit } from '../../src/posts/group-commit';
import { PostChange } from '../../src/posts/post-changes';
import type { PostStatus } from '../../src/posts/post-status';
import { countingDb } from '../support/counting-db';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';
import { ADMIN_TOKEN, bearer, DatabaseKind, startTestApp, TestApp } from '../support/test-app';

type Row = { id: number; status: PostStatus; revision: number };

describe.each<DatabaseKind>(['sqlite', 'postgres'])('GroupCommit on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ kind, campaignsDir: '/nonexistent' });
    await t.http.post('/api/campaigns').set(bearer(ADMIN_TOKEN)).send(campaignOnShippedTemplates('group-commit', ['SI'])).expect(201);
  });
  afterAll(() => t.close());

  const drafts = async (count: number): Promise<Row[]> => (await t.db.manager.query(
    t.db.sql(`select id, status, revision from posts where status = 'draft' order by id limit ${count}`),
  )).map((r: Row) => ({ ...r, id: Number(r.id), revision: Number(r.revision) }));
  const statuses = async (ids: number[]) => (await t.db.manager.query(
    t.db.sql(`select id, status from posts where id in (${ids.map(() => '?').join(', ')}) order by id`), ids,
  )).map((r: { id: number; status: string }) => [Number(r.id), r.status]);
  const events = async (ids: number[]) => Number((await t.db.manager.query(
    t.db.sql(`select count(*) as n from post_events where action = 'grouped' and post_id in (${ids.map(() => '?').join(', ')})`), ids,
  ))[0].n);
  const change = (post: Row, extra: Partial<PostChange> = {}): PostChange => ({
    id: post.id, expected: { revision: post.revision, status: 'draft' }, set: { status: 'in_review' }, event: { action: 'grouped' }, ...extra,
  });
  const context = () => ({ at: new Date().toISOString(), actor: 'test', actorId: null });

  it('commits the changes that arrive together in one transaction (PostgreSQL: one statement), and says which ones changed their post', async () => {
    const posts = await drafts(5);
    const { db, transactions, statements } = countingDb(t.db);
    const group = new GroupCommit(db, context, { delayMs: 50, maxBatch: 10 });
    const stale = change(posts[4], { expected: { revision: posts[4].revision + 1, status: 'draft' } }); // changed by someone meanwhile
    const results = await Promise.all([...posts.slice(0, 4).map((p) => group.record(change(p))), group.record(stale)]);
    expect(results).toEqual([true, true, true, true, false]);
    // PostgreSQL: the updates and their events are one statement, its own transaction (no BEGIN, no COMMIT).
    expect([transactions(), statements()]).toEqual(kind === 'sqlite' ? [1, 0] : [0, 1]);
    expect(await statuses(posts.map((p) => p.id))).toEqual([...posts.slice(0, 4).map((p) => [p.id, 'in_review']), [posts[4].id, 'draft']]);
    expect(await events(posts.map((p) => p.id))).toBe(4);
  });

  it('commits a full group at once, without waiting for the delay', async () => {
    const posts = await drafts(3);
    const group = new GroupCommit(t.db, context, { delayMs: 60_000, maxBatch: 3 });
    expect(await Promise.all(posts.map((p) => group.record(change(p))))).toEqual([true, true, true]);
  });

  it('a failed commit writes none of its group and rejects each change', async () => {
    const posts = await drafts(2);
    const group = new GroupCommit(t.db, context, { delayMs: 20, maxBatch: 10 });
    const broken = change(posts[1], { set: { noSuchColumn: 1 } as unknown as PostChange['set'] });
    const results = await Promise.allSettled([group.record(change(posts[0])), group.record(broken)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await statuses(posts.map((p) => p.id))).toEqual(posts.map((p) => [p.id, 'draft']));
    expect(await events(posts.map((p) => p.id))).toBe(0);
  });
});
