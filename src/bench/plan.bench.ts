/**
 * One planning measurement, in its own process so its peak memory is its own. Prints one JSON line.
 * Modes: `plan` (import + plan the synthetic campaign, then re-plan it unchanged twice), `file` (the
 * same for a campaign file), and the baselines, each inserting the planner's posts rows in one
 * transaction: `baseline` (node's sqlite3, one call per row), `bulk` (node's sqlite3, 500 rows per
 * prepared INSERT) and `shell` (the sqlite3 shell importing them from CSV).
 */
import { FixedClock } from '../time/clock';
import { NestFactory } from '@nestjs/core';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Database as Sqlite, Statement } from 'sqlite3';
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
/** CPU time of this process, all its threads (the driver's included), in ms. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
/** CPU time of the children this process has waited for (/proc/self/stat cutime + cstime, in clock ticks of 10 ms). */
const childCpuMs = () => {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
};

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
    const cpu = cpuMs();
    const first = await campaigns.create(input, ACTOR);
    const planMs = ms(start);
    const planCpuMs = cpuMs() - cpu;
    const afterPlan = await changes(db);
    start = process.hrtime.bigint();
    const skipped = await campaigns.replan(slug, input, ACTOR);
    const replanSkipMs = ms(start);
    start = process.hrtime.bigint();
    const forced = await campaigns.replan(slug, input, ACTOR, { force: true });
    const replanFullMs = ms(start);
    const rowsWritten = (await changes(db)) - afterPlan;
    return { posts: first.plan.created, planMs, planCpuMs, replanSkipMs, replanFullMs, rowsWrittenByReplans: rowsWritten, unchanged: forced.plan.unchanged, skipped: skipped.plan.skipped, peakRssMb: peakMb() };
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const INSERT_COLUMNS = [
  'campaign_id', 'member', 'network', 'locale', 'theme', 'message', 'slot_date', 'slot_ordinal', 'local_time', 'timezone',
  'scheduled_at', 'text', 'text_hash', 'length', 'max_length', 'variant', 'fallback', 'needs_review', 'planned_hash', 'status',
  'revision', 'created_at', 'updated_at', 'approval_steps',
];
const insertSql = (rows: number) =>
  `insert into posts (${INSERT_COLUMNS.join(', ')}) values ${Array(rows).fill(`(${Array(INSERT_COLUMNS.length).fill('?').join(', ')})`).join(', ')}`;

/**
 * The rows the planner writes (posts only: the baselines write no audit events, planning does), rendered
 * before the clock starts, into a fresh file with the same schema and indexes (the same migrations) and
 * the campaign they belong to. Only the inserts are timed.
 */
async function baselineRows(members: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-raw-'));
  const file = join(dir, 'raw.sqlite');
  const ds = await openDataSource(dataSourceOptions({ databasePath: file }));
  await ds.query("insert into campaigns (slug, name, start_date, end_date, source, plan_fingerprint, created_at, updated_at) values ('bench', 'bench', '2021-10-18', '2021-11-07', '{}', '', '', '')");
  await ds.destroy();
  const prepared = prepareCampaign(syntheticCampaign(ROOT, 'bench', members), join(ROOT, 'templates'), {});
  if (!prepared.ok) throw new Error('synthetic campaign invalid');
  const now = new Date().toISOString();
  const rows = [...generatePosts(prepared.prepared)].map((p) => [
    1, p.member, p.network, p.locale, p.theme, p.message, p.slotDate, p.slotOrdinal, p.localTime, p.timezone,
    p.scheduledAt.toISOString(), p.text, textHash(p.text), p.length, p.limit, p.variant, p.fallback ? 1 : 0,
    p.needsReview ? 1 : 0, plannedHash(p), 'draft', 1, now, now, p.approvalSteps,
  ]);
  return { dir, file, rows };
}

/** Checks that a baseline wrote every row, then removes its file. */
async function finish(dir: string, file: string, expected: number) {
  const db = new Sqlite(file);
  const count = await new Promise<number>((ok, fail) => db.get('select count(*) as n from posts', (e, row: { n: number }) => (e ? fail(e) : ok(row.n))));
  await new Promise<void>((ok) => db.close(() => ok()));
  rmSync(dir, { recursive: true, force: true });
  if (count !== expected) throw new Error(`baseline wrote ${count} posts, expected ${expected}`);
}

