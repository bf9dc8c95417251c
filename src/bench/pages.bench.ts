/**
 * The secretariat's calendar pages (issue 11 #3), over real HTTP on loopback, signed in. Prints one JSON line.
 * - the whole shipped 2021 campaign, every member;
 * - a filtered text search over a campaign of `members` × 504 posts (200 → 100,800);
 * each beside the same query's database time (WebService.calendarPosts, the page's only query of
 * posts), so the page's own overhead (grid, cards, template, HTTP) reads as a ratio.
 * `node dist/bench/pages.bench.js [members]` (default 200).
 */
import { FixedClock } from '../time/clock';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp, prepareApp } from '../bootstrap';
import { CampaignEntity } from '../campaigns/campaign.entity';
import { loadConfig } from '../config/config';
import { Database } from '../database/database';
import { CalendarFilters } from '../web/calendar-filters';
import { WebService } from '../web/web.service';
import { syntheticCampaign, BENCH_NOW } from './synthetic-campaign';

const ROOT = resolve(__dirname, '../..');
const ADMIN = 'bench-admin-token-0123456789';
const RUNS = 30;
/** The secretariat's everyday question: this week's Slovenian posts on X that mention trafficking (any member). */
const SEARCH: CalendarFilters = { theme: 'capacity-building', network: 'x', locale: 'sl', q: 'trgovin' };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

/** The median of RUNS timings after one warm-up (template and statement caches). */
async function medianOf<T>(work: () => Promise<T>): Promise<{ medianMs: number; maxMs: number; last: T }> {
  let last: T = await work();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await timed(work);
    times.push(run.ms);
    last = run.result;
  }
  return { medianMs: median(times), maxMs: Math.max(...times), last };
}

async function main() {
  const members = Number(process.argv[2] ?? 200);
  const dir = mkdtempSync(join(tmpdir(), 'bench-pages-'));
  const campaigns = join(dir, 'campaigns');
  mkdirSync(campaigns);
  copyFileSync(join(ROOT, 'campaigns/natc-see-2021.yaml'), join(campaigns, 'natc-see-2021.yaml'));
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: '' }), databasePath: join(dir, 'bench.sqlite'), campaignsDir: campaigns, templatesDir: join(ROOT, 'templates'), bootstrapAdminToken: ADMIN, runJobs: false, rateLimitPerMinute: 1_000_000 };
  const app = await createApp(config, { clock: new FixedClock(BENCH_NOW), logger: false });
  await prepareApp(app, config);
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  try {
    const created = await fetch(`${base}/api/campaigns`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(syntheticCampaign(ROOT, 'large', members)) });
    if (!created.ok) throw new Error(`POST /api/campaigns: ${created.status}`);
    const login = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `token=${ADMIN}&next=/` });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const web = app.get(WebService);
    const db = app.get(Database);
    const idOf = async (slug: string) => (await db.manager.findOneByOrFail(CampaignEntity, { slug })).id;

    const measure = async (slug: string, filters: CalendarFilters) => {
      const query = new URLSearchParams(filters as Record<string, string>).toString();
      const page = await medianOf(async () => {
        const res = await fetch(`${base}/campaigns/${slug}/calendar${query ? `?${query}` : ''}`, { headers: { cookie } });
        if (!res.ok) throw new Error(`calendar of ${slug}: ${res.status}`);
        return res.text();
      });
      const id = await idOf(slug);
      const database = await medianOf(() => web.calendarPosts(id, filters));
      return {
        query: query || '(none)',
        posts: database.last.posts.length,
        pageMedianMs: page.medianMs, pageMaxMs: page.maxMs, databaseMedianMs: database.medianMs,
        ratio: page.medianMs / database.medianMs,
        bytes: page.last.length,
      };
    };
    const whole = await measure('natc-see-2021', {});
    const search = await measure('large', SEARCH);
    const total = Number((await db.manager.query('select count(*) as n from posts where campaign_id = ?', [await idOf('large')]))[0].n);
    process.stdout.write(`${JSON.stringify({ whole, search: { ...search, campaignPosts: total } })}\n`);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
