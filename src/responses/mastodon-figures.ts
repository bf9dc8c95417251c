import { parseRetryAfter } from '../publishing/publisher';

/** What one read of a post's figures gave. */
export type Reading =
  | { kind: 'figures'; likes: number | null; reposts: number | null; replies: number | null; quotes: number | null; impressions: number | null }
  /** The network refused for good or until someone acts: recorded as such, never as zero. */
  | { kind: 'refused'; error: 'deleted' | 'token refused' | 'not collected' }
  /** Rate limited (429) or unavailable: nothing recorded, the network is left alone until `retryAtMs`. */
  | { kind: 'wait'; retryAtMs: number; error: string };

/** How long to leave a network alone after a 5xx or a failed connection, when it names no time. */
export const UNAVAILABLE_PAUSE_MS = 5 * 60_000;

/**
 * Mastodon's `url` for a status on its own instance is `https://<instance>/@<account>/<status id>`
 * (what the publisher records as `publishedUrl`), so the id is its last segment; null if it is not one.
 */
export function mastodonStatusId(publishedUrl: string): string | null {
  try {
    const last = new URL(publishedUrl).pathname.split('/').pop() ?? '';
    return /^\d+$/.test(last) ? last : null;
  } catch {
    return null;
  }
}

/**
 * When a rate-limited network may be asked again: Retry-After (seconds or date), else Mastodon's
 * `X-RateLimit-Reset` (ISO 8601), X's `x-rate-limit-reset` or Bluesky's `RateLimit-Reset` (epoch seconds), else a pause.
 */
export function retryAt(headers: Headers, now: number): number {
  const after = parseRetryAfter(headers.get('retry-after'), now);
  if (after !== undefined) return now + after;
  const reset = headers.get('x-ratelimit-reset') ?? headers.get('x-rate-limit-reset') ?? headers.get('ratelimit-reset');
  if (reset) {
    const at = /^\d+$/.test(reset.trim()) ? Number(reset.trim()) * 1000 : Date.parse(reset);
    if (!Number.isNaN(at)) return Math.max(now, at);
  }
  return now + UNAVAILABLE_PAUSE_MS;
}

/** A network's count as a figure: a finite number, else null (not given), never zero by default. */
export const count = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** `GET /api/v1/statuses/:id`: favourites, boosts and replies; Mastodon gives no quotes or impressions. */
export async function readMastodonStatus(instance: string, token: string, statusId: string, timeoutMs: number, now: () => number): Promise<Reading> {
  let response: Response;
  try {
    response = await fetch(`${instance.replace(/\/$/, '')}/api/v1/statuses/${encodeURIComponent(statusId)}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: (error as Error).message };
  }
  if (response.status === 404 || response.status === 410) return { kind: 'refused', error: 'deleted' };
  if (response.status === 401 || response.status === 403) return { kind: 'refused', error: 'token refused' };
  if (response.status === 429) return { kind: 'wait', retryAtMs: retryAt(response.headers, now()), error: 'HTTP 429' };
  const body = response.ok ? await response.json().catch(() => null) as Record<string, unknown> | null : null;
  if (!body) return { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: `HTTP ${response.status}` };
  return { kind: 'figures', likes: count(body.favourites_count), reposts: count(body.reblogs_count), replies: count(body.replies_count), quotes: null, impressions: null };
}
