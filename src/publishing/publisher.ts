/** What a publisher is asked to send: the post as approved, under its one idempotency key. */
export interface PublishRequest {
  postId: number;
  /** The revision the last approval was given at (the body's `revision`). */
  approvedRevision: number;
  idempotencyKey: string;
  campaign: string;
  member: string;
  network: string;
  locale: string;
  text: string;
  scheduledAt: string;
  /**
   * Taken over from a dispatcher whose lease ran out (it crashed or stalled, perhaps mid-send): on a
   * network without idempotency keys the post may already be there, so it is looked for first.
   */
  mayHaveBeenSent?: boolean;
  /** The post's images in order, with the file to upload where a network takes bytes, not a URL. */
  media: PublishMedia[];
}

export interface PublishMedia {
  url: string;
  mime: string;
  alt: string;
  width: number;
  height: number;
  /** Absolute path of the stored image. */
  file: string;
}

export type PublishOutcome =
  /** `id`: the network's own id of the post (issue 14), what responses are read by; null when it gives none. */
  | { kind: 'published'; url: string | null; id: string | null }
  /** Manual channels: the member's comms staff were told; they post by hand and mark it published. */
  | { kind: 'handed-over'; detail: string }
  | { kind: 'transient'; error: string; retryAfterMs?: number }
  | { kind: 'permanent'; error: string }
  /** Sent, but whether the network created the post is unknown and could not be checked: a person decides (never resent by itself). */
  | { kind: 'unconfirmed'; error: string };

/** One implementation per way a channel goes out: manual, webhook, mastodon, bluesky. */
export interface Publisher {
  publish(request: PublishRequest): Promise<PublishOutcome>;
}

/**
 * The same key for every attempt at the same post and approved revision: claims, retries and
 * take-overs never change it, only a new approval does (contract "Publishing").
 */
export function idempotencyKey(postId: number, approvedRevision: number): string {
  return `natc-post-${postId}-r${approvedRevision}`;
}

/** 2xx published; 408, 429 and 5xx worth retrying (429/503 after Retry-After); any other 4xx final. */
export function classifyResponse(status: number, retryAfter: string | null, now: number): 'published' | Extract<PublishOutcome, { kind: 'transient' | 'permanent' }> {
  if (status >= 200 && status < 300) return 'published';
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: 'transient', error: `HTTP ${status}`, retryAfterMs: parseRetryAfter(retryAfter, now) };
  }
  return { kind: 'permanent', error: `HTTP ${status}` };
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Exponential backoff with jitter: attempt n waits between half and all of base·2^(n-1), capped;
 * a server's Retry-After wins when it asks for longer.
 */
export function retryDelayMs(attempt: number, options: { baseMs: number; capMs: number; retryAfterMs?: number; random?: () => number }): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** (attempt - 1));
  const jittered = ceiling / 2 + (options.random ?? Math.random)() * (ceiling / 2);
  return Math.round(Math.max(jittered, options.retryAfterMs ?? 0));
}
