import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, Logger, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LessThan } from 'typeorm';
import type { AuthUser } from '../common/auth-user';
import { InvalidInput } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database } from '../database/database';
import { SecretStore } from '../publishing/secrets';
import { Clock } from '../time/clock';
import { hashToken } from '../users/token';
import { AccountEntity, OAuthRequestEntity } from './account.entity';
import { ACCOUNT_NAME, AccountView, canManageAccounts, channelAccountProblem, identityProblem, reconnectTarget, toAccountView } from './account-access';
import { codeChallengeS256, newCodeVerifier, newState } from './pkce';
import { TokenCipher } from './token-cipher';
import { ConnectedIdentity, GrantRefused, IdentityRefused, IssuedTokens, OAuthClient, OAuthProvider } from './oauth-provider';
import { oauthProviders } from './providers';

/** An authorization must come back within this time; the state is refused after it. */
const AUTHORIZATION_MINUTES = 10;
/** A token this close to its expiry is refreshed before use. */
const REFRESH_AHEAD_MS = 5 * 60_000;
const WAIT_STEP_MS = 100;

/** The account cannot publish until a person reconnects it. */
export class AccountUnusable extends Error {}

/** What a publisher gets: a fresh access token and who it posts as. */
export interface AccountCredentials {
  name: string;
  accessToken: string;
  externalId: string | null;
  handle: string | null;
}

/**
 * Connected accounts: connecting through OAuth 2.0 (authorization code + PKCE), tokens sealed at rest,
 * refreshed before expiry. Every write is conditional on the revision read, so that replicas refreshing
 * at once cannot lose the rotated refresh token. What differs per network is an OAuthProvider
 * (providers.ts); the table, the flow and the rules are shared.
 */
