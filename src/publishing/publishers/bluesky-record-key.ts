/** atproto's base32-sortable alphabet: a TID's characters sort in the order of its value. */
const S32 = '234567abcdefghijklmnopqrstuvwxyz';

/** 2023-01-01T00:00:00Z in microseconds: keys look like times after Bluesky opened, never before 1970. */
const EPOCH_US = 1_672_531_200_000_000n;
/** Room for every revision of a post: the low 30 bits (the 10-bit clock id and 20 timestamp bits). */
const REVISION_BITS = 30n;
export const MAX_REVISION = 2 ** Number(REVISION_BITS) - 1;
/** The highest post id whose keys stay below 2^63 (a TID's top bit is always 0). */
export const MAX_POST_ID = 2 ** 31 - 1;

/**
 * The record key of a post on Bluesky: one TID per post and approved revision, the same for every
 * attempt (first send, retry, take-over, another replica), so the repository refuses a second record
 * instead of holding two. A TID is 13 base32-sortable characters of `microseconds << 10 | clock id`
 * (atproto "Record Key" spec; pitfalls.md §11); ours is the epoch shifted left by 10, plus
 * `postId · 2^30 + revision`. Distinct (post id, revision) pairs get distinct keys because that sum is
 * injective while the revision stays below 2^30 — a post would need a billion edits.
 *
 * It is built from the same two numbers as the webhook's Idempotency-Key, and from nothing else (not
 * the time: re-planning may move an approved post without a new approval).
 */
export function blueskyRecordKey(postId: number, approvedRevision: number): string {
  if (!Number.isSafeInteger(postId) || postId < 0 || postId > MAX_POST_ID) throw new RangeError(`post id ${postId} is outside 0…${MAX_POST_ID}`);
  if (!Number.isSafeInteger(approvedRevision) || approvedRevision < 0 || approvedRevision > MAX_REVISION) {
    throw new RangeError(`revision ${approvedRevision} is outside 0…${MAX_REVISION}`);
  }
  let value = (EPOCH_US << 10n) + (BigInt(postId) << REVISION_BITS) + BigInt(approvedRevision);
  let key = '';
  for (let i = 0; i < 13; i++) {
    key = S32[Number(value & 31n)] + key;
    value >>= 5n;
  }
  return key;
}

/** The post's page: what `publishedUrl` holds (contract "Media": the bluesky publisher). */
export function blueskyPostUrl(handle: string, recordKey: string): string {
  return `https://bsky.app/profile/${encodeURIComponent(handle)}/post/${recordKey}`;
}
