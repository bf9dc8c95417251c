/**
 * The campaign report (issue 15) over a campaign of `members` × 504 posts (200 → 100,800), two thirds
 * of them published (half on time, half an hour late) through the posts module's write path, each with
 * 30 response snapshots (2,016,000 post_metrics rows at 200 members). Over real HTTP on loopback: the
 * JSON report, its CSV and the report page (five charts rendered), each beside the database's own
 * time for the same figures (every ReportQueries aggregate, called directly), and the process's
 * resident memory growth while they run. Prints one JSON line.
 * `node dist/bench/report.bench.js [members]` (default 200).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp, prepareApp } from '../bootstrap';
import { CampaignEntity } from '../campaigns/campaign.entity';
import { loadConfig } from '../config/config';
import { Database } from '../database/database';
import { changePosts, PostChange } from '../posts/post-changes';
import { ReportQueries } from '../reports/report-queries';
import { FixedClock } from '../time/clock';
import { BENCH_NOW, syntheticCampaign } from './synthetic-campaign';

const ROOT = resolve(__dirname, '../..');
const ADMIN = 'bench-admin-token-0123456789';
const RUNS = 10;

const msSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function medianOf(work: () => Promise<unknown>): Promise<{ medianMs: number; maxMs: number }> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    await work();
    times.push(msSince(start));
  }
  return { medianMs: median(times), maxMs: Math.max(...times) };
}

/** Peak resident memory growth (MB) while `work` runs, sampled every 10 ms. */
async function peakGrowth(work: () => Promise<unknown>): Promise<number> {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return (Math.max(peak, process.memoryUsage().rss) - before) / 2 ** 20;
}

/**
 * Two of every three posts published, as the dispatcher or comms staff would record them, a
 * minute after their time or 30 minutes late (by id). Posts due at the same instant get the same
 * publishedAt, so `changePosts` updates them in shared statements (up to 100 rows each): with a
 * publishedAt of its own, every post was a statement of its own, 67,200 of them.
 */
async function publish(db: Database, campaignId: number): Promise<number> {
  const rows: { id: number; revision: number; scheduled_at: string }[] = await db.manager.query(db.sql('select id, revision, scheduled_at from posts where campaign_id = ? order by scheduled_at, id'), [campaignId]);
  const chosen = rows.filter((r) => r.id % 3 !== 2);
  for (let i = 0; i < chosen.length; i += 1000) {
    const changes: PostChange[] = chosen.slice(i, i + 1000).map((r) => ({
      id: r.id, expected: { revision: Number(r.revision), status: 'draft' },
      set: { status: 'published', publishedAt: new Date(Date.parse(r.scheduled_at) + (r.id % 2 ? 1800 : 60) * 1000).toISOString() },
      event: { action: 'marked published', comment: 'bench' },
    }));
    await db.write((m) => changePosts(db, m, { at: BENCH_NOW.toISOString(), actor: 'bench', actorId: null }, changes));
  }
  return chosen.length;
}

export const SNAPSHOTS_PER_POST = 30;

/**
 * `perPost` snapshots of every published post, as the collector appends them (hourly, growing counts),
 * written by the database itself (INSERT … SELECT over a 1…perPost series) 5,000 posts a statement:
 * two million rows never pass through this process, so its memory stays that of one statement.
 * SQLite only, as the bench's database is.
 */
async function snapshots(db: Database, campaignId: number, perPost: number): Promise<number> {
  const [{ lo, hi }] = await db.manager.query('select min(id) as lo, max(id) as hi from posts where campaign_id = ?', [campaignId]);
  const sql = `insert into post_metrics (post_id, collected_at, likes, reposts, replies, quotes, impressions, error, next_due_at)
    with recursive k(n) as (select 1 union all select n + 1 from k where n < ?)
    select p.id, strftime('%Y-%m-%dT%H:%M:%fZ', p.published_at, '+' || k.n || ' hours'),
      (p.id % 40) * k.n, (p.id % 7) * k.n, p.id % 5 + k.n, case when p.network = 'mastodon' then null else p.id % 3 end, null, null, null
    from posts p, k where p.campaign_id = ? and p.status = 'published' and p.id between ? and ?`;
  for (let from = Number(lo); from <= Number(hi); from += 5000) {
    await db.write((m) => m.query(sql, [perPost, campaignId, from, from + 4999]));
  }
  return Number((await db.manager.query('select count(*) as n from post_metrics m join posts p on p.id = m.post_id where p.campaign_id = ?', [campaignId]))[0].n);
}

async function main() {
  const members = Number(process.argv[2] ?? 200);
  const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: '' }), databasePath: join(dir, 'bench.sqlite'), campaignsDir: join(dir, 'none'), templatesDir: join(ROOT, 'templates'), bootstrapAdminToken: ADMIN, runJobs: false, rateLimitPerMinute: 1_000_000 };
  const app = await createApp(config, { clock: new FixedClock(BENCH_NOW), logger: false });
  await prepareApp(app, config);
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const auth = { Authorization: `Bearer ${ADMIN}` };
  try {
    let start = process.hrtime.bigint();
    const created = await fetch(`${base}/api/campaigns`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(syntheticCampaign(ROOT, 'large', members)) });
    if (!created.ok) throw new Error(`POST /api/campaigns: ${created.status}`);
    const db = app.get(Database);
    const campaign = await db.manager.findOneByOrFail(CampaignEntity, { slug: 'large' });
    const planMs = msSince(start);
    start = process.hrtime.bigint();
    const published = await publish(db, campaign.id);
    const publishMs = msSince(start);
    start = process.hrtime.bigint();
    const snapshotRows = await snapshots(db, campaign.id, SNAPSHOTS_PER_POST);
    const snapshotMs = msSince(start);
    const posts = Number((await db.manager.query(db.sql('select count(*) as n from posts where campaign_id = ?'), [campaign.id]))[0].n);
    const login = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `token=${ADMIN}&next=/` });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const get = (path: string, headers: Record<string, string>) => async () => {
      const res = await fetch(`${base}${path}`, { headers });
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      return res.text();
    };
    const json = get('/api/campaigns/large/report', auth);
    const rows = (JSON.parse(await json()) as { rows: unknown[] }).rows.length;
    const queries = new ReportQueries(db);
    const scope = { campaignId: campaign.id };
    const result = {
      posts, published, rows, snapshots: snapshotRows, setup: { planMs, publishMs, snapshotMs },
      // Every aggregate the JSON report asks for, one after the other (SQLite answers one at a time anyway).
      database: await medianOf(async () => {
        for (const query of [() => queries.counts(scope, 900), () => queries.leadTimes(scope), () => queries.approvers(scope), () => queries.responses(scope), () => queries.bestPosts(scope, campaign.startDate, 5)]) await query();
      }),
      databaseResponses: await medianOf(async () => { await queries.responses(scope); await queries.bestPosts(scope, campaign.startDate, 5); }),
      json: await medianOf(json),
      csv: await medianOf(get('/api/campaigns/large/report?format=csv', auth)),
      page: await medianOf(get('/campaigns/large/report', { cookie })),
      growthMb: await peakGrowth(async () => { await json(); await get('/campaigns/large/report', { cookie })(); }),
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
