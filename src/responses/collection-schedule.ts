/**
 * When a published post's response figures are read again (issue 15 #2): hourly for the first 48 hours
 * after publication, when most responses come, then daily up to 30 days, then never. Pure.
 */
const HOUR_MS = 3_600_000;
export const HOURLY_FOR_MS = 48 * HOUR_MS;
export const COLLECT_FOR_MS = 30 * 24 * HOUR_MS;

/**
 * The instant the post is due again after a collection at `collectedAt`, or null: never again (past
 * 30 days, or the network said the post is gone, which no later read will change).
 */
export function nextCollectionAt(publishedAt: Date, collectedAt: Date, options: { deleted?: boolean } = {}): Date | null {
  if (options.deleted) return null;
  const age = collectedAt.getTime() - publishedAt.getTime();
  const next = collectedAt.getTime() + (age < HOURLY_FOR_MS ? HOUR_MS : 24 * HOUR_MS);
  const end = publishedAt.getTime() + COLLECT_FOR_MS;
  if (collectedAt.getTime() >= end) return null;
  // The last daily read falls on the 30th day itself rather than being skipped.
  return new Date(Math.min(next, end));
}

/** Whether a post is due now: never read yet (and within 30 days), or its next read has come. */
export function isCollectionDue(publishedAt: Date, nextDueAt: Date | null | undefined, now: Date): boolean {
  if (nextDueAt === undefined) return now.getTime() - publishedAt.getTime() <= COLLECT_FOR_MS;
  return nextDueAt !== null && nextDueAt.getTime() <= now.getTime();
}
