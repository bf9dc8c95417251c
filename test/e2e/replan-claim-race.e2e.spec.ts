import type { QueryRunner } from 'typeorm';
import { claimDuePosts } from '../../src/posts/post-claims';
import { Dispatcher } from '../../src/publishing/dispatcher.service';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from '../support/test-app';
import { campaignOnShippedTemplates } from '../support/shipped-campaign';
import { startReceiver } from '../support/webhook-receiver';

const admin = bearer(ADMIN_TOKEN);
const slug = 'race';
type Post = { id: number; revision: number; status: string; scheduledAt: string; text: string; [k: string]: any };

/**
 * A re-plan and the dispatcher's claim on the same post, on PostgreSQL where they run on separate
 * connections (replicas). The interleavings are forced: a receiver that holds the send open, and
 * transactions held open on a second connection, with the re-plan seen waiting on a row lock.
 */
describe('a re-plan racing a claim on PostgreSQL', () => {
  let t: TestApp;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  // Slovenia declares the facts the shipped templates cite; only Croatia's posts are sent here.
  const campaign = campaignOnShippedTemplates(slug, ['HR', 'SI']);
  const hr = campaign.members.find((m: any) => m.code === 'HR');
  const others = campaign.members.filter((m: any) => m.code !== 'HR');

  beforeAll(async () => {
    process.env.PUBLISHER_SECRET_RACE = 'race-hook-secret';
    hook = await startReceiver(() => ({ status: 200, body: {} }));
    // The first test holds a send open while a re-plan runs: on a busy machine (suites run in parallel)
    // that outlasts the usual 2 s publish timeout, and a timed-out send is not what is tested here.
    const publishing = { graceSeconds: 900, intervalMs: 5000, leaseSeconds: 60, claimBatch: 50, concurrency: 8, maxAttempts: 3, timeoutMs: 30_000, retryBaseMs: 20, commitDelayMs: 5, commitBatch: 32 };
    t = await startTestApp({ kind: 'postgres', campaignsDir: '/nonexistent', config: { publishing } });
    hr.channels = [{ network: 'x', publisher: { type: 'webhook', url: `${hook.url}/x`, secretEnv: 'PUBLISHER_SECRET_RACE' } }];
    await t.http.post('/api/campaigns').set(admin).send(campaign).expect(201);
  });
  afterAll(async () => {
    await t.close();
    await hook.close();
  });

  const get = async (id: number): Promise<Post> => (await t.http.get(`/api/posts/${id}`).set(admin).expect(200)).body;
  const postOn = async (date: string): Promise<Post> =>
    (await t.http.get(`/api/campaigns/${slug}/posts?member=HR&from=${date}T00:00:00Z&to=${date}T23:59:59Z`).set(admin).expect(200)).body.items[0];
  const approve = async (post: Post): Promise<Post> => {
    const submitted = (await t.http.post(`/api/posts/${post.id}/submit`).set(admin).send({ revision: post.revision }).expect(200)).body;
    return (await t.http.post(`/api/posts/${post.id}/approve`).set(admin).send({ revision: submitted.revision }).expect(200)).body;
  };
  /** The re-plan: Croatia's posting time moves, so every one of its posts changes. */
  const replanAt = (time: string) => t.http.put(`/api/campaigns/${slug}`).set(admin).send({ ...campaign, members: [...others, { ...hr, slots: [{ time, days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }] }] });
  const sentOf = (id: number) => hook.deliveries.filter((d) => d.body.id === id);
  const history = async (id: number) => (await t.http.get(`/api/posts/${id}/history`).set(admin).expect(200)).body.map((h: any) => h.action);
  /** Resolves once a statement of the service waits on a row lock held by the test. */
  const someoneWaitsOnALock = async () => {
    for (let i = 0; i < 200; i++) {
      const [{ n }] = await t.db.manager.query("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
      if (n > 0) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('nothing waited on the lock');
  };
  const openTransaction = async (): Promise<QueryRunner> => {
    const runner = t.db.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    return runner;
  };

  it('leaves a post being sent alone, reports it skipped, and it is sent once', async () => {
    const post = await approve(await postOn('2021-10-18'));
    let arrived!: () => void;
    let release!: () => void;
    const inFlight = new Promise<void>((r) => (arrived = r));
    const released = new Promise<void>((r) => (release = r));
    hook.setReply(() => {
      arrived();
      return { status: 200, body: { url: 'https://x.example/1' }, until: released };
    });
    t.clock.set(new Date('2021-10-18T08:00:05Z'));
    const tick = t.app.get(Dispatcher).tick();
    await inFlight;

    const plan = (await replanAt('11:00').expect(200)).body.plan;
    const during = await get(post.id);
    release();
    expect(await tick).toMatchObject({ claimed: 1, published: 1 });
    hook.setReply(() => ({ status: 200, body: {} }));

    expect(during).toMatchObject({ status: 'publishing', scheduledAt: post.scheduledAt, text: post.text });
    expect(plan.skippedPostIds).toContain(post.id);
    expect(plan.skippedPosts).toBeGreaterThanOrEqual(1);
    expect(await get(post.id)).toMatchObject({ status: 'published', publishedUrl: 'https://x.example/1' });
    expect(sentOf(post.id)).toHaveLength(1);
    expect(await history(post.id)).toEqual(['planned', 'submitted', 'approved', 'claimed', 'published']);
  });

  it('does not reset a post claimed between the re-plan’s read and its write (claim first)', async () => {
    const post = await approve(await postOn('2021-10-19')); // 11:00 in Zagreb since the last re-plan
    const due = Date.parse(post.scheduledAt);
    const iso = (ms: number) => new Date(ms).toISOString();
    // Another replica claims the post and has not committed yet.
    const replica = await openTransaction();
    let put: Promise<any>;
    try {
      const claimed = await claimDuePosts(t.db, replica.manager, { owner: 'replica-b', now: iso(due + 1000), notBefore: iso(due - 900_000), leaseUntil: iso(due + 61_000), limit: 10 });
      expect(claimed.map((c) => c.id)).toEqual([post.id]);
      put = replanAt('10:00').then((res) => res); // reads the post as approved, then waits for its row
      await someoneWaitsOnALock();
      await replica.commitTransaction();
    } finally {
      await replica.release();
    }
    const plan = (await put!).body.plan;
    expect(await get(post.id)).toMatchObject({ status: 'publishing', scheduledAt: post.scheduledAt, text: post.text });
    expect(plan.skippedPostIds).toContain(post.id);

    // replica-b dies; its lease runs out and this replica takes the post over, under the approved revision.
    t.clock.set(new Date(due + 62_000));
    expect(await t.app.get(Dispatcher).tick()).toMatchObject({ claimed: 1, published: 1 });
    expect(sentOf(post.id).map((d) => [d.headers['idempotency-key'], d.body.revision])).toEqual([[`natc-post-${post.id}-r${post.revision}`, post.revision]]);
    expect(await get(post.id)).toMatchObject({ status: 'published' });
  });

  it('claims nothing while a re-plan holds the post, then sees its new revision (re-plan first)', async () => {
    const post = await approve(await postOn('2021-10-20')); // 10:00 in Zagreb since the last re-plan
    const due = Date.parse(post.scheduledAt);
    // Hold the re-plan's transaction open: it ends by updating the campaign row, which the test locks.
    const lock = await openTransaction();
    let put: Promise<any>;
    try {
      await lock.query('select id from campaigns where slug = $1 for update', [slug]);
      put = replanAt('12:00').then((res) => res);
      await someoneWaitsOnALock();
      t.clock.set(new Date(due + 1000));
      expect((await t.app.get(Dispatcher).tick()).claimed).toBe(0); // the re-planned row is locked: skipped
      await lock.commitTransaction();
    } finally {
      await lock.release();
    }
    expect((await put!).status).toBe(200);
    const replanned = await get(post.id);
    expect(replanned).toMatchObject({ status: 'draft', revision: post.revision + 1 });
    t.clock.set(new Date(Date.parse(replanned.scheduledAt) + 1000));
    expect((await t.app.get(Dispatcher).tick()).claimed).toBe(0); // a draft is never sent
    expect(sentOf(post.id)).toHaveLength(0);

    const again = await approve(replanned);
    expect(await t.app.get(Dispatcher).tick()).toMatchObject({ claimed: 1, published: 1 });
    expect(sentOf(post.id).map((d) => d.headers['idempotency-key'])).toEqual([`natc-post-${post.id}-r${again.revision}`]);
  });
});
