import type { AuthUser } from '../common/auth-user';
import type { AccountEntity, AccountStatus } from './account.entity';

/** `si-x`, `natc-see-mastodon`: what a campaign's channel names. */
export const ACCOUNT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Who may connect or disconnect a member's accounts: the secretariat, or that member's coordinator or comms staff. */
export function canManageAccounts(user: AuthUser, member: string): boolean {
  return user.role === 'secretariat' || user.member === member;
}

/** An account as the API and the web page show it: never a token, sealed or not. */
export interface AccountView {
  id: number;
  name: string;
  member: string;
  network: string;
  externalId: string | null;
  handle: string | null;
  status: AccountStatus;
  statusReason: string | null;
  expiresAt: string | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export function toAccountView(account: AccountEntity): AccountView {
  return {
    id: account.id, name: account.name, member: account.member, network: account.network, externalId: account.externalId,
    handle: account.handle, status: account.status, statusReason: account.statusReason, expiresAt: account.expiresAt,
    revision: account.revision, createdAt: account.createdAt, updatedAt: account.updatedAt,
  };
}

/**
 * What a reconnect names besides the account, as its connect form did: the Page (Facebook: the Page's
 * id; Instagram: its own id, which picks the Page it is linked to) or the LinkedIn organisation URN.
 * The account's stored network id is that target, so the callback renews the same Page or organisation.
 */
export function reconnectTarget(account: Pick<AccountView, 'network' | 'externalId'>, field: 'page' | 'organization' | undefined): { page?: string; organization?: string } {
  return field ? { [field]: account.externalId ?? '' } : {};
}

/**
 * Why a channel may not publish through this account, if it may not: it must exist, be of the channel's
 * member (a campaign may not post as another member) and of the channel's network.
 */
export function channelAccountProblem(account: Pick<AccountEntity, 'member' | 'network'> | null, name: string, member: string, network: string): string | undefined {
  if (!account) return `no connected account "${name}": connect it first (web: Accounts)`;
  if (account.member !== member) return `account "${name}" belongs to another member (${account.member}), not ${member}`;
  if (account.network !== network) return `account "${name}" is on ${account.network}, not ${network}`;
  return undefined;
}

/**
 * Why connecting under an account's name may not take this network identity, if it may not: an
 * account in use (not disconnected) keeps the identity it was connected as, so that a reconnect signed
 * in as someone else cannot quietly move a member's channels to another account on the network.
 * Disconnecting first frees the name for another identity.
 */
export function identityProblem(account: Pick<AccountEntity, 'name' | 'status' | 'externalId' | 'handle'>, identity: { externalId: string; handle: string | null }): string | undefined {
  if (account.status === 'revoked' || !account.externalId || account.externalId === identity.externalId) return undefined;
  const as = (who: { externalId: string | null; handle: string | null }) => (who.handle ? `@${who.handle}` : `id ${who.externalId}`);
  return `account "${account.name}" is connected as ${as(account)}, but the network signed you in as ${as(identity)}: sign in as ${as(account)} to reconnect it, or disconnect it first to connect another account under this name`;
}
