import { count, retryAt, UNAVAILABLE_PAUSE_MS, type Reading } from './mastodon-figures';

/*
 * X API v2 post lookup, as documented at docs.x.com (read 2026-11-30; "Post lookup" and "Fields"):
 * `GET /2/tweets?ids=<up to 100, comma-separated>&tweet.fields=public_metrics,non_public_metrics`
 * with the user's OAuth 2.0 token → `{data: [{id, public_metrics: {like_count, retweet_count,
 * reply_count, quote_count, impression_count}, non_public_metrics: {impression_count}}], errors:
 * [{resource_id, title: "Not Found Error", type: …/resource-not-found}]}`; a deleted post is in
 * `errors`, not in `data`. non_public_metrics is given only for the account's own posts of the last
 * 30 days; when it is refused (403) the figures are asked again with public_metrics alone. 401: the
 * token is refused; 429: wait for `x-rate-limit-reset` (epoch seconds).
 */

export const X_LOOKUP_MAX = 100;

/** The post id at the end of the URL the X publisher records (`https://x.com/<handle>/status/<id>`). */
export function xPostId(publishedUrl: string): string | null {
  try {
    const m = /\/status\/(\d+)$/.exec(new URL(publishedUrl).pathname);
    return m ? m[1] : null;
  } catch {
    return null;
  }
}


export type XLookup = { kind: 'posts'; byId: Map<string, Reading> } | { kind: 'wait'; retryAtMs: number; error: string } | { kind: 'refused'; error: 'token refused' };

/** The figures X gives for one post: impressions from non_public_metrics when granted, else from public_metrics. */
export function xFigures(post: Record<string, any>): Reading {
  const pub = (post.public_metrics ?? {}) as Record<string, unknown>;
  const own = (post.non_public_metrics ?? {}) as Record<string, unknown>;
  return {
    kind: 'figures', likes: count(pub.like_count), reposts: count(pub.retweet_count), replies: count(pub.reply_count), quotes: count(pub.quote_count),
    impressions: count(own.impression_count) ?? count(pub.impression_count),
  };
}

async function lookup(apiUrl: string, token: string, ids: string[], fields: string, timeoutMs: number, now: () => number): Promise<Response | XLookup> {
  const query = new URLSearchParams({ ids: ids.join(','), 'tweet.fields': fields });
  try {
    return await fetch(`${apiUrl}/2/tweets?${query}`, { headers: { Authorization: `Bearer ${token}` }, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: (error as Error).message };
  }
}

/** One lookup of up to 100 posts of one account; a post X does not return is recorded as deleted. */
export async function readXPosts(apiUrl: string, token: string, ids: string[], timeoutMs: number, now: () => number): Promise<XLookup> {
  let response = await lookup(apiUrl, token, ids, 'public_metrics,non_public_metrics', timeoutMs, now);
  if (response instanceof Response && response.status === 403) response = await lookup(apiUrl, token, ids, 'public_metrics', timeoutMs, now);
  if (!(response instanceof Response)) return response;
  if (response.status === 401) return { kind: 'refused', error: 'token refused' };
  if (response.status === 429) return { kind: 'wait', retryAtMs: retryAt(response.headers, now()), error: 'HTTP 429' };
  const body = response.ok ? await response.json().catch(() => null) as { data?: Record<string, any>[] } | null : null;
  if (!body) return { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: `HTTP ${response.status}` };
  const byId = new Map<string, Reading>(ids.map((id) => [id, { kind: 'refused', error: 'deleted' }]));
  for (const post of body.data ?? []) if (typeof post.id === 'string' && byId.has(post.id)) byId.set(post.id, xFigures(post));
  return { kind: 'posts', byId };
}
