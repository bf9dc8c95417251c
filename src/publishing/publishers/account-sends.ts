import { AccountCredentials, AccountUnusable } from '../../accounts/accounts.service';
import type { PublishOutcome } from '../publisher';

/** What the connected-account publishers (X, LinkedIn) need of AccountsService. */
export interface AccountTokens {
  credentials(name: string): Promise<AccountCredentials>;
  flagNeedsReconnect(name: string, reason: string): Promise<void>;
}

/** The account's credentials, or the outcome when there are none: a person must reconnect (permanent), or try later. */
export async function accountOrOutcome(accounts: AccountTokens, name: string): Promise<AccountCredentials | PublishOutcome> {
  try {
    return await accounts.credentials(name);
  } catch (error) {
    if (error instanceof AccountUnusable) return { kind: 'permanent', error: `needs-reconnect: ${error.message}` };
    return { kind: 'transient', error: (error as Error).message };
  }
}

/** Errors that happen before a request can have reached the network: nothing was sent, so sending again is safe. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export type SendAnswer<T> =
  | { kind: 'created' } & T
  | { kind: 'unknown'; why: string }
  | { kind: 'outcome'; outcome: PublishOutcome };

/** Why a fetch threw, and whether the request can have reached the network (every publisher reads it so). */
export function fetchFailure(error: unknown, timeoutMs: number): { sent: boolean; why: string } {
  const e = error as Error & { cause?: { code?: string } };
  if (e.cause?.code && NOT_SENT.has(e.cause.code)) return { sent: false, why: `${e.cause.code} (nothing sent)` };
  return { sent: true, why: e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${e.cause?.code ?? e.name} after sending` };
}

/** A fetch that threw: never sent (retry), or sent with no answer (the outcome is unknown: look before resending). */
export function failedSend(error: unknown, network: string, timeoutMs: number): SendAnswer<never> {
  const failure = fetchFailure(error, timeoutMs);
  return failure.sent ? { kind: 'unknown', why: failure.why } : { kind: 'outcome', outcome: { kind: 'transient', error: `${network}: ${failure.why}` } };
}

/** The network refused the account's token: no retry can succeed, a person must reconnect the account. */
export async function refusedToken(accounts: AccountTokens, account: AccountCredentials, network: string, error: string): Promise<PublishOutcome> {
  await accounts.flagNeedsReconnect(account.name, `${network} refused the token (HTTP 401) on ${new Date().toISOString()}`);
  return { kind: 'permanent', error: `needs-reconnect: account ${account.name}: ${error}` };
}

/**
 * A refusal before the post itself was sent (an image upload), so nothing can be doubled: 401 → reconnect;
 * 408, 429 (after the network's rate-limit wait) and 5xx → try again later; any other 4xx → failed, since
 * sending the same again cannot succeed (`forbidden`: what a 403 most likely means on this network).
 */
export function refusedBeforePosting(accounts: AccountTokens, account: AccountCredentials, response: Response, step: { network: string; what: string; rateLimitWait: (response: Response) => number | undefined; forbidden?: string }): Promise<PublishOutcome> | PublishOutcome {
  const error = `${step.network} ${step.what}: HTTP ${response.status}`;
  if (response.status === 401) return refusedToken(accounts, account, step.network, error);
  if (response.status === 408 || response.status === 429 || response.status >= 500) {
    return { kind: 'transient', error, retryAfterMs: response.status === 429 ? step.rateLimitWait(response) : undefined };
  }
  return { kind: 'permanent', error: response.status === 403 && step.forbidden ? `${error} (${step.forbidden})` : error };
}
