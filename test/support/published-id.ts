import type { TestApp } from './test-app';

/**
 * Clears `published_id`, as rows published before the column (issue 14) have it: only `published_url`
 * says which post it is, so the collectors' fallback to the URL is what reads them.
 */
export async function forgetPublishedId(t: TestApp, postIds: number[]): Promise<void> {
  for (const id of postIds) await t.db.write((m) => m.query(t.db.sql('update posts set published_id = null where id = ?'), [id]));
}