/**
 * node's sqlite3 with one prepared statement: `rowsPerInsert` 1 is one asynchronous call per row;
 * 500 is the driver's bulk path (500 rows per INSERT, 12,000 bound values, prepared once).
 */
async function driverMode(members: number, rowsPerInsert: number) {
  const { dir, file, rows } = await baselineRows(members);
  const db = new Sqlite(file);
  const run = (sql: string) => new Promise<void>((ok, fail) => db.run(sql, (e) => (e ? fail(e) : ok())));
  await run('PRAGMA journal_mode = WAL');
  const start = process.hrtime.bigint();
  const cpu = cpuMs();
  await run('BEGIN');
  const insert = (stmt: Statement, params: unknown[]) => new Promise<void>((ok, fail) => stmt.run(params, (e: Error | null) => (e ? fail(e) : ok())));
  const full = db.prepare(insertSql(rowsPerInsert));
  let i = 0;
  for (; i + rowsPerInsert <= rows.length; i += rowsPerInsert) await insert(full, rows.slice(i, i + rowsPerInsert).flat());
  await new Promise<void>((ok) => full.finalize(() => ok()));
  if (i < rows.length) {
    const rest = db.prepare(insertSql(rows.length - i));
    await insert(rest, rows.slice(i).flat());
    await new Promise<void>((ok) => rest.finalize(() => ok()));
  }
  await run('COMMIT');
  const insertMs = ms(start);
  const insertCpuMs = cpuMs() - cpu;
  const peakRssMb = peakMb();
  await new Promise<void>((ok) => db.close(() => ok()));
  await finish(dir, file, rows.length);
  return { posts: rows.length, insertMs, insertCpuMs, peakRssMb };
}

const csvField = (value: unknown) => (typeof value === 'string' ? `"${value.replaceAll('"', '""')}"` : String(value));

/**
 * The `sqlite3` shell importing the same rows from CSV (written before the clock starts) in one
 * transaction: `.import` into a temporary table, then one INSERT … SELECT into posts. Timed from the
 * shell's start to its exit. Null when the shell is not installed.
 */
async function shellMode(members: number) {
  const { dir, file, rows } = await baselineRows(members);
  const csv = join(dir, 'rows.csv');
  writeFileSync(csv, rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n');
  const script = [
    '.bail on',
    'PRAGMA journal_mode = WAL;',
    'PRAGMA temp_store = MEMORY;',
    `create temp table rows (${INSERT_COLUMNS.join(', ')});`,
    'BEGIN;',
    `.import --csv ${csv} rows`,
    `insert into posts (${INSERT_COLUMNS.join(', ')}) select ${INSERT_COLUMNS.join(', ')} from temp.rows;`,
    'COMMIT;',
  ].join('\n');
  const start = process.hrtime.bigint();
  const cpu = childCpuMs();
  const shell = spawnSync('sqlite3', [file], { input: script, encoding: 'utf8' });
  const insertMs = ms(start);
  const insertCpuMs = childCpuMs() - cpu;
  if (shell.error && (shell.error as NodeJS.ErrnoException).code === 'ENOENT') {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  if (shell.status !== 0) throw new Error(`sqlite3 shell failed: ${shell.stderr || shell.error}`);
  const version = execFileSync('sqlite3', ['--version'], { encoding: 'utf8' }).split(' ')[0];
  await finish(dir, file, rows.length);
  return { posts: rows.length, insertMs, insertCpuMs, version };
}

const [mode, arg] = process.argv.slice(2);
const modes: Record<string, () => Promise<unknown>> = {
  baseline: () => driverMode(Number(arg), 1),
  bulk: () => driverMode(Number(arg), 500),
  shell: () => shellMode(Number(arg)),
  file: () => planMode(0, arg),
  plan: () => planMode(Number(arg)),
};
const work = modes[mode]();
work.then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
