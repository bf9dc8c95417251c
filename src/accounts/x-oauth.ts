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

/** POST to the token endpoint (authorization_code or refresh_token grant); confidential clients authenticate with HTTP Basic. */
export function xTokenRequest(endpoints: XEndpoints, client: OAuthClient, grant: Record<string, string>, now: Date, timeoutMs: number): Promise<IssuedTokens> {
  const headers: Record<string, string> = {};
  const form = new URLSearchParams(grant);
  if (client.secret) headers.Authorization = `Basic ${Buffer.from(`${client.id}:${client.secret}`, 'utf8').toString('base64')}`;
  else form.set('client_id', client.id);
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
  };
}
