import type { AtpAgent } from '@atproto/api';
import { createHash } from 'node:crypto';

/**
 * One logged-in AtpAgent per Bluesky account (service + handle) for the life of the process. A send
 * reuses it: the agent refreshes its access token with the refresh token when the PDS says it expired
 * (com.atproto.server.refreshSession), so the service logs in once, not per post — Bluesky
 * rate-limits createSession hard (30 per 5 minutes, 300 a day per account). A failed login, or a
 * session the PDS no longer refreshes, is forgotten so that the next attempt logs in again.
 */
export class BlueskySessions {
  private readonly agents = new Map<string, Promise<AtpAgent>>();

  constructor(private readonly fetchImpl: typeof fetch = fetch) {}

  agent(account: { service: string; handle: string; password: string }, timeoutMs: number): Promise<AtpAgent> {
    const key = keyOf(account);
    const cached = this.agents.get(key);
    if (cached) return cached;
    // @atproto/api is loaded on the first Bluesky send: it costs every start-up (CLI, tests) a tenth otherwise.
    const loggedIn = import('@atproto/api').then(async ({ AtpAgent }) => {
      const agent = new AtpAgent({ service: account.service, fetch: withTimeout(this.fetchImpl, timeoutMs) });
      await agent.login({ identifier: account.handle, password: account.password });
      return agent;
    });
    loggedIn.catch(() => this.forget(key, loggedIn));
    this.agents.set(key, loggedIn);
    return loggedIn;
  }

  /** After a failed call: if the agent lost its session (refresh refused), log in afresh next time. */
  dropIfSignedOut(account: { service: string; handle: string; password: string }, agent: AtpAgent): void {
    if (!agent.hasSession) {
      const key = keyOf(account);
      const cached = this.agents.get(key);
      if (cached) void cached.then((a) => a === agent && this.forget(key, cached), () => undefined);
    }
  }

  private forget(key: string, agent: Promise<AtpAgent>): void {
    if (this.agents.get(key) === agent) this.agents.delete(key);
  }
}

/**
 * One session per account and password: two campaigns naming the same account with different
 * secrets (one of them stale) must not log each other out. Only a digest of the password is kept.
 */
function keyOf(account: { service: string; handle: string; password: string }): string {
  return `${account.service}|${account.handle.toLowerCase()}|${createHash('sha256').update(account.password).digest('hex')}`;
}

/** Every XRPC request gives up after the publishing timeout (PUBLISH_TIMEOUT_MS), like the webhook's. */
function withTimeout(fetchImpl: typeof fetch, timeoutMs: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    return fetchImpl(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
  };
}
