import { SNAPSHOT_RUN_ENV } from './app-snapshots';
import { DEFAULT_PG_URL, probePostgres, RunningPostgres, startEmbeddedPostgres } from './embedded-postgres';

/** Shared with global-teardown.ts: Jest runs both in its own process. */
export const EMBEDDED_PG = Symbol.for('natc.embeddedPostgres');

/**
 * Once per `jest` run, before any worker starts: with no TEST_PG_URL and nothing answering on
 * 127.0.0.1:5432, start a throwaway PostgreSQL and hand its URL to the suites through TEST_PG_URL
 * (workers inherit this process's environment).
 */
export default async function globalSetup(): Promise<void> {
  // Names this run's database snapshots (app-snapshots.ts); the workers inherit it.
  process.env[SNAPSHOT_RUN_ENV] = `${process.pid}_${Date.now()}`;
  if (process.env.TEST_PG_URL) return;
  const probe = await probePostgres(DEFAULT_PG_URL);
  if (probe.answers) return;
  const started = Date.now();
  const pg = await startEmbeddedPostgres();
  (globalThis as Record<symbol, RunningPostgres>)[EMBEDDED_PG] = pg;
  process.env.TEST_PG_URL = pg.url;
  process.stdout.write(`\nNothing answers on 127.0.0.1:5432 (${probe.reason}): started an embedded PostgreSQL on ${new URL(pg.url).port} in ${Date.now() - started} ms (data in ${pg.dataDir}, removed afterwards).\n`);
}
