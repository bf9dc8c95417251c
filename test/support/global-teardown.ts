import { removeSnapshots, SNAPSHOT_RUN_ENV } from './app-snapshots';
import { DEFAULT_PG_URL, type RunningPostgres } from './embedded-postgres';
import { EMBEDDED_PG } from './global-setup';

/**
 * Removes this run's database snapshots, then stops the embedded PostgreSQL global-setup.ts started,
 * if it did, and removes its data.
 */
export default async function globalTeardown(): Promise<void> {
  const run = process.env[SNAPSHOT_RUN_ENV];
  if (run) await removeSnapshots(run, process.env.TEST_PG_URL ?? DEFAULT_PG_URL);
  const holder = globalThis as Record<symbol, RunningPostgres | undefined>;
  const pg = holder[EMBEDDED_PG];
  if (!pg) return;
  holder[EMBEDDED_PG] = undefined;
  await pg.stop();
  delete process.env.TEST_PG_URL;
}
