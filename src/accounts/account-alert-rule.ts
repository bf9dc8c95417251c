import type { AccountStatus } from './account.entity';

/** ALERT_DAYS' default: a week gives staff time to reconnect before the first post would fail. */
export const DEFAULT_ALERT_DAYS = 7;

/**
 * The posts an alert is about: those that still go out if nobody intervenes, approved or awaiting
 * approval. A rejected post goes nowhere until it is edited and submitted again.
 */
export const POST_STATUSES_AT_RISK = ['approved', 'in_review', 'draft'] as const;

/** What the rule needs to know of an account (never its tokens, only whether it has a refresh token). */
export interface AccountAlertFacts {
  status: AccountStatus;
  /** When the access token expires (ISO), null: never. */
  expiresAt: string | null;
  /** When the refresh token expires (ISO), null: unknown or never. */
  refreshExpiresAt: string | null;
  hasRefreshToken: boolean;
}

/**
 * Why an account's posts would fail, and from when. `key` names the condition: the same key is
 * mailed once; a new key (reconnected with a new expiry, or revoked after expiring) is mailed again.
 */
export type AlertCondition =
  /** The network refused the token (revoked there, or refresh refused): every post from now fails. */
  | { kind: 'reconnect'; key: string; failsFrom: string }
  /** The last usable token ends at `failsFrom`, and nothing can renew it without a person. */
  | { kind: 'expiring'; key: string; failsFrom: string };

/**
 * Whether an account needs an alert now. A disconnected account (`revoked`: a person chose to) is not
 * alerted about; a token that a refresh token renews is not "expiring" unless the refresh token's own
 * end is known and near (LinkedIn's 365 days).
 */
export function alertCondition(account: AccountAlertFacts, now: Date, alertDays: number): AlertCondition | null {
  if (account.status === 'needs-reconnect') return { kind: 'reconnect', key: 'needs-reconnect', failsFrom: now.toISOString() };
  if (account.status !== 'connected') return null;
  const end = account.hasRefreshToken ? account.refreshExpiresAt : account.expiresAt;
  if (end === null || Number.isNaN(Date.parse(end))) return null;
  const endsAt = new Date(end);
  if (endsAt.getTime() > now.getTime() + alertDays * 86_400_000) return null;
  return { kind: 'expiring', key: `expires:${endsAt.toISOString()}`, failsFrom: endsAt.toISOString() };
}

/** The posts that would fail: how many, and the first one's time (ISO). */
export interface PostsAtRisk {
  count: number;
  first: string | null;
}

export type AlertStep = 'mail' | 'forget' | 'nothing';

/**
 * What the alert job does for one account: `mail` when a condition puts posts at risk and was not
 * mailed yet; `forget` the condition last mailed once it no longer holds, so that it is mailed again
 * if it comes back (revoked, reconnected, revoked again); otherwise nothing. An account no approved
 * or pending post uses is never mailed about.
 */
export function alertStep(condition: AlertCondition | null, atRisk: PostsAtRisk, alertSentFor: string | null): AlertStep {
  if (!condition) return alertSentFor === null ? 'nothing' : 'forget';
  if (atRisk.count === 0 || alertSentFor === condition.key) return 'nothing';
  return 'mail';
}

/** A channel of a campaign file that publishes from a connected account (`publisher: {type, account}`), whatever the network. */
export interface AccountChannel {
  member: string;
  network: string;
  account: string;
}

/** The channels of a campaign (its imported source, JSON) that name a connected account. */
export function channelsNamingAccounts(source: string): AccountChannel[] {
  const campaign = JSON.parse(source) as { members?: { code?: unknown; channels?: { network?: unknown; publisher?: { account?: unknown } }[] }[] };
  const found: AccountChannel[] = [];
  for (const member of campaign.members ?? []) {
    for (const channel of member.channels ?? []) {
      const account = channel.publisher?.account;
      if (typeof account === 'string' && typeof member.code === 'string' && typeof channel.network === 'string') {
        found.push({ member: member.code, network: channel.network, account });
      }
    }
  }
  return found;
}
