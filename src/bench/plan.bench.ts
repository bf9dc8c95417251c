/**
 * One planning measurement, in its own process so its peak memory is its own. Prints one JSON line.
 * Modes: `plan` (import + plan the synthetic campaign, then re-plan it unchanged twice) and
 * `baseline` (raw sqlite3: the same rows inserted with a prepared statement in one transaction).
 */
import { FixedClock } from '../time/clock';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Database as Sqlite } from 'sqlite3';
import { parse } from 'yaml';
import { AppModule } from '../app.module';
import { generatePosts, prepareCampaign } from '../campaigns/campaign-plan';
import { CampaignsService } from '../campaigns/campaigns.service';
import { loadConfig } from '../config/config';
import { dataSourceOptions, Database, openDataSource } from '../database/database';
import { plannedHash, textHash } from '../posts/post-planner';
import { syntheticCampaign, BENCH_NOW } from './synthetic-campaign';

const ROOT = resolve(__dirname, '../..');
const ACTOR = { name: 'bench', id: null };
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const peakMb = () => process.resourceUsage().maxRSS / 1024;

async function changes(db: Database): Promise<number> {
  const [row] = await db.manager.query('select total_changes() as n');
  return Number(row.n);
}

async function planMode(members: number, campaignFile?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-plan-'));
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: '' }), databasePath: join(dir, 'bench.sqlite'), templatesDir: join(ROOT, 'templates') };
  const app = await NestFactory.createApplicationContext(AppModule.with(config, new FixedClock(BENCH_NOW)), { logger: false });
  try {
    const campaigns = app.get(CampaignsService);
    const db = app.get(Database);
    const input = campaignFile ? parse(readFileSync(campaignFile, 'utf8')) : syntheticCampaign(ROOT, 'bench', members);
    const slug = (input as { slug: string }).slug;
    let start = process.hrtime.bigint();
    const first = await campaigns.create(input, ACTOR);
    const planMs = ms(start);
    const afterPlan = await changes(db);
    start = process.hrtime.bigint();
    const skipped = await campaigns.replan(slug, input, ACTOR);
    const replanSkipMs = ms(start);
    start = process.hrtime.bigint();
    const forced = await campaigns.replan(slug, input, ACTOR, { force: true });
    const replanFullMs = ms(start);
    const rowsWritten = (await changes(db)) - afterPlan;
    return { posts: first.plan.created, planMs, replanSkipMs, replanFullMs, rowsWrittenByReplans: rowsWritten, unchanged: forced.plan.unchanged, skipped: skipped.plan.skipped, peakRssMb: peakMb() };
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The rows the planner writes, rendered before the clock starts: only the inserts are timed. */
async function baselineMode(members: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-raw-'));
  const file = join(dir, 'raw.sqlite');
  const ds = await openDataSource(dataSourceOptions({ databasePath: file })); // the same schema and indexes, through the same migrations
  await ds.destroy();
  const prepared = prepareCampaign(syntheticCampaign(ROOT, 'bench', members), join(ROOT, 'templates'), {});
  if (!prepared.ok) throw new Error('synthetic campaign invalid');
  const now = new Date().toISOString();
  const rows = [...generatePosts(prepared.prepared)].map((p) => [
    1, p.member, p.network, p.locale, p.theme, p.message, p.slotDate, p.slotOrdinal, p.localTime, p.timezone,
    p.scheduledAt.toISOString(), p.text, textHash(p.text), p.length, p.limit, p.variant, p.fallback ? 1 : 0,
    p.needsReview ? 1 : 0, plannedHash(p), 'draft', 1, now, now,
  ]);
  const db = new Sqlite(file);
  const run = (sql: string, params: unknown[] = []) => new Promise<void>((ok, fail) => db.run(sql, params, (e) => (e ? fail(e) : ok())));
  await run('PRAGMA journal_mode = WAL');
  await run("insert into campaigns (slug, name, start_date, end_date, source, plan_fingerprint, created_at, updated_at) values ('bench', 'bench', '2021-10-18', '2021-11-07', '{}', '', '', '')");
  const start = process.hrtime.bigint();
  await run('BEGIN');
  const stmt = db.prepare(`insert into posts (campaign_id, member, network, locale, theme, message, slot_date, slot_ordinal, local_time, timezone,
    scheduled_at, text, text_hash, length, max_length, variant, fallback, needs_review, planned_hash, status, revision, created_at, updated_at)
    values (${Array(23).fill('?').join(', ')})`);
  for (const row of rows) await new Promise<void>((ok, fail) => stmt.run(row, (e: Error | null) => (e ? fail(e) : ok())));
  await new Promise<void>((ok) => stmt.finalize(() => ok()));
  await run('COMMIT');
  const insertMs = ms(start);
  await new Promise<void>((ok) => db.close(() => ok()));
  rmSync(dir, { recursive: true, force: true });
  return { posts: rows.length, insertMs, peakRssMb: peakMb() };
}

const [mode, arg] = process.argv.slice(2);
const work = mode === 'baseline' ? baselineMode(Number(arg)) : mode === 'file' ? planMode(0, arg) : planMode(Number(arg));
work.then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
