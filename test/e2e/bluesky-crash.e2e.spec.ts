import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blueskyRecordKey } from '../../src/publishing/publishers/bluesky-record-key';
import { BlueskyPds, BlueskyTestAccount, startBlueskyPds } from '../support/bluesky-pds';
import { freePort, ServiceProcess } from '../support/service-process';
import { shippedCampaign } from '../support/shipped-campaign';
import { createPgDatabase } from '../support/test-app';

const ADMIN = 'bluesky-crash-admin-token-0123456789';

/** A one-day campaign whose one Bluesky post is due in the current minute (so at once once approved). */
function dueNowCampaign(slug: string, pds: BlueskyPds, account: BlueskyTestAccount) {
  const shipped = shippedCampaign();
  const now = new Date();
  const date = now.toISOString().slice(0, 10);
  // The shipped templates cite facts that the shipped SI member declares.
  const facts = shipped.members.find((m: { code: string }) => m.code === 'SI').facts;
  return {
    slug, name: 'Bluesky crash', start: date, end: date, defaultLocale: 'en', templates: 'natc-see-2021',
    slots: [{ time: now.toISOString().slice(11, 16) }],
    themes: [{ key: 'policy', start: date, end: date, messages: [shipped.themes[0].messages[0]] }],
    members: [{
      code: 'HR', name: { en: 'Croatia' }, timezone: 'UTC', locales: ['hr'], approval: ['secretariat'], facts,
      channels: [{ network: 'bluesky', publisher: { type: 'bluesky', service: pds.url, handle: account.handle, passwordEnv: 'PUBLISHER_SECRET_BSKY_CRASH' } }],
    }],
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, { method, headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${(await res.text()).slice(0, 500)}`);
  return res.json();
}

async function waitFor<T>(what: string, test: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await test().catch(() => undefined);
    if (value) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Plans the campaign and approves its one post; the dispatcher sends it right away. */
async function approveTheDuePost(base: string, slug: string, pds: BlueskyPds, account: BlueskyTestAccount): Promise<{ id: number; revision: number }> {
  await api(base, 'POST', '/api/campaigns', dueNowCampaign(slug, pds, account));
  const [post] = (await api(base, 'GET', `/api/campaigns/${slug}/posts?network=bluesky`)).items;
  const submitted = await api(base, 'POST', `/api/posts/${post.id}/submit`, { revision: post.revision });
  const approved = await api(base, 'POST', `/api/posts/${post.id}/approve`, { revision: submitted.revision });
  expect(approved.status).toBe('approved');
  return approved;
}

describe('Bluesky: one record per post through crashes and replicas (service processes, real PDS)', () => {
  jest.setTimeout(60_000);
  let pds: BlueskyPds;
  /** A new account per test: two databases would otherwise give their first posts the same key. */
  let account: BlueskyTestAccount;
  let accounts = 0;
  let dir: string;
  let services: ServiceProcess[] = [];
  let dropDatabase = async () => undefined as void;

  beforeAll(async () => {
    pds = await startBlueskyPds();
  });
  beforeEach(async () => {
    account = await pds.account(`natc-${++accounts}.test`);
    dir = mkdtempSync(join(tmpdir(), 'bluesky-crash-'));
    mkdirSync(join(dir, 'campaigns'));
  });
  afterEach(async () => {
    for (const s of services) if (s.exitCode === null) {
      s.kill('SIGCONT');
      s.kill('SIGKILL');
      await s.exited().catch(() => undefined);
    }
    services = [];
    await dropDatabase();
    dropDatabase = async () => undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await pds?.close();
  });

  const serviceEnv = (database: Record<string, string>) => ({
    ...database, BOOTSTRAP_ADMIN_TOKEN: ADMIN, CAMPAIGNS_DIR: join(dir, 'campaigns'), PUBLISHER_SECRET_BSKY_CRASH: account.appPassword,
    DISPATCH_INTERVAL_MS: '200', LEASE_SECONDS: '5', PUBLISH_TIMEOUT_MS: '3000', LOG_FORMAT: 'json', RATE_LIMIT_PER_MINUTE: '100000',
  });
  const service = async (name: string, env: Record<string, string>) => {
    const s = new ServiceProcess(name, await freePort(), env, join(dir, `${name}.log`));
    services.push(s);
    return s;
  };
  /** Approves the due post and waits until the PDS has written its record and the proxy holds the answer. */
  const sendUntilHeld = async (sender: ServiceProcess, slug: string) => {
    const held = pds.holdNextCreateRecord();
    const post = await approveTheDuePost(sender.url, slug, pds, account);
    await held;
    return { post, rkey: blueskyRecordKey(post.id, post.revision) };
  };
  const publishedBy = (s: ServiceProcess, id: number) => waitFor(`post ${id} published by ${s.name}`, async () => {
    const p = await api(s.url, 'GET', `/api/posts/${id}`);
    return p.status === 'published' && p;
  }, 30_000);
  /** The account (new for each test) holds exactly one post: the one at the post's key. */
  const expectOneRecordAt = async (rkey: string) => expect((await account.posts()).map((r) => r.rkey)).toEqual([rkey]);

  it('SIGKILL between createRecord and recording the outcome: after a restart the take-over publishes the same record, once (SQLite)', async () => {
    const env = serviceEnv({ DATABASE_PATH: join(dir, 'service.sqlite') });
    const first = await service('sqlite-first', env);
    await first.start();
    const { post, rkey } = await sendUntilHeld(first, 'bsky-crash');

    // The PDS wrote the record; its answer never reaches the service, which dies now.
    first.kill('SIGKILL');
    expect(await first.exited()).toBe(128);
    await expectOneRecordAt(rkey);
    pds.release();

    const restarted = await service('sqlite-restarted', env);
    await restarted.start();
    const published = await publishedBy(restarted, post.id);
    await expectOneRecordAt(rkey);
    expect(published.publishedUrl).toBe(`https://bsky.app/profile/${account.handle}/post/${rkey}`);
    expect((await account.posts())[0].value.text).toBe(published.text);
    const history = await api(restarted.url, 'GET', `/api/posts/${post.id}/history`);
    expect(history.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['claimed', 'taken over', 'published']));
    restarted.kill('SIGTERM');
    expect(await restarted.exited()).toBe(0);
  });

  it('two replicas send the same post (one stalls past its lease, the other takes over): one record (PostgreSQL)', async () => {
    const database = await createPgDatabase();
    dropDatabase = database.drop;
    const env = serviceEnv({ DATABASE_URL: database.url });
    const stalled = await service('replica-stalled', env);
    await stalled.start();
    const createsBefore = pds.calls('com.atproto.repo.createRecord');
    const { post, rkey } = await sendUntilHeld(stalled, 'bsky-replicas');

    // Replica one has sent createRecord and freezes (a long GC pause, a stalled VM) past its lease.
    stalled.kill('SIGSTOP');
    const other = await service('replica-other', env);
    await other.start();
    const published = await publishedBy(other, post.id);
    await expectOneRecordAt(rkey);
    expect(published.publishedUrl).toBe(`https://bsky.app/profile/${account.handle}/post/${rkey}`);

    // Replica one wakes up to its createRecord answer: it may not record anything any more.
    stalled.kill('SIGCONT');
    pds.release();
    await waitFor('the stalled replica to notice its lease is gone', async () => readFileSync(join(dir, 'replica-stalled.log'), 'utf8').includes('lease lost before the outcome was recorded'), 15_000);
    expect(pds.calls('com.atproto.repo.createRecord') - createsBefore).toBe(2); // both sent it; the PDS kept one
    await expectOneRecordAt(rkey);
    expect(await api(other.url, 'GET', `/api/posts/${post.id}`)).toMatchObject({ status: 'published', publishedUrl: published.publishedUrl });
    for (const s of [stalled, other]) s.kill('SIGTERM');
    for (const s of [stalled, other]) expect(await s.exited()).toBe(0);
  });
});
