import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { AppConfig } from '../../src/config/config';

/**
 * The database most suites start on, made once and copied after. A default start is `npm start` on
 * an empty database: migrations, the first admin, the 2021 campaign planned and written (835 posts),
 * about 0.3 s of CPU in the worker and as much again in PostgreSQL's server, a hundred times a run.
 * The first such start of a worker keeps the result (per worker: no two processes write one file);
 * the next ones copy it (SQLite) or clone it (PostgreSQL's CREATE DATABASE … TEMPLATE), and their
 * start-up then finds the admin and the campaign there, as a restarted service would. Only what
 * leaves the same rows is shared: the default campaigns (the 2021 one, or none), templates and clock,
 * and config that the start-up does not write.
 */
export type SnapshotCampaigns = '2021' | 'none';

/** Config that changes nothing the start-up writes: a suite may set these and still start from a snapshot. */
const NOT_WRITTEN_AT_START: ReadonlySet<keyof AppConfig> = new Set<keyof AppConfig>([
  'smtpUrl', 'mailFrom', 'accounts', 'responses', 'publishing', 'rateLimitPerMinute', 'badTokenLimitPerMinute',
]);

/** Set once per `jest` run by global-setup.ts: names this run's snapshots, which global-teardown.ts removes. */
export const SNAPSHOT_RUN_ENV = 'NATC_TEST_SNAPSHOT_RUN';

export function snapshotCampaigns(options: { campaignsDir?: string; templatesDir?: string; clock?: unknown; config?: Partial<AppConfig> }): SnapshotCampaigns | undefined {
  if (!process.env[SNAPSHOT_RUN_ENV] || options.templatesDir !== undefined || options.clock !== undefined) return undefined;
  if (Object.keys(options.config ?? {}).some((key) => !NOT_WRITTEN_AT_START.has(key as keyof AppConfig))) return undefined;
  if (options.campaignsDir === undefined) return '2021';
  return options.campaignsDir === '/nonexistent' ? 'none' : undefined;
}

export function snapshotName(kind: 'sqlite' | 'postgres', campaigns: SnapshotCampaigns): string {
  return `natc_snapshot_${process.env[SNAPSHOT_RUN_ENV]}_w${process.env.JEST_WORKER_ID ?? '0'}_${kind}_${campaigns}`;
}

function sqliteSnapshotDir(run = process.env[SNAPSHOT_RUN_ENV]): string {
  return join(tmpdir(), `natc-snapshots-${run}`);
}

/** Where a snapshot is made: the config (database) a first start uses to leave it. */
export function snapshotTarget(kind: 'sqlite' | 'postgres', campaigns: SnapshotCampaigns, adminUrl: string): Pick<AppConfig, 'databasePath' | 'databaseUrl'> {
  const name = snapshotName(kind, campaigns);
  if (kind === 'sqlite') {
    mkdirSync(sqliteSnapshotDir(), { recursive: true });
    return { databasePath: join(sqliteSnapshotDir(), `${name}.sqlite`), databaseUrl: undefined };
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { databasePath: ':memory:', databaseUrl: url.toString() };
}

/** Whether the snapshot exists (made by an earlier start of this worker). */
export async function hasSnapshot(kind: 'sqlite' | 'postgres', campaigns: SnapshotCampaigns, adminUrl: string): Promise<boolean> {
  const name = snapshotName(kind, campaigns);
  if (kind === 'sqlite') return existsSync(join(sqliteSnapshotDir(), `${name}.sqlite`));
  return withPgAdmin(adminUrl, async (admin) => (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);
}

/** An empty PostgreSQL database for the snapshot to be made in. */
export async function createSnapshotDatabase(campaigns: SnapshotCampaigns, adminUrl: string): Promise<void> {
  await withPgAdmin(adminUrl, (admin) => admin.query(`create database ${snapshotName('postgres', campaigns)}`));
}

/**
 * Copies the SQLite snapshot to a new suite's database file (PostgreSQL clones it: createPgDatabase's
 * template). The service that made it is closed (no write-ahead log left), so the copy is whole.
 */
export function copySqliteSnapshot(campaigns: SnapshotCampaigns, databasePath: string): void {
  const from = join(sqliteSnapshotDir(), `${snapshotName('sqlite', campaigns)}.sqlite`);
  if (existsSync(`${from}-wal`)) throw new Error(`snapshot ${from} has a write-ahead log: its service was not closed`);
  copyFileSync(from, databasePath);
}

/** One snapshot of this worker, whatever state it is in (a start that failed while making it). */
export async function removeSnapshot(kind: 'sqlite' | 'postgres', campaigns: SnapshotCampaigns, adminUrl: string): Promise<void> {
  const name = snapshotName(kind, campaigns);
  if (kind === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(sqliteSnapshotDir(), `${name}.sqlite${suffix}`), { force: true });
    return;
  }
  await withPgAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
}

/** global-teardown.ts: this run's snapshots, on disk and in PostgreSQL. */
export async function removeSnapshots(run: string, adminUrl: string): Promise<void> {
  rmSync(sqliteSnapshotDir(run), { recursive: true, force: true });
  await withPgAdmin(adminUrl, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where datname like $1', [`natc_snapshot_${run}_%`]);
    for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
  });
}

/** Files a snapshot's service left in its media folder: none is expected (the shipped 2021 campaign has no images). */
export function mediaLeftBy(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];
}

/** One query session on the PostgreSQL server's admin database (creating and dropping databases), always ended. */
export async function withPgAdmin<T>(adminUrl: string, work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
