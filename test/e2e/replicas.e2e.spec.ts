import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createPgDatabase, ROOT } from '../support/test-app';
import { freePort, ServiceProcess } from '../support/service-process';
import { startReceiver } from '../support/webhook-receiver';

const ADMIN = 'replica-test-admin-token-0123456789';
const SECRET = 'replica-hook-secret';
const MEMBERS = 250; // × 2 locales × 4 channels = 2,000 posts, all due in the same minute
const NETWORKS = ['x', 'facebook', 'linkedin', 'mastodon'];

function code(i: number): string {
  return String.fromCharCode(65 + Math.floor(i / 676) % 26, 65 + Math.floor(i / 26) % 26, 65 + (i % 26));
}

/** A one-day campaign whose every post is due at `due` (UTC wall clock), all channels via webhook. */
function burstCampaign(slug: string, due: Date, hookUrl: string) {
  const shipped = parse(readFileSync(join(ROOT, 'campaigns/natc-see-2021.yaml'), 'utf8'));
  const date = due.toISOString().slice(0, 10);
  return {
    slug,
    name: 'Replica burst',
    start: date,
    end: date,
    defaultLocale: 'en',
    hashtags: ['EndImpunity'],
    templates: 'natc-see-2021',
    slots: [{ time: due.toISOString().slice(11, 16) }],
    themes: [{ key: 'policy', start: date, end: date, messages: shipped.themes[0].messages }],
    members: Array.from({ length: MEMBERS }, (_, i) => ({
      // The shipped templates cite facts: one member declares them (the others render without).
      ...(i === 0 ? { facts: shipped.members.find((m: { code: string }) => m.code === 'SI').facts } : {}),
      code: code(i),
      name: { en: `Member ${code(i)}` },
      timezone: 'UTC',
      locales: ['en', 'hr'],
      approval: ['secretariat'],
      channels: NETWORKS.map((network) => ({ network, publisher: { type: 'webhook', url: `${hookUrl}/${network}`, secretEnv: 'PUBLISHER_SECRET_REPLICA_HOOK' } })),
    })),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, { method, headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function waitFor(what: string, test: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each([
  ['PostgreSQL, three replicas', 'postgres', 3],
  ['SQLite, one process', 'sqlite', 1],
] as const)('exactly-once publishing through a crash: %s', (_, kind, replicas) => {
  jest.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), `replicas-${kind}-`));
  let services: ServiceProcess[] = [];
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let dropDatabase = async () => undefined as void;

  afterAll(async () => {
    for (const s of services) if (s.exitCode === null) s.kill('SIGKILL');
    await receiver?.close();
    await dropDatabase();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes 2,000 posts due in the same minute once each, though a process is killed mid-way', async () => {
    receiver = await startReceiver(() => ({ status: 200, delayMs: 25, body: {} }));
    const database = kind === 'postgres' ? await createPgDatabase() : undefined;
    if (database) dropDatabase = database.drop;
    mkdirSync(join(dir, 'campaigns'));
    const env = {
      ...(database ? { DATABASE_URL: database.url } : { DATABASE_PATH: join(dir, 'service.sqlite') }),
      BOOTSTRAP_ADMIN_TOKEN: ADMIN, CAMPAIGNS_DIR: join(dir, 'campaigns'), PUBLISHER_SECRET_REPLICA_HOOK: SECRET,
      DISPATCH_INTERVAL_MS: '300', LEASE_SECONDS: '5', PUBLISH_TIMEOUT_MS: '2000', PUBLISH_CONCURRENCY: '8', PUBLISH_COMMIT_BATCH: '32', LOG_FORMAT: 'json', RATE_LIMIT_PER_MINUTE: '100000',
    };
    services = await Promise.all(Array.from({ length: replicas }, async (_, i) => new ServiceProcess(`replica ${i + 1}`, await freePort(), env, join(dir, `replica-${i + 1}.log`))));
    await Promise.all(services.map((s) => s.start())); // together: migrations and bootstrap take turns
    const base = services[0].url;

    // Due at the start of this minute (slots are whole minutes), within the grace period: each post goes
    // out as soon as it is approved, rather than after up to 80 s of waiting for a minute ahead.
    const due = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const created = await api(base, 'POST', '/api/campaigns', burstCampaign('burst', due, receiver.url));
    expect(created.plan.created).toBe(2000);
    const all: { id: number; revision: number }[] = [];
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page: any = await api(base, 'GET', `/api/campaigns/burst/posts?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...page.items.map((p: any) => ({ id: p.id, revision: p.revision })));
      cursor = page.nextCursor;
    }
    for (let i = 0; i < all.length; i += 1000) {
      const submitted = await api(base, 'POST', '/api/approvals/submit', { items: all.slice(i, i + 1000) });
      const approved = await api(base, 'POST', '/api/approvals/approve', { items: submitted.items.map((p: any) => ({ id: p.id, revision: p.revision })) });
      expect(approved.items.every((p: any) => p.status === 'approved')).toBe(true);
    }
    // Kill one process with SIGKILL once a fifth of the posts are out; on SQLite, start it again.
    await waitFor('the first deliveries', () => receiver.accepted.size >= 400, 60_000, 5);
    const victim = services[replicas - 1];
    victim.kill('SIGKILL');
    expect(await victim.exited()).toBe(128);
    expect(receiver.accepted.size).toBeLessThan(2000);
    if (replicas === 1) await victim.start();
    const alive = services.filter((s) => s.exitCode === null);

    await waitFor('every post published', async () => {
      const counts = (await api(alive[0].url, 'GET', '/api/campaigns/burst')).counts;
      return counts.published === 2000;
    }, 120_000, 500);

    // Each post went out under exactly one key, once per key; redeliveries are the same key again.
    const keysByPost = new Map<number, Set<string>>();
    for (const d of receiver.deliveries) {
      expect(d.headers['x-signature-256']).toBe(`sha256=${createHmac('sha256', SECRET).update(d.raw).digest('hex')}`);
      const keys = keysByPost.get(d.body.id) ?? new Set<string>();
      keys.add(String(d.headers['idempotency-key']));
      keysByPost.set(d.body.id, keys);
    }
    expect(keysByPost.size).toBe(2000);
    expect([...keysByPost.values()].every((keys) => keys.size === 1)).toBe(true);
    expect(receiver.accepted.size).toBe(2000);
    expect(new Set(all.map((p) => p.id))).toEqual(new Set(keysByPost.keys()));
    const redelivered = receiver.deliveries.length - 2000;
    // At most what the killed process had in flight (8) or awaiting its group commit (PUBLISH_COMMIT_BATCH, 32).
    expect(redelivered).toBeLessThanOrEqual(8 + 32);
    const late = Math.max(...receiver.deliveries.map((d) => d.at)) - due.getTime();
    process.stdout.write(`${kind}: 2000 published, ${redelivered} redelivered under the same key, last ${late} ms after due\n`);

    // SIGTERM: the survivors finish and exit cleanly.
    for (const s of alive) s.kill('SIGTERM');
    for (const s of alive) expect(await s.exited()).toBe(0);
  });
});
