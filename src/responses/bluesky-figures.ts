import { count, retryAt, UNAVAILABLE_PAUSE_MS, type Reading } from './mastodon-figures';

/*
 * Bluesky's counts come from an AppView, not from the PDS that holds the posts. Written against the
 * lexicons shipped in @atproto/api 0.19.19 and the AppView's handler in @atproto/bsky 0.0.221 (read
 * 2026-11-30): `GET /xrpc/app.bsky.feed.getPosts?uris=<at-uri>&uris=…` (at most 25, public, no auth
 * on https://public.api.bsky.app) answers `{posts: [postView]}` with `uri`, `likeCount`,
 * `repostCount`, `replyCount`, `quoteCount`; a post that is gone is simply absent. The AppView does
 * not resolve handles inside those URIs, so the handle is turned into its DID first with
 * `com.atproto.identity.resolveHandle?handle=` (400 when no such handle). Rate limits answer 429
 * with `RateLimit-Reset` (epoch seconds).
 */

export const PUBLIC_APPVIEW = 'https://public.api.bsky.app';
/** getPosts's `uris` maxLength in the lexicon. */
export const GET_POSTS_MAX = 25;

/** Handle and record key of the post page the publisher records (`https://bsky.app/profile/<handle>/post/<rkey>`). */
export function blueskyPostRef(publishedUrl: string): { handle: string; rkey: string } | null {
  try {
    const url = new URL(publishedUrl);
    const m = /^\/profile\/([^/]+)\/post\/([a-z2-7]{13})$/.exec(url.pathname);
    return m ? { handle: decodeURIComponent(m[1]), rkey: m[2] } : null;
  } catch {
    return null;
  }
}

export const postAtUri = (did: string, rkey: string): string => `at://${did}/app.bsky.feed.post/${rkey}`;

/** What one getPosts call gave: the figures of each URI it answered for (absent: deleted), or a reason to wait. */
export type PostsAnswer = { kind: 'posts'; byUri: Map<string, Reading> } | { kind: 'wait'; retryAtMs: number; error: string };

type Get = { kind: 'json'; body: Record<string, unknown> } | { kind: 'status'; response: Response } | { kind: 'wait'; retryAtMs: number; error: string };

async function getJson(url: string, timeoutMs: number, now: () => number): Promise<Get> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: (error as Error).message };
  }
  if (response.status === 429) return { kind: 'wait', retryAtMs: retryAt(response.headers, now()), error: 'HTTP 429' };
  if (response.status >= 500) return { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: `HTTP ${response.status}` };
  if (!response.ok) return { kind: 'status', response };
  const body = await response.json().catch(() => null) as Record<string, unknown> | null;
  return body ? { kind: 'json', body } : { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: 'not JSON' };
}

/** The DID of a handle, null when the AppView knows no such handle (gone, or renamed), or a reason to wait. */
export async function resolveBlueskyHandle(appview: string, handle: string, timeoutMs: number, now: () => number): Promise<string | null | { retryAtMs: number; error: string }> {
  const answer = await getJson(`${appview}/xrpc/com.atproto.identity.resolveHandle?${new URLSearchParams({ handle })}`, timeoutMs, now);
  if (answer.kind === 'wait') return { retryAtMs: answer.retryAtMs, error: answer.error };
  if (answer.kind === 'status') return answer.response.status === 400 ? null : { retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: `HTTP ${answer.response.status}` };
  return typeof answer.body.did === 'string' ? answer.body.did : null;
}

/** One getPosts call for up to 25 AT-URIs; a URI the answer leaves out was deleted (recorded as such, never as zero). */
export async function readBlueskyPosts(appview: string, uris: string[], timeoutMs: number, now: () => number): Promise<PostsAnswer> {
  const query = new URLSearchParams();
  for (const uri of uris.slice(0, GET_POSTS_MAX)) query.append('uris', uri);
  const answer = await getJson(`${appview}/xrpc/app.bsky.feed.getPosts?${query}`, timeoutMs, now);
  if (answer.kind === 'wait') return answer;
  if (answer.kind === 'status') return { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: `HTTP ${answer.response.status}` };
  const views = Array.isArray(answer.body.posts) ? (answer.body.posts as Record<string, unknown>[]) : [];
  const byUri = new Map<string, Reading>(uris.map((uri) => [uri, { kind: 'refused', error: 'deleted' }]));
  for (const view of views) {
    if (typeof view.uri !== 'string' || !byUri.has(view.uri)) continue;
    byUri.set(view.uri, {
      kind: 'figures', likes: count(view.likeCount), reposts: count(view.repostCount), replies: count(view.replyCount), quotes: count(view.quoteCount), impressions: null,
    });
  }
  return { kind: 'posts', byUri };
}
