import type { XEndpoints } from '../config/config';
import { IssuedTokens, OAuthClient, OAuthProvider, TokenEndpointUnavailable } from './oauth-provider';
import { postTokenGrant } from './token-request';

/*
 * X API v2, written from docs.x.com as read on 2026-11-30: "OAuth 2.0 Authorization Code Flow with
 * PKCE" (fundamentals/authentication/oauth-2-0/user-access-token, authorization-code): authorize at
 * https://x.com/i/oauth2/authorize, token at POST https://api.x.com/2/oauth2/token (form-encoded;
 * confidential clients authenticate with HTTP Basic client_id:client_secret), access tokens live two
 * hours, `offline.access` yields a refresh token, and every refresh returns a new refresh token (the
 * old one stops working); GET /2/users/me names the account.
 */

/** Read and write posts, read the user (for its id and handle), a refresh token (offline.access), upload images (media.write). */
export const X_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'media.write'];

export function xAuthorizeUrl(endpoints: XEndpoints, client: OAuthClient, redirectUri: string, state: string, codeChallenge: string): string {
  const url = new URL(endpoints.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: client.id, redirect_uri: redirectUri, scope: X_SCOPES.join(' '),
    state, code_challenge: codeChallenge, code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

/** Confidential clients authenticate with HTTP Basic, public ones send client_id in the form (the token and revoke endpoints alike). */
function clientAuthenticated(client: OAuthClient, fields: Record<string, string>): { headers: Record<string, string>; form: URLSearchParams } {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const form = new URLSearchParams(fields);
  if (client.secret) headers.Authorization = `Basic ${Buffer.from(`${client.id}:${client.secret}`, 'utf8').toString('base64')}`;
  else form.set('client_id', client.id);
  return { headers, form };
}

/** POST to the token endpoint (authorization_code or refresh_token grant) and read the tokens issued. */
export function xTokenRequest(endpoints: XEndpoints, client: OAuthClient, grant: Record<string, string>, now: Date, timeoutMs: number): Promise<IssuedTokens> {
  const { headers, form } = clientAuthenticated(client, grant);
  return postTokenGrant('X', endpoints.tokenUrl, headers, form, now, timeoutMs);
}

/** GET /2/users/me: the account's id (to read its posts) and username (for post URLs). */
export async function xMe(endpoints: XEndpoints, accessToken: string, timeoutMs: number): Promise<{ id: string; username: string }> {
  let response: Response;
  try {
    response = await fetch(`${endpoints.apiUrl}/2/users/me`, { headers: { Authorization: `Bearer ${accessToken}` }, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new TokenEndpointUnavailable(`X /2/users/me: ${(error as Error).message}`);
  }
  const body = await response.json().catch(() => undefined) as { data?: { id?: unknown; username?: unknown } } | undefined;
  if (!response.ok || typeof body?.data?.id !== 'string' || typeof body.data.username !== 'string') {
    throw new TokenEndpointUnavailable(`X /2/users/me: HTTP ${response.status}, no user in the answer`);
  }
  return { id: body.data.id, username: body.data.username };
}

/**
 * POST /2/oauth2/revoke (docs.x.com, "OAuth 2.0 Authorization Code Flow with PKCE", read 2026-11-30):
 * form `token` and `token_type_hint`, the client authenticated as at the token endpoint; X answers 200
 * `{"revoked": true}`. Anything else (no answer, 5xx, not JSON, `revoked` not true) is no confirmation.
 */
export async function xRevoke(endpoints: XEndpoints, client: OAuthClient, token: string, tokenTypeHint: 'access_token' | 'refresh_token', timeoutMs: number): Promise<void> {
  const { headers, form } = clientAuthenticated(client, { token, token_type_hint: tokenTypeHint });
  let response: Response;
  try {
    response = await fetch(`${endpoints.apiUrl}/2/oauth2/revoke`, { method: 'POST', headers, body: form.toString(), redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new TokenEndpointUnavailable(`X revoke endpoint: ${(error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message}`);
  }
  const body = await response.json().catch(() => undefined) as { revoked?: unknown } | undefined;
  if (!response.ok || body?.revoked !== true) throw new TokenEndpointUnavailable(`X revoke endpoint: HTTP ${response.status}${body ? '' : ', not JSON'}`);
}

export function xOAuthProvider(endpoints: XEndpoints): OAuthProvider {
  return {
    network: 'x',
    clientIdSecret: endpoints.clientIdSecret,
    clientSecretSecret: endpoints.clientSecretSecret,
    authorizeOrigin: () => new URL(endpoints.authorizeUrl).origin,
    authorizeUrl: (client, redirectUri, state, challenge) => xAuthorizeUrl(endpoints, client, redirectUri, state, challenge),
    exchangeCode: (client, code, redirectUri, codeVerifier, now, timeoutMs) =>
      xTokenRequest(endpoints, client, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier }, now, timeoutMs),
    refresh: (client, refreshToken, now, timeoutMs) => xTokenRequest(endpoints, client, { grant_type: 'refresh_token', refresh_token: refreshToken }, now, timeoutMs),
    identify: async (tokens, timeoutMs) => {
      const me = await xMe(endpoints, tokens.accessToken, timeoutMs);
      return { externalId: me.id, handle: me.username, tokens };
    },
    revoke: (client, token, tokenTypeHint, timeoutMs) => xRevoke(endpoints, client, token, tokenTypeHint, timeoutMs),
  };
}
