/**
 * Dispatcher benchmarks. Prints one JSON line.
 * 1. One tick with 100 due posts among 100,800 planned vs among 1,008: the due query stays on its
 *    index, so the cost does not grow with the campaign (query plans included).
 * 2. Throughput to a loopback webhook receiver: one process on SQLite, three on PostgreSQL, beside
 *    the receiver's own ceiling measured with plain HTTP requests from a process of its own.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { NestFactory } from '@nestjs/core';
import { INestApplicationContext } from '@nestjs/common';
import { AppModule } from '../app.module';
import { ApprovalsService } from '../approvals/approvals.service';
import { CampaignsService } from '../campaigns/campaigns.service';
import { AppConfig, loadConfig } from '../config/config';
import { Database } from '../database/database';
import { Dispatcher } from '../publishing/dispatcher.service';
import { exchange } from '../publishing/publishers/plain-http';
import { FixedClock } from '../time/clock';
import { dispatchProcess } from './dispatch-process';
import { approveAll, syntheticCampaign } from './synthetic-campaign';

const ROOT = resolve(__dirname, '../..');
const ADMIN = { id: 0, name: 'bench', role: 'secretariat' as const, member: null };
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

function configFor(dir: string, databaseUrl?: string): AppConfig {
  const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl ?? '', PUBLISH_GRACE_SECONDS: String(7 * 86400) });
  return { ...config, databasePath: join(dir, 'bench.sqlite'), templatesDir: join(ROOT, 'templates'), campaignsDir: join(dir, 'none'), runJobs: false };
}

async function context(config: AppConfig, now: Date): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(AppModule.with(config, new FixedClock(now)), { logger: ['error'] });
}

/** Plans the campaign and approves the `due` earliest posts (all due at the same instant). */
async function prepare(app: INestApplicationContext, campaign: Record<string, unknown>, due: number): Promise<string> {
  await app.get(CampaignsService).create(campaign, { name: 'bench', id: null });
  const db = app.get(Database);
  const rows: { id: number; revision: number; scheduled_at: string }[] = await db.manager.query(`select id, revision, scheduled_at from posts order by scheduled_at, id limit ${due}`);
  await approveAll(app.get(ApprovalsService), ADMIN, rows);
  return rows[rows.length - 1].scheduled_at;
}

async function tickCost(members: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-tick-'));
  const bootstrap = await context(configFor(dir), new Date('2021-10-01T00:00:00Z'));
  const dueAt = await prepare(bootstrap, syntheticCampaign(ROOT, 'tick', members), 100);
  const total = Number((await bootstrap.get(Database).manager.query('select count(*) as n from posts'))[0].n);
  const plan = await bootstrap.get(Database).manager.query(
    "explain query plan select id, status, lease_owner from posts where ((status = 'approved' and scheduled_at <= ? and scheduled_at >= ?) or (status = 'publishing' and lease_until < ?)) order by scheduled_at, id limit 50",
    [dueAt, dueAt, dueAt]);
  await bootstrap.close();
  const app = await context(configFor(dir), new Date(Date.parse(dueAt) + 1000));
  const start = process.hrtime.bigint();
  const report = await app.get(Dispatcher).tick();
  const tickMs = ms(start);
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  return { posts: total, due: report.claimed, handedOver: report.handedOver, tickMs, plan: plan.map((p: { detail: string }) => p.detail) };
}

async function receiver() {
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, count: () => count, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

/**
 * What the receiver takes from plain keep-alive HTTP POSTs, as many at a time as the three
 * dispatchers send (3 × PUBLISH_CONCURRENCY's default), sent from a process of its own as the
 * dispatchers' are: sent from this process, the receiver's, the client's own work halved the ceiling
 * and flattered every ratio against it. They go through the publishers' own HTTP client (node:http):
 * a heavier client here (fetch) lowered the ceiling and flattered the ratios the same way.
 */
async function ceiling(url: string, requests: number): Promise<{ rate: number; clientCpuUs: number; receiverCpuUs: number }> {
  const receiverCpu = process.cpuUsage();
  const { stdout } = await promisify(execFile)(process.execPath, [__filename, 'ceiling', url, String(requests)]);
  const { rate, cpuMs } = JSON.parse(stdout) as { rate: number; cpuMs: number };
  return { rate, clientCpuUs: (cpuMs * 1000) / requests, receiverCpuUs: cpuUs(process.cpuUsage(receiverCpu)) / requests };
}

const cpuUs = (usage: NodeJS.CpuUsage) => usage.user + usage.system;

async function ceilingClient(url: string, requests: number): Promise<{ rate: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const body = JSON.stringify({ text: 'x'.repeat(400) });
  let sent = 0;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: 3 * loadConfig({}).publishing.concurrency }, async () => {
    while (sent < requests) {
      sent++;
      await exchange(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }, 10_000);
    }
  }));
  return { rate: requests / (ms(start) / 1000), cpuMs: cpuUs(process.cpuUsage(cpu)) / 1000 };
}

