import { GrantRefused, IssuedTokens, TokenEndpointUnavailable } from './oauth-provider';

/**
 * POST a grant to a network's OAuth 2.0 token endpoint (RFC 6749 §4.1.3, §6) and read the tokens issued.
 * A refused grant (400 invalid_grant…, 401 invalid_client, §5.2) means a person must connect again; no
 * usable answer means try again later. `expires_in` is required: a token with no known end is not stored.
 */
export async function postTokenGrant(network: string, url: string, headers: Record<string, string>, form: URLSearchParams, now: Date, timeoutMs: number): Promise<IssuedTokens> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: form.toString(), redirect: 'error', signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new TokenEndpointUnavailable(`${network} token endpoint: ${(error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message}`);
  }
  const body = await response.json().catch(() => undefined) as Record<string, unknown> | undefined;
  if (response.status === 400 || response.status === 401) {
    throw new GrantRefused(`${network} refused the grant: HTTP ${response.status} ${typeof body?.error === 'string' ? body.error : ''}`.trim());
  }
  if (!response.ok || !body) throw new TokenEndpointUnavailable(`${network} token endpoint: HTTP ${response.status}${body ? '' : ', not JSON'}`);
  if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
    throw new TokenEndpointUnavailable(`${network} token endpoint: the answer has no access_token or expires_in`);
  }
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null,
    expiresAt: new Date(now.getTime() + body.expires_in * 1000).toISOString(),
    // LinkedIn says when its refresh token ends (a year): the account alert warns before that day.
    refreshExpiresAt: typeof body.refresh_token_expires_in === 'number' ? new Date(now.getTime() + body.refresh_token_expires_in * 1000).toISOString() : null,
  };
}
