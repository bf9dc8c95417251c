import type { TestApp } from './test-app';

/**
 * Clears `published_id`, as rows published before the column (issue 14) have it: only `published_url`
 * says which post it is, so the collectors' fallback to the URL is what reads them.
 */
export async function forgetPublishedId(t: TestApp, postIds: number[]): Promise<void> {
  for (const id of postIds) await t.db.write((m) => m.query(t.db.sql('update posts set published_id = null where id = ?'), [id]));
}

/** Sets `published_url` to an address that does not carry the network's id, so only `published_id` can name the post. */
export async function replacePublishedUrl(t: TestApp, postId: number, url: string): Promise<void> {
  await t.db.write((m) => m.query(t.db.sql('update posts set published_url = ? where id = ?'), [url, postId]));
}
