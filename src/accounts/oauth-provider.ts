export interface OAuthClient {
  id: string;
  /** Confidential clients only; public clients send client_id in the body instead. */
  secret?: string;
}

export interface IssuedTokens {
  accessToken: string;
  /** Null when the network issues none (the account is reconnected by a person when the token ends). */
  refreshToken: string | null;
  /** ISO instant the access token expires; null for tokens that do not expire (a Facebook Page token). */
  expiresAt: string | null;
  /**
   * ISO instant the refresh token itself expires, where the network says so (LinkedIn's
   * refresh_token_expires_in); absent or null when unknown. After it a person must reconnect.
   */
  refreshExpiresAt?: string | null;
}

/** Who the connected account posts as, and the tokens to keep (a network may swap the user's token for the page's). */
export interface ConnectedIdentity {
  externalId: string;
  handle: string;
  tokens: IssuedTokens;
}

/** The network refused the grant (a revoked, expired or replayed code or refresh token): a person must reconnect. */
export class GrantRefused extends Error {}
/** The network answered, but the grant does not cover what the user named (a LinkedIn organisation they do not administer): a person must choose again. */
export class IdentityRefused extends Error {}
/** No usable answer (network error, timeout, 5xx, not JSON): nothing is known to have changed; try again later. */
export class TokenEndpointUnavailable extends Error {}

/**
 * One network's side of connecting an account (OAuth 2.0 authorization code, RFC 6749 §4.1, with PKCE
 * where the network takes it). AccountsService owns everything shared: state, verifier, sealing,
 * refresh leases, who may connect; a provider only speaks its network's endpoints.
 */
export interface OAuthProvider {
  readonly network: string;
  /** Names of the publisher secrets holding the app's client id and secret. */
  readonly clientIdSecret: string;
  readonly clientSecretSecret: string;
  /** The consent page's origin (the accounts page's CSP form-action must allow it). */
  authorizeOrigin(): string;
  authorizeUrl(client: OAuthClient, redirectUri: string, state: string, codeChallenge: string): string;
  exchangeCode(client: OAuthClient, code: string, redirectUri: string, codeVerifier: string, now: Date, timeoutMs: number): Promise<IssuedTokens>;
  /** Null when the network has no refresh grant: the account then needs reconnecting when its token ends. */
  refresh: ((client: OAuthClient, refreshToken: string, now: Date, timeoutMs: number) => Promise<IssuedTokens>) | null;
  /** Called once after the code exchange: whom the tokens act for (`target`: what the connect form named, see `target`). */
  identify(tokens: IssuedTokens, timeoutMs: number, target?: string | null): Promise<ConnectedIdentity>;
  /**
   * Networks where one grant covers several pages (LinkedIn: every organisation the user administers; Facebook: every Page the user manages) ask
   * the connect form which one the account posts as. `parse` returns the stored form, or undefined when invalid.
   */
  readonly target?: { field: 'organization' | 'page'; hint: string; parse(raw: string): string | null | undefined };
  /**
   * Only where the network has a revocation endpoint (RFC 7009): asks it to forget a token on
   * disconnect. Throws TokenEndpointUnavailable when the network gave no confirming answer.
   */
  revoke?(client: OAuthClient, token: string, tokenTypeHint: 'access_token' | 'refresh_token', timeoutMs: number): Promise<void>;
}
