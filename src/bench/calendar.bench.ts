/**
 * Calendar export and page benchmarks (issue 5), over real HTTP on loopback. Prints one JSON line.
 * - .ics and .csv of 1,008 and of 100,800 posts from the service running as its own process: time,
 *   and that process's peak resident memory growth during each export (sampled every 10 ms from
 *   /proc), beside ical-generator building a calendar of the same events.
 * - the calendar page of one member's three weeks, as a signed-in coordinator: median of 30.
 */
import { FixedClock } from '../time/clock';
import ical from 'ical-generator';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp, prepareApp } from '../bootstrap';
import { toIcsEvent, uidDomain } from '../calendar/calendar-events';
import { loadConfig } from '../config/config';
import { PostsService } from '../posts/posts.service';
import { syntheticCampaign, BENCH_NOW } from './synthetic-campaign';

const ROOT = resolve(__dirname, '../..');
const ADMIN = 'bench-admin-token-0123456789';
function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

async function startServer(databasePath: string, admin: string): Promise<{ url: string; pid: number; stop: () => void }> {
  const port = 30000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean), join(__dirname, '../main.js')], {
    cwd: ROOT, stdio: 'ignore',
    env: { ...process.env, DATABASE_PATH: databasePath, PORT: String(port), BOOTSTRAP_ADMIN_TOKEN: admin, CAMPAIGNS_DIR: join(databasePath, '..', 'none'), JOBS: 'off', RATE_LIMIT_PER_MINUTE: '1000000' },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) return { url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the service did not start');
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-calendar-'));
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: '' }), databasePath: join(dir, 'bench.sqlite'), campaignsDir: join(dir, 'none'), templatesDir: join(ROOT, 'templates'), bootstrapAdminToken: ADMIN, runJobs: false, rateLimitPerMinute: 1_000_000 };
  const app = await createApp(config, { clock: new FixedClock(BENCH_NOW), logger: false });
  await prepareApp(app, config);
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const call = async (method: string, path: string, body?: unknown, token = ADMIN) => {
    const res = await fetch(`${base}${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
    return res;
  };
  try {
    await call('POST', '/api/campaigns', syntheticCampaign(ROOT, 'small', 2));
    await call('POST', '/api/campaigns', syntheticCampaign(ROOT, 'large', 200));

    // The exports run against the service as `npm start` runs it, alone in its process.
    const server = await startServer(config.databasePath, ADMIN);
    /** Streams one export to nowhere, sampling the server's resident memory meanwhile. */
    const exportOnce = async (slug: string, format: 'ics' | 'csv') => {
      await new Promise((r) => setTimeout(r, 300));
      const before = rssOf(server.pid);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server.pid))), 10);
      const start = process.hrtime.bigint();
      const res = await fetch(`${server.url}/api/campaigns/${slug}/calendar.${format}`, { headers: { Authorization: `Bearer ${ADMIN}` } });
      let bytes = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      clearInterval(sampler);
      return { ms, bytes, growthMb: (peak - before) / 2 ** 20 };
    };
    const exports = {
      icsSmall: await exportOnce('small', 'ics'),
      csvSmall: await exportOnce('small', 'csv'),
      icsLarge: await exportOnce('large', 'ics'),
      csvLarge: await exportOnce('large', 'csv'),
    };
    server.stop();

    // ical-generator on the same events (the first 10,000 of the large campaign), as a rate.
    const admin = { id: 0, name: 'bench', role: 'secretariat' as const, member: null };
    const sample = [];
    for (let cursor: string | undefined; sample.length < 10_000;) {
      const page = await app.get(PostsService).list(admin, 'large', { limit: 1000, cursor });
      sample.push(...page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const site = { publicUrl: config.publicUrl, domain: uidDomain(config.publicUrl) };
    const start = process.hrtime.bigint();
    const calendar = ical({ name: 'large' });
    for (const post of sample) calendar.createEvent(toIcsEvent(post as never, site));
    const generatorBytes = calendar.toString().length;
    const generatorMs = Number(process.hrtime.bigint() - start) / 1e6;

    // The calendar page of one member's three weeks, as its coordinator, signed in.
    const coordinator = await (await call('POST', '/api/users', { name: 'c', role: 'coordinator', member: 'AAA' })).json() as { token: string };
    const login = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `token=${coordinator.token}&next=/` });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const pageTimes: number[] = [];
    let html = '';
    for (let i = 0; i < 31; i++) {
      const t0 = process.hrtime.bigint();
      html = await (await fetch(`${base}/campaigns/large/calendar`, { headers: { cookie } })).text();
      if (i > 0) pageTimes.push(Number(process.hrtime.bigint() - t0) / 1e6); // the first warms the template cache
    }
    const chips = new Set(html.match(/<a class="chip[^"]*" href="\/posts\/\d+"/g) ?? []).size; // each post once (the grid and the agenda both show it)
    process.stdout.write(`${JSON.stringify({ exports, generator: { events: sample.length, ms: generatorMs, eventsPerSecond: sample.length / (generatorMs / 1000), bytes: generatorBytes }, page: { medianMs: median(pageTimes), maxMs: Math.max(...pageTimes), chips } })}\n`);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