async function throughput(kind: 'sqlite' | 'postgres', processes: number, url: string, posts: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-throughput-'));
  let databaseUrl: string | undefined;
  const admin = new Client({ connectionString: process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });
  const name = `bench_${process.pid}_${Date.now()}`;
  if (kind === 'postgres') {
    await admin.connect();
    await admin.query(`create database ${name}`);
    const u = new URL(process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
  }
  process.env.PUBLISHER_SECRET_BENCH_HOOK = 'bench-secret';
  // 40 members post 960 times a day: the first 2,000 posts fall within the (week-long) grace.
  const campaign = syntheticCampaign(ROOT, 'burst', 40) as { members: { channels: unknown[] }[] };
  for (const member of campaign.members) {
    member.channels = ['x', 'facebook', 'linkedin'].map((network) => ({ network, publisher: { type: 'webhook', url: `${url}/${network}`, secretEnv: 'PUBLISHER_SECRET_BENCH_HOOK' } }));
  }
  const bootstrap = await context(configFor(dir, databaseUrl), new Date('2021-10-01T00:00:00Z'));
  // Approve `posts` posts; the clock then stands after the last of them, within the grace period.
  const lastDue = await prepare(bootstrap, campaign, posts);
  await bootstrap.close();
  const now = new Date(Date.parse(lastDue) + 1000).toISOString();
  const env = {
    ...process.env, FIXED_NOW: now, PUBLISHER_SECRET_BENCH_HOOK: 'bench-secret', PUBLISH_GRACE_SECONDS: String(7 * 86400),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_PATH: join(dir, 'bench.sqlite') }),
  };
  const workers = Array.from({ length: processes }, () => dispatchProcess(env));
  await Promise.all(workers.map((w) => w.ready));
  // This process's CPU meanwhile is the receiver's (and a little of waiting on the workers).
  const receiverCpu = process.cpuUsage();
  for (const w of workers) w.go();
  const reports = await Promise.all(workers.map((w) => w.done));
  const receiverCpuUs = cpuUs(process.cpuUsage(receiverCpu));
  const published = reports.reduce((sum, r) => sum + r.published, 0);
  // From the first claim of any process to the last recorded publication of any.
  const wallMs = Math.max(...reports.map((r) => r.last)) - Math.min(...reports.filter((r) => r.first).map((r) => r.first));
  if (kind === 'postgres') {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  rmSync(dir, { recursive: true, force: true });
  const dispatcherCpuUs = reports.reduce((sum, r) => sum + r.cpuMs * 1000, 0);
  return {
    kind, processes, published, wallMs, postsPerSecond: published / (wallMs / 1000),
    // CPU per post: what the 2,000 sends cost the dispatchers (all their threads) and the receiver.
    dispatcherCpuUs: dispatcherCpuUs / published, receiverCpuUs: receiverCpuUs / published,
  };
}

const ROUNDS = 3;
type Throughput = Awaited<ReturnType<typeof throughput>>;

/** The run whose figure is the median (that run's other figures, its CPU, go with it). */
function median<T>(runs: T[], figure: (run: T) => number): T {
  return [...runs].sort((a, b) => figure(a) - figure(b))[Math.floor(runs.length / 2)];
}

const range = (values: number[]) => [Math.min(...values), Math.max(...values)];

/** `node dist/bench/dispatch.bench.js throughput`: the throughput part alone (no 100,800-post plans). */
async function main() {
  if (process.argv[2] === 'ceiling') return void process.stdout.write(`${JSON.stringify(await ceilingClient(process.argv[3], Number(process.argv[4])))}\n`);
  const onlyThroughput = process.argv[2] === 'throughput';
  // `throughput sqlite`: that run alone, to try a change quickly.
  const onlySqlite = onlyThroughput && process.argv[3] === 'sqlite';
  const small = onlyThroughput ? null : await tickCost(2);
  const large = onlyThroughput ? null : await tickCost(200);
  const hook = await receiver();
  // A run lasts about a second, and on a shared 2-core machine one run's rate varied by ±20 %: three
  // rounds, each measuring the ceiling and then each kind of dispatcher, and the median of each.
  const rounds: { ceiling: Awaited<ReturnType<typeof ceiling>>; sqlite: Throughput; postgresOne?: Throughput; postgres?: Throughput }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rounds.push({
      ceiling: await ceiling(`${hook.url}/ceiling`, 3000),
      sqlite: await throughput('sqlite', 1, hook.url, 2000),
      // One PostgreSQL process beside three: what the replicas add.
      postgresOne: onlySqlite ? undefined : await throughput('postgres', 1, hook.url, 2000),
      postgres: onlySqlite ? undefined : await throughput('postgres', 3, hook.url, 2000),
    });
  }
  await hook.close();
  const { rate: ceilingRate, ...ceilingCpu } = median(rounds.map((r) => r.ceiling), (c) => c.rate);
  const kinds = (['sqlite', 'postgresOne', 'postgres'] as const).filter((kind) => rounds[0][kind]);
  const runsOf = (kind: (typeof kinds)[number]) => rounds.map((r) => r[kind]!);
  const medians = Object.fromEntries(kinds.map((kind) => [kind, median(runsOf(kind), (t) => t.postsPerSecond)]));
  const ranges = { ceiling: range(rounds.map((r) => r.ceiling.rate)), ...Object.fromEntries(kinds.map((kind) => [kind, range(runsOf(kind).map((t) => t.postsPerSecond))])) };
  process.stdout.write(`${JSON.stringify({ small, large, rounds: ROUNDS, ceilingRate, ceilingCpu, ...medians, ranges })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