@Injectable()
export class AccountsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Accounts');
  private readonly cipher: TokenCipher;
  private readonly providers: Map<string, OAuthProvider>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly secrets: SecretStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.cipher = new TokenCipher(config.accounts?.encryptionKey, config.accounts?.previousEncryptionKey);
    this.providers = new Map((config.accounts ? oauthProviders(config.accounts) : []).map((p) => [p.network, p]));
  }

  /** After a key rotation: every row still sealed with the previous key is sealed again with the current one. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.cipher.enabled) return;
    const rows = await this.db.manager.find(AccountEntity);
    let resealed = 0;
    for (const row of rows.filter((r) => r.tokenKeyId && this.cipher.isStale(r.tokenKeyId))) {
      const tokens = this.tokensOf(row);
      if (await this.casUpdate(row, this.sealedColumns(row.name, tokens))) resealed++;
    }
    if (resealed) this.logger.log(`re-sealed the tokens of ${resealed} account(s) with the current TOKEN_ENCRYPTION_KEY`);
  }

  async list(user: AuthUser, member?: string): Promise<AccountView[]> {
    const where = user.role === 'secretariat' ? (member ? { member } : {}) : { member: user.member! };
    return (await this.db.manager.find(AccountEntity, { where, order: { member: 'ASC', name: 'ASC' } })).map(toAccountView);
  }

  /** The networks an account can be connected on (the accounts page offers one form each). */
  networks(): string[] {
    return [...this.providers.keys()];
  }

  /** What else the network's connect form asks for (LinkedIn: the organisation; Facebook, Instagram: the Page), if anything. */
  targetField(network: string): 'organization' | 'page' | undefined {
    return this.providers.get(network)?.target?.field;
  }

  /** Step 1: a state and PKCE verifier kept here, bound to the browser session; the user goes on to the network. */
  async startConnect(user: AuthUser, sessionId: string, input: { network: string; member: string; name: string; organization?: string; page?: string }): Promise<string> {
    const provider = this.providers.get(input.network);
    if (!provider) throw new NotFoundException(`accounts on ${input.network} cannot be connected here`);
    if (!canManageAccounts(user, input.member)) throw new ForbiddenException(`only the secretariat or ${input.member}'s own staff connect ${input.member}'s accounts`);
    if (!ACCOUNT_NAME.test(input.name)) throw new InvalidInput([{ field: 'name', message: 'lower-case letters, digits and "-", such as si-x' }]);
    const target = provider.target ? provider.target.parse(input[provider.target.field] ?? '') : null;
    if (target === undefined) throw new InvalidInput([{ field: provider.target!.field, message: provider.target!.hint }]);
    if (!this.cipher.enabled) throw new ConflictException('TOKEN_ENCRYPTION_KEY is not set: no account can be connected until it is');
    const client = this.client(provider);
    const existing = await this.db.manager.findOneBy(AccountEntity, { name: input.name });
    const problem = existing && channelAccountProblem(existing, input.name, input.member, input.network);
    if (problem) throw new InvalidInput([{ field: 'name', message: `${problem}: choose another name` }]);
    const state = newState();
    const verifier = newCodeVerifier();
    const now = this.clock.now();
    const sealed = this.cipher.seal(verifier, `oauth:${hashToken(state)}`);
    await this.db.write(async (m) => {
      await m.delete(OAuthRequestEntity, { expiresAt: LessThan(now.toISOString()) });
      await m.insert(OAuthRequestEntity, {
        stateHash: hashToken(state), sessionHash: hashToken(sessionId), userId: user.id, network: input.network, member: input.member,
        accountName: input.name, verifierKeyId: sealed.keyId, verifierSealed: sealed.value, createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + AUTHORIZATION_MINUTES * 60_000).toISOString(), usedAt: null, target,
      });
    });
    return provider.authorizeUrl(client, this.redirectUri(provider.network), state, codeChallengeS256(verifier));
  }

  /**
   * Step 2, the network's redirect back: the state must be this session's, unexpired and unused (it is used up
   * now, whatever follows), then the code is exchanged with the verifier and the account saved.
   */
  async finishConnect(user: AuthUser, sessionId: string, network: string, answer: { state?: string; code?: string; error?: string }): Promise<AccountView> {
    const request = await this.useState(user, sessionId, answer.state);
    if (request.network !== network) throw new BadRequestException(`state: this authorization was for ${request.network}, not ${network}`);
    if (!canManageAccounts(user, request.member)) throw new ForbiddenException(`only the secretariat or ${request.member}'s own staff connect ${request.member}'s accounts`);
    const provider = this.providers.get(network);
    if (!provider) throw new NotFoundException(`accounts on ${network} cannot be connected here`);
    if (answer.error || !answer.code) throw new BadRequestException(`${network} did not authorize the account: ${answer.error ?? 'no code'}`.slice(0, 200));
    const verifier = this.cipher.open({ keyId: request.verifierKeyId, value: request.verifierSealed }, `oauth:${request.stateHash}`);
    const timeout = this.config.publishing.timeoutMs;
    let tokens: IssuedTokens;
    try {
      tokens = await provider.exchangeCode(this.client(provider), answer.code, this.redirectUri(network), verifier, this.clock.now(), timeout);
    } catch (error) {
      if (error instanceof GrantRefused) throw new BadRequestException(`code: ${error.message}`);
      throw new ConflictException(`${(error as Error).message}: try connecting again`);
    }
    const identity = await provider.identify(tokens, timeout, request.target).catch((error: Error) => {
      if (error instanceof IdentityRefused) throw new BadRequestException(error.message);
      // The network answered, but the account asked for is not among the user's (a Page not managed): say which field.
      if (error instanceof InvalidInput) throw error;
      throw new ConflictException(`${error.message}: try connecting again`);
    });
    return this.saveConnected(user, request, identity);
  }

  /**
   * Reconnect (the accounts page's button for an account the network refused or whose access ends soon):
   * the connect flow for this account's own member, name and Page or organisation, so that its callback
   * renews this very row (saveConnected) and the channels naming it keep working.
   */
  async startReconnect(user: AuthUser, sessionId: string, id: number, revision: number): Promise<string> {
    const account = await this.managedAccount(user, id, revision);
    const target = reconnectTarget(account, this.targetField(account.network));
    return this.startConnect(user, sessionId, { network: account.network, member: account.member, name: account.name, ...target });
  }

  /** The account, if this user may manage it and it is still at the revision their page showed. */
  private async managedAccount(user: AuthUser, id: number, revision?: number): Promise<AccountEntity> {
    const account = await this.db.manager.findOneBy(AccountEntity, { id });
    if (!account) throw new NotFoundException(`no account ${id}`);
    if (!canManageAccounts(user, account.member)) throw new ForbiddenException(`account ${account.name} belongs to another member`);
    if (revision !== undefined && revision !== account.revision) throw new ConflictException(`revision ${revision} is stale: the account is at revision ${account.revision}`);
    return account;
  }

  /**
   * Wipes the tokens here first (a disconnected account must not be able to post, whatever the network
   * answers), then asks the network to revoke them where it can. `revokedAtNetwork`: true when it
   * confirmed, false when it did not answer so (the page says so), null when it has no revocation endpoint.
   */
  async disconnect(user: AuthUser, id: number, revision?: number): Promise<{ account: AccountView; revokedAtNetwork: boolean | null }> {
    const account = await this.managedAccount(user, id, revision);
    // Tokens no key opens any more cannot be revoked, but must not stop the disconnect.
    const tokens = account.accessTokenSealed && this.cipher.enabled ? (() => { try { return this.tokensOf(account); } catch { return null; } })() : null;
    const columns = { status: 'revoked' as const, statusReason: `disconnected by ${user.name}`, tokenKeyId: null, accessTokenSealed: null, refreshTokenSealed: null, expiresAt: null, refreshExpiresAt: null, refreshLeaseUntil: null };
    if (!(await this.casUpdate(account, columns))) throw new ConflictException('the account changed meanwhile: reload and try again');
    const disconnected = { ...account, ...columns, revision: account.revision + 1 };
    const revokedAtNetwork = tokens ? await this.revokeAtNetwork(disconnected, tokens) : null;
    return { account: toAccountView(disconnected), revokedAtNetwork };
  }

  /** Revokes the refresh token (it would mint new access tokens) and then the access token; false if the network confirmed not both. */
  private async revokeAtNetwork(account: AccountEntity, tokens: { accessToken: string; refreshToken: string | null }): Promise<boolean | null> {
    if (!this.providers.get(account.network)?.revoke) return null;
    try {
      await this.revokeTokens(account.network, tokens);
      return true;
    } catch (error) {
      const reason = `${account.statusReason}; ${account.network} did not confirm the revocation (${(error as Error).message})`.slice(0, 200);
      this.logger.warn(`account ${account.name} disconnected here, but not revoked at ${account.network}: ${(error as Error).message}`);
      await this.casUpdate(account, { statusReason: reason });
      return false;
    }
  }

  /** Revokes the refresh token (it would mint new access tokens), then the access token; throws if the network does not confirm. */
  private async revokeTokens(network: string, tokens: { accessToken: string; refreshToken: string | null }): Promise<void> {
    const provider = this.providers.get(network);
    if (!provider?.revoke) return;
    const timeout = this.config.publishing.timeoutMs;
    const client = this.client(provider);
    if (tokens.refreshToken) await provider.revoke(client, tokens.refreshToken, 'refresh_token', timeout);
    await provider.revoke(client, tokens.accessToken, 'access_token', timeout);
  }

  /** Import check: every channel naming an account must name an existing one of its own member and network. */
  async channelProblems(channels: { field: string; member: string; network: string; account: string }[]): Promise<{ field: string; message: string }[]> {
    const problems: { field: string; message: string }[] = [];
    for (const channel of channels) {
      const account = await this.db.manager.findOneBy(AccountEntity, { name: channel.account });
      const problem = channelAccountProblem(account, channel.account, channel.member, channel.network);
      if (problem) problems.push({ field: channel.field, message: problem });
    }
    return problems;
  }

  /**
   * A usable access token, refreshed first when it is about to expire. Only one process refreshes at a
   * time: it takes a short refresh lease by compare-and-swap on the revision; the others wait and read
   * what it stored. X rotates the refresh token on every refresh, so two refreshes at once would leave
   * one replica holding a dead token and could lose the account.
   */
  async credentials(name: string): Promise<AccountCredentials> {
    const deadline = Date.now() + this.leaseMs() * 2;
    for (;;) {
      const account = await this.db.manager.findOneBy(AccountEntity, { name });
      if (!account) throw new AccountUnusable(`no connected account "${name}"`);
      if (account.status !== 'connected' || !account.accessTokenSealed) {
        throw new AccountUnusable(`account ${name} ${account.status === 'revoked' ? 'was disconnected' : 'needs reconnecting'}${account.statusReason ? ` (${account.statusReason})` : ''}`);
      }
      const now = this.clock.now().getTime();
      // No expiry (a Facebook Page token) or not close to it: use as it is.
      if (account.expiresAt === null || Date.parse(account.expiresAt) - now > REFRESH_AHEAD_MS) return this.credentialsOf(account);
      const leaseFree = !account.refreshLeaseUntil || Date.parse(account.refreshLeaseUntil) < now;
      if (leaseFree) {
        const leaseUntil = new Date(now + this.leaseMs()).toISOString();
        if (await this.casUpdate(account, { refreshLeaseUntil: leaseUntil })) {
          return this.refresh({ ...account, refreshLeaseUntil: leaseUntil, revision: account.revision + 1 });
        }
        continue; // someone else changed it first: read again
      }
      if (Date.now() > deadline) throw new Error(`account ${name}: another process is refreshing its token; try again`);
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
    }
  }

  /** The network refused the account's token (X: 401): no more attempts until a person reconnects it. */
  async flagNeedsReconnect(name: string, reason: string): Promise<void> {
    const account = await this.db.manager.findOneBy(AccountEntity, { name });
    if (account && account.status === 'connected') await this.casUpdate(account, { status: 'needs-reconnect', statusReason: reason.slice(0, 200) });
  }

  private async refresh(account: AccountEntity): Promise<AccountCredentials> {
    const { refreshToken } = this.tokensOf(account);
    const provider = this.providers.get(account.network);
    if (!refreshToken || !provider?.refresh) {
      await this.casUpdate(account, { status: 'needs-reconnect', statusReason: `access token expired and ${account.network} gave no refresh token`, refreshLeaseUntil: null });
      throw new AccountUnusable(`account ${account.name} needs reconnecting: its token expired and there is no refresh token`);
    }
    let tokens: IssuedTokens;
    try {
      tokens = await provider.refresh(this.client(provider), refreshToken, this.clock.now(), this.config.publishing.timeoutMs);
    } catch (error) {
      const refused = error instanceof GrantRefused;
      await this.casUpdate(account, refused ? { status: 'needs-reconnect', statusReason: (error as Error).message.slice(0, 200), refreshLeaseUntil: null } : { refreshLeaseUntil: null });
      if (refused) throw new AccountUnusable(`account ${account.name} needs reconnecting: ${(error as Error).message}`);
      throw error;
    }
    // X issues a new refresh token each time; keep the old one only if none came (never lose the account).
    const next = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? refreshToken };
    const refreshExpiresAt = tokens.refreshToken ? tokens.refreshExpiresAt ?? null : account.refreshExpiresAt;
    const columns = { ...this.sealedColumns(account.name, next), expiresAt: tokens.expiresAt, refreshExpiresAt, refreshLeaseUntil: null };
    if (!(await this.casUpdate(account, columns))) {
      // Only a disconnect can have changed a leased row: the new tokens must not bring it back.
      throw new AccountUnusable(`account ${account.name} changed while its token was refreshed`);
    }
    this.logger.log(`refreshed the token of account ${account.name}`);
    return { name: account.name, accessToken: next.accessToken, externalId: account.externalId, handle: account.handle };
  }

  private credentialsOf(account: AccountEntity): AccountCredentials {
    return { name: account.name, accessToken: this.tokensOf(account).accessToken, externalId: account.externalId, handle: account.handle };
  }

  private tokensOf(account: AccountEntity): { accessToken: string; refreshToken: string | null } {
    const keyId = account.tokenKeyId!;
    return {
      accessToken: this.cipher.open({ keyId, value: account.accessTokenSealed! }, `account:${account.name}:access`),
      refreshToken: account.refreshTokenSealed ? this.cipher.open({ keyId, value: account.refreshTokenSealed }, `account:${account.name}:refresh`) : null,
    };
  }

  private sealedColumns(name: string, tokens: { accessToken: string; refreshToken: string | null }): Partial<AccountEntity> {
    const access = this.cipher.seal(tokens.accessToken, `account:${name}:access`);
    return {
      tokenKeyId: access.keyId, accessTokenSealed: access.value,
      refreshTokenSealed: tokens.refreshToken ? this.cipher.seal(tokens.refreshToken, `account:${name}:refresh`).value : null,
    };
  }

  /** `UPDATE … WHERE id = ? AND revision = ?`: false when anyone changed the row since it was read (pitfalls.md §3). */
  private casUpdate(account: AccountEntity, columns: Partial<AccountEntity>): Promise<boolean> {
    return this.db.write(async (m) => {
      const result = await m.createQueryBuilder().update(AccountEntity)
        .set({ ...columns, revision: () => 'revision + 1', updatedAt: this.clock.now().toISOString() })
        .where('id = :id AND revision = :revision', { id: account.id, revision: account.revision }).execute();
      return result.affected === 1;
    });
  }

  /** Uses up the state: any state not issued to this session, expired or used already → 400, nothing else written. */
  private async useState(user: AuthUser, sessionId: string, state: string | undefined): Promise<OAuthRequestEntity> {
    const refused = () => new BadRequestException('state: this authorization is unknown, expired, already used or was started in another session; start connecting again');
    if (!state || state.length > 200) throw refused();
    const now = this.clock.now().toISOString();
    return this.db.write(async (m: EntityManager) => {
      const request = await m.findOneBy(OAuthRequestEntity, { stateHash: hashToken(state) });
      if (!request || request.usedAt || request.expiresAt <= now || request.sessionHash !== hashToken(sessionId) || request.userId !== user.id) throw refused();
      const used = await m.createQueryBuilder().update(OAuthRequestEntity).set({ usedAt: now })
        .where('id = :id AND used_at IS NULL', { id: request.id }).execute();
      if (used.affected !== 1) throw refused();
      return request;
    });
  }

  private async saveConnected(user: AuthUser, request: OAuthRequestEntity, identity: ConnectedIdentity): Promise<AccountView> {
    const now = this.clock.now().toISOString();
    const { tokens } = identity;
    const columns = {
      ...this.sealedColumns(request.accountName, tokens), externalId: identity.externalId, handle: identity.handle, expiresAt: tokens.expiresAt,
      refreshExpiresAt: tokens.refreshExpiresAt ?? null, status: 'connected' as const, statusReason: null, refreshLeaseUntil: null, connectedBy: user.id,
      // Reconnected: whatever was alerted about is over, a new problem is mailed afresh.
      alertSentFor: null, alertSentAt: null,
    };
    const existing = await this.db.manager.findOneBy(AccountEntity, { name: request.accountName });
    if (existing) {
      const problem = channelAccountProblem(existing, request.accountName, request.member, request.network) ?? identityProblem(existing, identity);
      if (problem) {
        // The tokens just issued are not kept: they are given back rather than left valid at the network.
        await this.revokeTokens(request.network, identity.tokens).catch((error) => this.logger.warn(`tokens refused for ${request.accountName} not revoked at ${request.network}: ${(error as Error).message}`));
        throw new InvalidInput([{ field: 'name', message: problem }]);
      }
      if (!(await this.casUpdate(existing, columns))) throw new ConflictException('the account changed meanwhile: connect it again');
      return toAccountView({ ...existing, ...columns, revision: existing.revision + 1, updatedAt: now });
    }
    const saved = await this.db.write(async (m) => {
      if (await m.findOneBy(AccountEntity, { name: request.accountName })) throw new ConflictException(`account ${request.accountName} was connected meanwhile`);
      return m.save(m.create(AccountEntity, { ...columns, name: request.accountName, member: request.member, network: request.network, revision: 1, createdAt: now, updatedAt: now }));
    });
    this.logger.log(`account ${saved.name} of ${saved.member} connected on ${saved.network} as @${identity.handle}`);
    return toAccountView(saved);
  }

  private client(provider: OAuthProvider): OAuthClient {
    const id = this.secrets.get(provider.clientIdSecret);
    if (!id) throw new ConflictException(`${provider.clientIdSecret} is not set: the ${provider.network} app's client id is needed to connect accounts`);
    return { id, secret: this.secrets.get(provider.clientSecretSecret) };
  }

  /** Where the connect form's answer sends the browser (for the page's CSP form-action). */
  authorizeOrigins(): string[] {
    return [...new Set([...this.providers.values()].map((p) => p.authorizeOrigin()))];
  }

  redirectUri(network: string): string {
    return `${this.config.publicUrl}/accounts/callback/${network}`;
  }

  private leaseMs(): number {
    return this.config.publishing.timeoutMs + 2000;
  }
}
