import type { AccountCredentials } from '../../accounts/accounts.service';
import type { PublishOutcome, PublishRequest } from '../publisher';
import { lookBeforeResending, RecentPostsReader } from '../unknown-outcome';
import { classifyGraphRefusal, GraphAnswer } from './graph-api';
import { accountOrOutcome, AccountTokens } from './account-sends';

/** A Page's or an Instagram account's token, with the network's id of it (the Page id, the IG user id). */
export type GraphCredentials = AccountCredentials & { externalId: string };

/** What Facebook and Instagram publishers share: the account's token, and one way to read a Graph answer. */
export class GraphAccount {
  constructor(
    readonly network: 'Facebook' | 'Instagram',
    private readonly accountName: string,
    private readonly accounts: AccountTokens,
  ) {}

  /**
   * Before any request: the account's credentials, and for a post taken over from a dispatcher that may
   * have sent it, a look at the account first (found → published, unreadable → unconfirmed).
   */
  async begin(request: PublishRequest, reader: (account: GraphCredentials) => RecentPostsReader): Promise<{ account: GraphCredentials } | { outcome: PublishOutcome }> {
    const credentials = await this.credentials();
    if ('outcome' in credentials || !request.mayHaveBeenSent) return credentials;
    const found = await lookBeforeResending(reader(credentials.account), request.text, new Date(request.scheduledAt), new Date());
    return found ? { outcome: found } : credentials;
  }

  /** The account's credentials, or the outcome when there are none to use (needs reconnecting: no retries). */
  private async credentials(): Promise<{ account: GraphCredentials } | { outcome: PublishOutcome }> {
    const account = await accountOrOutcome(this.accounts, this.accountName);
    if ('kind' in account) return { outcome: account };
    if (!account.externalId) return { outcome: { kind: 'permanent', error: `needs-reconnect: account ${this.accountName} has no ${this.network} id: connect it again` } };
    return { account: { ...account, externalId: account.externalId } };
  }

  /**
   * A step that creates nothing anyone sees (an unpublished photo, a container): whatever its outcome,
   * trying again cannot publish twice. Returns the answer's body, or the post's outcome.
   */
  async preparatory(answer: GraphAnswer, step: string): Promise<{ body: Record<string, unknown> } | { outcome: PublishOutcome }> {
    if (answer.kind === 'ok') return { body: answer.body };
    if (answer.kind !== 'refused') return { outcome: { kind: 'transient', error: `${this.network} ${step}: ${answer.why}` } };
    const verdict = await this.refusal(answer);
    return { outcome: verdict.kind === 'maybe-created' ? { kind: 'transient', error: `${step}: ${verdict.error}` } : verdict.outcome };
  }

  /**
   * The step that publishes: an unknown outcome is settled by `settle` (reading the account back, issue 14
   * #3), never by sending again blindly. Returns the new object's id, or the post's outcome.
   */
  async publishing(answer: GraphAnswer, settle: (why: string) => Promise<PublishOutcome>): Promise<{ id: string } | { outcome: PublishOutcome }> {
    if (answer.kind === 'ok' && typeof answer.body.id === 'string') return { id: answer.body.id };
    if (answer.kind === 'not-sent') return { outcome: { kind: 'transient', error: `${this.network}: ${answer.why}` } };
    let why = answer.kind === 'ok' ? `HTTP ${answer.status} without an id` : answer.kind === 'unknown' ? answer.why : '';
    if (answer.kind === 'refused') {
      const verdict = await this.refusal(answer);
      if (verdict.kind !== 'maybe-created') return { outcome: verdict.outcome };
      why = verdict.error;
    }
    return { outcome: await settle(why.startsWith(this.network) ? why : `${this.network}: ${why}`) };
  }

  private async refusal(answer: Extract<GraphAnswer, { kind: 'refused' }>): Promise<{ kind: 'maybe-created'; error: string } | { kind: 'final'; outcome: PublishOutcome }> {
    const verdict = classifyGraphRefusal(this.network, answer.status, answer.error, answer.headers);
    switch (verdict.kind) {
      case 'reconnect':
        // An expired or revoked token (code 190): no retry can succeed, a person must reconnect the account.
        await this.accounts.flagNeedsReconnect(this.accountName, `${this.network} refused the token (code ${answer.error.code}) on ${new Date().toISOString()}`);
        return { kind: 'final', outcome: { kind: 'permanent', error: `needs-reconnect: account ${this.accountName}: ${verdict.error}` } };
      case 'rate-limited':
        return { kind: 'final', outcome: { kind: 'transient', error: verdict.error, retryAfterMs: verdict.retryAfterMs } };
      case 'maybe-created':
        return verdict;
      case 'failed':
        return { kind: 'final', outcome: { kind: 'permanent', error: verdict.error } };
    }
  }
}
