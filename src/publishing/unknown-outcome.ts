import type { PublishOutcome } from './publisher';

/**
 * Issue 14 #3, for every network without idempotency keys (X, Facebook, Instagram, LinkedIn): after an
 * attempt whose outcome is unknown (a timeout, a connection reset after the request went out, a 5xx
 * that may have created the post, an answer that cannot be read), the post is never simply sent again.
 * The account's recent posts are read where the network allows it: the post found there (same text,
 * sent within the window) is published; a readable account without it proves nothing was created, so
 * the attempt is retried; an account that cannot be read leaves the post `unconfirmed` for a person.
 */
export interface RecentPostsReader {
  /** The account's posts created within [from, to]; 'unreadable' when the network would not say. */
  recentPosts(from: Date, to: Date): Promise<{ id: string; text: string; url: string }[] | 'unreadable'>;
}

/** How long before the send and after the check a post created by it may be dated (clock skew, slow networks). */
export const MATCH_WINDOW_MS = 2 * 60_000;

/**
 * Networks rewrite links (X wraps every URL in t.co) and may trim the text: compare with every URL
 * replaced by one placeholder, whitespace collapsed and the edges trimmed; anything else must be equal.
 */
export function sameText(sent: string, found: string): boolean {
  const normal = (text: string) => text.replace(/https?:\/\/\S+/g, '<url>').replace(/\s+/g, ' ').trim();
  return normal(sent) === normal(found);
}

/**
 * Before sending a post that may already have gone out (taken over from a crashed dispatcher): found
 * on the account → published, not sent again; the account unreadable → unconfirmed; absent → null, send it.
 */
export async function lookBeforeResending(reader: RecentPostsReader | null, text: string, scheduledAt: Date, now: Date): Promise<PublishOutcome | null> {
  const outcome = await settleUnknownOutcome(reader, text, scheduledAt, now, 'taken over from a dispatcher that may have sent it');
  return outcome.kind === 'transient' ? null : outcome;
}

export async function settleUnknownOutcome(reader: RecentPostsReader | null, text: string, sentAt: Date, now: Date, why: string): Promise<PublishOutcome> {
  if (!reader) return { kind: 'unconfirmed', error: `${why}; this network cannot be read back: check the account, then confirm or send again` };
  const recent = await reader.recentPosts(new Date(sentAt.getTime() - MATCH_WINDOW_MS), new Date(now.getTime() + MATCH_WINDOW_MS)).catch(() => 'unreadable' as const);
  if (recent === 'unreadable') return { kind: 'unconfirmed', error: `${why}; the account's posts could not be read: check the account, then confirm or send again` };
  const found = recent.find((post) => sameText(text, post.text));
  if (found) return { kind: 'published', url: found.url, id: found.id };
  return { kind: 'transient', error: `${why}; not on the account, so not created: sent again` };
}
