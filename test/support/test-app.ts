import type { NestExpressApplication } from '@nestjs/platform-express';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { createApp, prepareApp } from '../../src/bootstrap';
import type { AppConfig } from '../../src/config/config';
import { Database } from '../../src/database/database';
import { Clock, FixedClock } from '../../src/time/clock';
import {
  copySqliteSnapshot, createSnapshotDatabase, hasSnapshot, mediaLeftBy, removeSnapshot, snapshotCampaigns, SnapshotCampaigns, snapshotName, snapshotTarget, withPgAdmin,
} from './app-snapshots';

export const ROOT = resolve(__dirname, '../..');
/** What `npm start` imports: the 2021 campaign and its 2027 replay. */
export const SHIPPED_CAMPAIGNS_DIR = join(ROOT, 'campaigns');
export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export type DatabaseKind = 'sqlite' | 'postgres';

export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh PostgreSQL database for one suite, dropped afterwards: empty, or a clone of `template`. */
export async function createPgDatabase(template?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `scheduler_test_${process.pid}_${Date.now()}`;
  await withPgAdmin(PG_ADMIN_URL, (admin) => admin.query(`create database ${name}${template ? ` template ${template}` : ''}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => void (await withPgAdmin(PG_ADMIN_URL, (admin) => admin.query(`drop database if exists ${name} with (force)`))),
  };
}

export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<typeof request>;
  /** Where the service listens on loopback, for a browser. */
  url: string;
  db: Database;
  clock: FixedClock;
  config: AppConfig;
  /** A user's token, made through the API as the secretariat would. */
  token(role: 'secretariat' | 'coordinator' | 'comms', member?: string, name?: string): Promise<string>;
  close(): Promise<void>;
}

type StartOptions = { kind?: DatabaseKind; campaignsDir?: string; templatesDir?: string; config?: Partial<AppConfig>; clock?: Clock };

/**
 * The real service on a real database (a temporary SQLite file, or a fresh PostgreSQL database),
 * started the way `npm start` starts it, driven over HTTP with supertest. A default start begins from
 * this worker's snapshot of one (app-snapshots.ts), made by its first such start.
 */
export async function startTestApp(options: StartOptions = {}): Promise<TestApp> {
  const kind = options.kind ?? 'sqlite';
  const campaigns = snapshotCampaigns(options);
  if (campaigns && !(await hasSnapshot(kind, campaigns, PG_ADMIN_URL))) await makeSnapshot(kind, campaigns);
  const dir = mkdtempSync(join(tmpdir(), 'scheduler-e2e-'));
  const pg = kind === 'postgres' ? await createPgDatabase(campaigns && snapshotName(kind, campaigns)) : undefined;
  const config = testConfig(dir, options, { databasePath: join(dir, 'test.sqlite'), databaseUrl: pg?.url });
  if (campaigns && kind === 'sqlite') copySqliteSnapshot(campaigns, config.databasePath);
  return launch(config, (options.clock as FixedClock) ?? defaultClock(), async () => {
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  });
}

const defaultClock = () => new FixedClock(new Date('2021-10-01T09:00:00Z'));

function testConfig(dir: string, options: StartOptions, database: Pick<AppConfig, 'databasePath' | 'databaseUrl'>): AppConfig {
  return {
    port: 0,
    ...database,
    bootstrapAdminToken: ADMIN_TOKEN,
    bodyLimitBytes: 1024 * 1024,
    campaignsDir: options.campaignsDir ?? only2021Campaign(dir),
    templatesDir: options.templatesDir ?? join(ROOT, 'templates'),
    rateLimitPerMinute: 100000,
    badTokenLimitPerMinute: 1000, // suites that test the limit set a small one
    logFormat: 'text',
    mailFrom: 'Scheduler <scheduler@test.invalid>',
    publicUrl: 'http://scheduler.test',
    runJobs: false, // tests drive deadlines by hand, at fixed instants
    publishing: { graceSeconds: 900, intervalMs: 5000, leaseSeconds: 60, claimBatch: 50, concurrency: 8, maxAttempts: 3, timeoutMs: 2000, retryBaseMs: 20, commitDelayMs: 5, commitBatch: 32 },
    maxPostsPerCampaign: 250_000,
    media: { dir: join(dir, 'media'), maxBytes: 20 * 1024 * 1024 },
    ...options.config,
  };
}

/**
 * A default start on the snapshot's own database, closed: what the next default starts copy. A start
 * that fails leaves no snapshot behind, so the next default start does not copy half of one.
 */
async function makeSnapshot(kind: DatabaseKind, campaigns: SnapshotCampaigns): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'scheduler-snapshot-'));
  try {
    if (kind === 'postgres') await createSnapshotDatabase(campaigns, PG_ADMIN_URL);
    const config = testConfig(dir, campaigns === 'none' ? { campaignsDir: '/nonexistent' } : {}, snapshotTarget(kind, campaigns, PG_ADMIN_URL));
    const made = await launch(config, defaultClock(), async () => undefined);
    await made.close();
    const media = mediaLeftBy(config.media.dir);
    // Its rows would name files that a copy does not have.
    if (media.length) throw new Error(`the ${campaigns} snapshot's start stored images (${media.join(', ')}): it cannot be copied`);
  } catch (error) {
    await removeSnapshot(kind, campaigns, PG_ADMIN_URL);
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function launch(config: AppConfig, clock: FixedClock, cleanUp: () => Promise<void>): Promise<TestApp> {
  const app = await createApp(config, { clock, logger: false });
  await prepareApp(app, config);
  await app.listen(0, '127.0.0.1');
  const http = request(app.getHttpServer());
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    http,
    url,
    db: app.get(Database),
    clock,
    config,
    async token(role, member, name = `${role} ${member ?? ''}`.trim()) {
      const res = await http.post('/api/users').set('Authorization', `Bearer ${ADMIN_TOKEN}`).send({ name, role, ...(member ? { member } : {}) });
      if (res.status !== 201) throw new Error(`cannot create user: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
    async close() {
      await app.close();
      await cleanUp();
    },
  };
}

/**
 * The suites were written against the shipped 2021 campaign alone; those about the shipped set pass
 * SHIPPED_CAMPAIGNS_DIR, so a second shipped campaign changes no other suite's counts or pages.
 */
function only2021Campaign(dir: string): string {
  const campaigns = join(dir, 'campaigns');
  mkdirSync(campaigns);
  copyFileSync(join(SHIPPED_CAMPAIGNS_DIR, 'natc-see-2021.yaml'), join(campaigns, 'natc-see-2021.yaml'));
  return campaigns;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A second replica of the service on the suite's database and clock, not listening (PostgreSQL only: SQLite is one process). */
export async function startReplica(t: TestApp): Promise<NestExpressApplication> {
  const replica = await createApp(t.config, { clock: t.clock, logger: false });
  await prepareApp(replica, t.config);
  return replica;
}
