import type { RunningPostgres } from './embedded-postgres';
import { EMBEDDED_PG } from './global-setup';

/** Stops the embedded PostgreSQL global-setup.ts started, if it did, and removes its data. */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as Record<symbol, RunningPostgres | undefined>;
  const pg = holder[EMBEDDED_PG];
  if (!pg) return;
  holder[EMBEDDED_PG] = undefined;
  await pg.stop();
  delete process.env.TEST_PG_URL;
}
