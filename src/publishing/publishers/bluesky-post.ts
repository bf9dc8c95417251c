import type { AppBskyEmbedImages, AppBskyFeedPost } from '@atproto/api';
import { PublishOutcome, parseRetryAfter } from '../publisher';

export const POST_COLLECTION = 'app.bsky.feed.post';

/** Facet features we write: links and hashtags need no lookup; a mention needs the account's DID. */
const FEATURES_WITHOUT_LOOKUP = new Set(['app.bsky.richtext.facet#link', 'app.bsky.richtext.facet#tag']);

/**
 * The `app.bsky.feed.post` record of a post: its text with facets, so links and hashtags are
 * clickable (Bluesky shows plain text otherwise), and its language. Facet offsets are UTF-8 byte
 * offsets (atproto "Rich text facets"), which RichText computes; Cyrillic letters take 2 bytes and
 * most emoji 4. `createdAt` is the post's scheduled time, so every attempt builds the same record.
 * Images go in as an `app.bsky.embed.images` embed: each uploaded blob with its alt text and its
 * aspect ratio (without it the app shows a square crop until the image loads).
 */
export async function blueskyPostRecord(text: string, locale: string, createdAt: string, images: AppBskyEmbedImages.Image[] = []): Promise<AppBskyFeedPost.Record> {
  const { RichText } = await import('@atproto/api');
  const rich = new RichText({ text });
  rich.detectFacetsWithoutResolution();
  // Without resolution a mention would carry its handle where a DID belongs: the PDS refuses that.
  const facets = (rich.facets ?? [])
    .map((facet) => ({ ...facet, features: facet.features.filter((f) => FEATURES_WITHOUT_LOOKUP.has(String(f.$type))) }))
    .filter((facet) => facet.features.length > 0);
  return {
    $type: POST_COLLECTION,
    text: rich.text,
    ...(facets.length ? { facets } : {}),
    createdAt,
    langs: [languageOf(locale)],
    ...(images.length ? { embed: { $type: 'app.bsky.embed.images', images } } : {}),
  };
}

/**
 * `hr` for `hr`, `sr` for `sr-Latn`: Bluesky's language filters match the language subtag. Not
 * Intl.Locale, which canonicalises Montenegrin `cnr` to `sr` (pitfalls.md §9).
 */
function languageOf(locale: string): string {
  return locale.split('-')[0].toLowerCase();
}

/** What an XRPC call answered when it did not succeed (XRPCError's fields, or a network error's). */
export interface XrpcFailure {
  /** HTTP status; 1 (ResponseType.Unknown) when no answer came. */
  status: number;
  error?: string;
  message: string;
  headers?: Record<string, string>;
}

/**
 * 429, 5xx and no answer at all are worth retrying (a rate limit after the time it names); any other
 * 4xx is final: the PDS refused the record itself (InvalidRequest: too long, bad facets).
 * A 500 may also be "already there": the publisher asks getRecord before it gets here.
 */
export function classifyBlueskyFailure(failure: XrpcFailure, now: number): Extract<PublishOutcome, { kind: 'transient' | 'permanent' }> {
  const error = `Bluesky ${failure.status > 99 ? `HTTP ${failure.status} ` : ''}${failure.error ?? ''}${failure.error && failure.message ? ': ' : ''}${failure.message}`.trim();
  if (failure.status < 100 || failure.status === 408 || failure.status === 429 || failure.status >= 500) {
    return { kind: 'transient', error, retryAfterMs: retryAfterOf(failure.headers, now) };
  }
  return { kind: 'permanent', error };
}

/** Bluesky names the end of a rate-limit window in `ratelimit-reset` (epoch seconds), or Retry-After. */
function retryAfterOf(headers: Record<string, string> | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const retryAfter = parseRetryAfter(lower['retry-after'] ?? null, now);
  if (retryAfter !== undefined) return retryAfter;
  const reset = Number(lower['ratelimit-reset']);
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : undefined;
}

/** Reads an error thrown by @atproto/api (XRPCError) or by fetch into an XrpcFailure. */
export function toXrpcFailure(error: unknown): XrpcFailure {
  const e = error as { status?: unknown; error?: unknown; message?: unknown; headers?: unknown; name?: unknown; cause?: { code?: unknown } };
  const status = typeof e?.status === 'number' ? e.status : 1;
  const code = typeof e?.cause?.code === 'string' ? `${e.cause.code}: ` : '';
  return {
    status,
    error: typeof e?.error === 'string' && e.error !== e?.message ? e.error : undefined,
    message: `${code}${typeof e?.message === 'string' ? e.message : String(error)}`.slice(0, 300),
    headers: e?.headers && typeof e.headers === 'object' ? (e.headers as Record<string, string>) : undefined,
  };
}
