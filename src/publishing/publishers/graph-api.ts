/*
 * Meta's Graph API as Facebook Pages and Instagram share it, written against Graph API v26.0 from
 * developers.facebook.com as read on 2026-11-30: "Handling Errors" (every error is JSON
 * `{error: {message, type, code, error_subcode, is_transient, fbtrace_id}}`; code 190 = the access token
 * expired or was revoked; 1 and 2 = temporary; 4, 17, 32, 613, 80001 = rate limits; 506 = a duplicate
 * post), "Rate Limiting" (`X-App-Usage` and `X-Business-Use-Case-Usage` headers, the latter with
 * `estimated_time_to_regain_access` in minutes). The token goes in the `access_token` parameter, as
 * the reference pages show it (form body on POST, query on GET); URLs are never logged.
 */

import { fetchFailure } from './account-sends';

export interface GraphError {
  message: string;
  type?: string;
  code?: number;
  subcode?: number;
  isTransient?: boolean;
}

export type GraphAnswer =
  | { kind: 'ok'; status: number; body: Record<string, unknown> }
  /** The Graph API answered with an error (or a non-JSON error page). */
  | { kind: 'refused'; status: number; error: GraphError; headers: Headers }
  /** The request cannot have reached Meta (connection refused, no such host): sending again is safe. */
  | { kind: 'not-sent'; why: string }
  /** Sent, but no readable answer (timeout, reset, a 2xx that is not JSON): it may have taken effect. */
  | { kind: 'unknown'; why: string };

/** What a refusal means for the post: reconnect the account, wait, look before resending, or give up. */
export type GraphVerdict =
  | { kind: 'reconnect'; error: string }
  | { kind: 'rate-limited'; error: string; retryAfterMs: number }
  | { kind: 'maybe-created'; error: string }
  | { kind: 'failed'; error: string };

/** App (4), user (17), Page (32), custom (613), Page business use case (80001), Instagram publishing (9). */
const RATE_LIMIT_CODES = new Set([4, 9, 17, 32, 613, 80001]);
/** Codes 190 (invalid or expired token) and 102 (session expired): no retry can succeed. */
const TOKEN_CODES = new Set([190, 102]);
/** When a rate limit names no time to wait: the app-level window is an hour, rolling; a tenth of it. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 6 * 60_000;

export async function graphCall(url: string, init: { method: 'GET' | 'POST'; params: Record<string, string> }, timeoutMs: number): Promise<GraphAnswer> {
  const form = new URLSearchParams(init.params).toString();
  let response: Response;
  try {
    response = init.method === 'GET'
      ? await fetch(`${url}?${form}`, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) })
      : await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const failure = fetchFailure(error, timeoutMs);
    return { kind: failure.sent ? 'unknown' : 'not-sent', why: failure.why };
  }
  const body = await response.json().catch(() => undefined) as Record<string, unknown> | undefined;
  const readable = typeof body === 'object' && body !== null && !Array.isArray(body);
  if (response.ok) return readable ? { kind: 'ok', status: response.status, body } : { kind: 'unknown', why: `HTTP ${response.status}, not JSON` };
  const raw = readable ? (body.error as Record<string, unknown> | undefined) : undefined;
  const error: GraphError = raw && typeof raw === 'object'
    ? {
      message: typeof raw.message === 'string' ? raw.message : '', type: typeof raw.type === 'string' ? raw.type : undefined,
      code: typeof raw.code === 'number' ? raw.code : undefined, subcode: typeof raw.error_subcode === 'number' ? raw.error_subcode : undefined,
      isTransient: raw.is_transient === true,
    }
    : { message: 'not JSON' };
  return { kind: 'refused', status: response.status, error, headers: response.headers };
}

/** The longest wait any `X-Business-Use-Case-Usage` entry names (minutes → ms); undefined when none does. */
export function rateLimitWaitMs(headers: { get(name: string): string | null }): number | undefined {
  const raw = headers.get('x-business-use-case-usage');
  if (!raw) return undefined;
  let usage: unknown;
  try {
    usage = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const minutes = Object.values(usage && typeof usage === 'object' ? usage : {}).flat()
    .map((entry) => Number((entry as { estimated_time_to_regain_access?: unknown })?.estimated_time_to_regain_access))
    .filter((m) => Number.isFinite(m) && m > 0);
  return minutes.length ? Math.max(...minutes) * 60_000 : undefined;
}

/** A Graph refusal, for `network` ("Facebook", "Instagram"), as what to do with the post. */
export function classifyGraphRefusal(network: string, status: number, error: GraphError, headers: { get(name: string): string | null }): GraphVerdict {
  const detail = `${network}: HTTP ${status}${error.code !== undefined ? ` code ${error.code}` : ''}${error.subcode ? `/${error.subcode}` : ''}${error.message ? ` ${error.message}` : ''}`.slice(0, 300);
  if (error.code !== undefined && TOKEN_CODES.has(error.code)) return { kind: 'reconnect', error: detail };
  if ((error.code !== undefined && RATE_LIMIT_CODES.has(error.code)) || status === 429) {
    return { kind: 'rate-limited', error: detail, retryAfterMs: rateLimitWaitMs(headers) ?? DEFAULT_RATE_LIMIT_WAIT_MS };
  }
  // A 5xx, a "temporary" error or a duplicate refused: an earlier attempt may have created the post.
  if (status >= 500 || error.isTransient || error.code === 1 || error.code === 2 || error.code === 506) return { kind: 'maybe-created', error: detail };
  return { kind: 'failed', error: detail };
}
