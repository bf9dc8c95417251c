import { classifyGraphRefusal, graphCall, type GraphAnswer } from '../publishing/publishers/graph-api';
import { UNAVAILABLE_PAUSE_MS, type Reading } from './mastodon-figures';

/*
 * Facebook Page post figures, Graph API v26.0 (developers.facebook.com, "Page Post" reference and
 * "Handling Errors", read 2026-11-30): `GET /{page-id}_{post-id}?fields=reactions.summary(total_count).limit(0),
 * comments.summary(total_count).limit(0),shares` with the Page token → `{id, reactions: {data: [],
 * summary: {total_count}}, comments: {data: [], summary: {total_count}}, shares?: {count}}`; `shares` is
 * absent while nobody has shared the post (then 0, not unknown). A post that no longer exists answers
 * code 100 subcode 33; code 190 a token expired or revoked; 4, 17, 32, 613, 80001 rate limits.
 * Facebook gives no quotes, and impressions only through Page insights (a permission we do not ask).
 */
export const FACEBOOK_FIELDS = 'reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),shares';

/**
 * The Graph id `<page>_<post>` of a post from the URL the Facebook publisher records: its
 * `permalink_url` (`https://www.facebook.com/<page>/posts/<post>`) or the fallback
 * `https://www.facebook.com/<page>_<post>`. Only for posts published before the id was recorded (issue
 * 14): null for an address that does not carry it (a `pfbid…` permalink, a link entered by hand).
 */
export function facebookPostId(publishedUrl: string): string | null {
  let path: string;
  try {
    path = new URL(publishedUrl).pathname;
  } catch {
    return null;
  }
  const permalink = /^\/(\d+)\/posts\/(\d+)\/?$/.exec(path);
  if (permalink) return `${permalink[1]}_${permalink[2]}`;
  const id = /^\/(\d+_\d+)\/?$/.exec(path);
  return id ? id[1] : null;
}

const count = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const summary = (edge: unknown): number | null => count((edge as { summary?: { total_count?: unknown } } | undefined)?.summary?.total_count);

/** Reactions (all kinds) → likes, comments → replies, shares → reposts. */
export function facebookFigures(post: Record<string, unknown>): Reading {
  const shares = post.shares === undefined ? 0 : count((post.shares as { count?: unknown } | null)?.count);
  return { kind: 'figures', likes: summary(post.reactions), reposts: shares, replies: summary(post.comments), quotes: null, impressions: null };
}

/**
 * One Graph object's fields read as a Reading: a missing object (100/33) is deleted, a refused token is
 * "token refused", a rate limit waits as long as X-Business-Use-Case-Usage says (else the default).
 */
export async function readGraphFigures(
  url: string, fields: string, token: string, map: (body: Record<string, unknown>) => Reading, timeoutMs: number, now: () => number,
): Promise<Reading> {
  const answer = await graphCall(url, { method: 'GET', params: { fields, access_token: token } }, timeoutMs);
  return answer.kind === 'ok' ? map(answer.body) : graphRefusalReading(answer, now);
}

/** A Graph answer that is not 200 as a Reading (see readGraphFigures). */
export function graphRefusalReading(answer: Exclude<GraphAnswer, { kind: 'ok' }>, now: () => number): Reading {
  if (answer.kind !== 'refused') return { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: answer.why };
  if (answer.error.code === 100 && answer.error.subcode === 33) return { kind: 'refused', error: 'deleted' };
  const verdict = classifyGraphRefusal('Graph', answer.status, answer.error, answer.headers);
  if (verdict.kind === 'reconnect') return { kind: 'refused', error: 'token refused' };
  if (verdict.kind === 'rate-limited') return { kind: 'wait', retryAtMs: now() + verdict.retryAfterMs, error: verdict.error };
  return { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: verdict.error };
}
