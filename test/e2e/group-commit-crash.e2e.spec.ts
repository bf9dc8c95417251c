import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idempotencyKey } from '../../src/publishing/publisher';
import { freePort, ServiceProcess } from '../support/service-process';
import { shippedCampaign } from '../support/shipped-campaign';
import { createPgDatabase, DatabaseKind } from '../support/test-app';
import { startReceiver } from '../support/webhook-receiver';

const ADMIN = 'group-commit-crash-admin-token-0123456789';
const SECRET = 'group-commit-hook-secret';
const NETWORKS = ['x', 'facebook', 'linkedin'];
const POSTS = 12; // 2 members × 2 locales × 3 channels
const CONCURRENCY = 4;
const ANSWERED = 6; // the receiver answers the first six sends at once and holds the others

/** A one-day campaign whose twelve webhook posts are due in the current minute (so at once once approved). */
function dueNowCampaign(slug: string, hookUrl: string) {
  const shipped = shippedCampaign();
  const now = new Date();
  const date = now.toISOString().slice(0, 10);
  return {
    slug, name: 'Group commit crash', start: date, end: date, defaultLocale: 'en', templates: 'natc-see-2021',
    slots: [{ time: now.toISOString().slice(11, 16) }],
    themes: [{ key: 'policy', start: date, end: date, messages: [shipped.themes[0].messages[0]] }],
    members: ['HR', 'SI'].map((code) => ({
      code, name: { en: code }, timezone: 'UTC', locales: ['en', 'hr'], approval: ['secretariat'],
      // The shipped templates cite facts that the shipped SI member declares.
      facts: shipped.members.find((m: { code: string }) => m.code === 'SI').facts,
      channels: NETWORKS.map((network) => ({ network, publisher: { type: 'webhook', url: `${hookUrl}/${network}`, secretEnv: 'PUBLISHER_SECRET_GROUP_HOOK' } })),
    })),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, { method, headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${(await res.text()).slice(0, 500)}`);
  return res.json();
}

async function waitFor(what: string, test: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await Promise.resolve().then(test).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each<DatabaseKind>(['sqlite', 'postgres'])('SIGKILL in the middle of a group commit (%s, built service)', (kind) => {
  jest.setTimeout(120_000);
  let dir: string;
  let services: ServiceProcess[] = [];
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let dropDatabase = async () => undefined as void;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), `group-commit-crash-${kind}-`));
    mkdirSync(join(dir, 'campaigns'));
  });
  afterEach(async () => {
    for (const s of services) if (s.exitCode === null) {
      s.kill('SIGKILL');
      await s.exited().catch(() => undefined);
    }
    services = [];
    await receiver?.close();
    await dropDatabase();
    dropDatabase = async () => undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every committed outcome; only the sends in flight or awaiting their commit go out again, under the same key', async () => {
    let release = () => undefined as void;
    const held = new Promise<void>((r) => (release = r));
    receiver = await startReceiver((_, index) => (index < ANSWERED ? { status: 200, body: {} } : { status: 200, body: {}, until: held }));
    const database = kind === 'postgres' ? await createPgDatabase() : undefined;
    if (database) dropDatabase = database.drop;
    const env = {
      ...(database ? { DATABASE_URL: database.url } : { DATABASE_PATH: join(dir, 'service.sqlite') }),
      BOOTSTRAP_ADMIN_TOKEN: ADMIN, CAMPAIGNS_DIR: join(dir, 'campaigns'), PUBLISHER_SECRET_GROUP_HOOK: SECRET,
      DISPATCH_INTERVAL_MS: '200', LEASE_SECONDS: '10', PUBLISH_TIMEOUT_MS: '2000', PUBLISH_CONCURRENCY: String(CONCURRENCY),
      // A group commits when four outcomes wait, or after 6 s: the first four commit at once, the
      // next two are still waiting for company when the process dies.
      PUBLISH_COMMIT_BATCH: '4', PUBLISH_COMMIT_MS: '6000', LOG_FORMAT: 'json', RATE_LIMIT_PER_MINUTE: '100000',
    };
    const first = new ServiceProcess(`${kind}-first`, await freePort(), env, join(dir, 'first.log'));
    services.push(first);
    await first.start();

    await api(first.url, 'POST', '/api/campaigns', dueNowCampaign('crash', receiver.url));
    const posts: { id: number; revision: number }[] = (await api(first.url, 'GET', '/api/campaigns/crash/posts')).items;
    expect(posts).toHaveLength(POSTS);
    const submitted = await api(first.url, 'POST', '/api/approvals/submit', { items: posts.map((p) => ({ id: p.id, revision: p.revision })) });
    const approved = await api(first.url, 'POST', '/api/approvals/approve', { items: submitted.items.map((p: { id: number; revision: number }) => ({ id: p.id, revision: p.revision })) });
    // Approval gives the post its approved revision (the claim bumps it later).
    const approvedRevision = new Map<number, number>(approved.items.map((p: { id: number; revision: number }) => [p.id, p.revision]));

    // Six sends answered (four committed as one group, two waiting for theirs), four in flight.
    const published = async (base: string) => (await api(base, 'GET', '/api/campaigns/crash/posts?status=published')).items.map((p: { id: number }) => p.id) as number[];
    await waitFor('six answered and four sends in flight', () => receiver.deliveries.length === ANSWERED + CONCURRENCY, 30_000);
    await waitFor('the first group committed', async () => (await published(first.url)).length === 4, 10_000);
    const committed = await published(first.url);
    expect(committed).toHaveLength(4);

    first.kill('SIGKILL');
    expect(await first.exited()).toBe(128);
    const answered = receiver.deliveries.slice(0, ANSWERED).map((d) => d.body.id as number);
    const inFlight = receiver.deliveries.slice(ANSWERED).map((d) => d.body.id as number);
    const awaitingCommit = answered.filter((id) => !committed.includes(id));
    expect(awaitingCommit).toHaveLength(2);
    expect(inFlight).toHaveLength(CONCURRENCY);
    release();

    // The restarted service takes the posts over when the dead process's lease ends, and sends the rest.
    const restarted = new ServiceProcess(`${kind}-restarted`, await freePort(), env, join(dir, 'restarted.log'));
    services.push(restarted);
    await restarted.start();
    // Nothing committed was lost (the take-over may already have published more by now).
    expect(await published(restarted.url)).toEqual(expect.arrayContaining(committed));
    await waitFor('all twelve published', async () => (await published(restarted.url)).length === POSTS, 60_000);

    const deliveries = new Map<number, string[]>();
    for (const d of receiver.deliveries) deliveries.set(d.body.id, [...(deliveries.get(d.body.id) ?? []), String(d.headers['idempotency-key'])]);
    expect([...deliveries.keys()].sort()).toEqual(posts.map((p) => p.id).sort());
    for (const [id, keys] of deliveries) {
      // Every send of a post under its one key for the approved revision.
      expect(new Set(keys)).toEqual(new Set([idempotencyKey(id, approvedRevision.get(id)!)]));
      const again = awaitingCommit.includes(id) || inFlight.includes(id);
      expect([id, keys.length]).toEqual([id, again ? 2 : 1]);
    }
    expect(receiver.accepted.size).toBe(POSTS);
    for (const id of committed) {
      const history = await api(restarted.url, 'GET', `/api/posts/${id}/history`);
      expect(history.map((e: { action: string }) => e.action).filter((a: string) => a !== 'submitted' && a !== 'approved' && a !== 'planned'))
        .toEqual(expect.arrayContaining(['claimed', 'published']));
      expect(history.filter((e: { action: string }) => e.action === 'published')).toHaveLength(1);
      expect(history.some((e: { action: string }) => e.action === 'taken over')).toBe(false);
    }
    restarted.kill('SIGTERM');
    expect(await restarted.exited()).toBe(0);
  });
});
