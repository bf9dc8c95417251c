import type { LinkedInEndpoints } from '../config/config';
import { IdentityRefused, IssuedTokens, OAuthClient, OAuthProvider, TokenEndpointUnavailable } from './oauth-provider';
import { postTokenGrant } from './token-request';

/*
 * LinkedIn, written from learn.microsoft.com/linkedin (read 2026-11-30, Marketing API version 202511):
 * "Authorization Code Flow (3-legged OAuth)": authorize at https://www.linkedin.com/oauth/v2/authorization
 * (response_type, client_id, redirect_uri, state, scope space-separated), then POST
 * https://www.linkedin.com/oauth/v2/accessToken form-encoded with grant_type, code, redirect_uri, client_id
 * and client_secret in the body → `{access_token, expires_in (≈ 60 days), refresh_token?,
 * refresh_token_expires_in?, scope}`; "Programmatic Refresh Tokens" (only apps LinkedIn approved get them;
 * the refresh token keeps its one-year life and is not rotated). PKCE is offered to native apps only, so
 * this confidential web client relies on the state and its secret. "Organization Access Control by Role":
 * GET /rest/organizationAcls?q=roleAssignee lists the organisations the member has a role in; GET
 * /rest/organizations/{id} names one. Every /rest call needs `LinkedIn-Version: YYYYMM` and
 * `X-Restli-Protocol-Version: 2.0.0`.
 */

/** Post and read as the organisation, and list the organisations the member administers (organizationAcls). */
export const LINKEDIN_SCOPES = ['w_organization_social', 'r_organization_social', 'rw_organization_admin'];

/** Roles that may post as the organisation (Community Management API). */
const POSTING_ROLES = new Set(['ADMINISTRATOR', 'CONTENT_ADMINISTRATOR']);

const ORGANIZATION = /^(?:urn:li:organization:)?(\d{1,20})$/;

/** `12345` or `urn:li:organization:12345` → the URN; blank → null (the only organisation the member administers); else undefined. */
export function parseOrganization(raw: string): string | null | undefined {
  const value = raw.trim();
  if (!value) return null;
  const match = ORGANIZATION.exec(value);
  return match ? `urn:li:organization:${match[1]}` : undefined;
}

/** The headers of every call to LinkedIn's versioned REST API. */
export function linkedinHeaders(endpoints: Pick<LinkedInEndpoints, 'version'>, accessToken: string): Record<string, string> {
  return { Authorization: `Bearer ${accessToken}`, 'LinkedIn-Version': endpoints.version, 'X-Restli-Protocol-Version': '2.0.0' };
}

export function linkedinAuthorizeUrl(endpoints: LinkedInEndpoints, client: OAuthClient, redirectUri: string, state: string): string {
  const url = new URL(endpoints.authorizeUrl);
  url.search = new URLSearchParams({ response_type: 'code', client_id: client.id, redirect_uri: redirectUri, state, scope: LINKEDIN_SCOPES.join(' ') }).toString();
  return url.toString();
}

/** LinkedIn takes the client id and secret in the form, not in an Authorization header. */
export function linkedinTokenRequest(endpoints: LinkedInEndpoints, client: OAuthClient, grant: Record<string, string>, now: Date, timeoutMs: number): Promise<IssuedTokens> {
  const form = new URLSearchParams({ ...grant, client_id: client.id, client_secret: client.secret ?? '' });
  return postTokenGrant('LinkedIn', endpoints.tokenUrl, {}, form, now, timeoutMs);
}

/** GET a /rest resource as JSON; any failure is "try again" (nothing was written). */
async function restGet<T>(endpoints: LinkedInEndpoints, accessToken: string, path: string, timeoutMs: number): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${endpoints.apiUrl}${path}`, { headers: linkedinHeaders(endpoints, accessToken), redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new TokenEndpointUnavailable(`LinkedIn ${path.split('?')[0]}: ${(error as Error).message}`);
  }
  const body = await response.json().catch(() => undefined) as T | undefined;
  if (!response.ok || !body) throw new TokenEndpointUnavailable(`LinkedIn ${path.split('?')[0]}: HTTP ${response.status}${body ? '' : ', not JSON'}`);
  return body;
}

/** The organisation the account posts as: the one named (the member must have a posting role in it), or the only one. */
export async function linkedinOrganization(endpoints: LinkedInEndpoints, accessToken: string, wanted: string | null, timeoutMs: number): Promise<{ urn: string; handle: string }> {
  const acls = await restGet<{ elements?: { organization?: unknown; role?: unknown; state?: unknown }[] }>(
    endpoints, accessToken, `/rest/organizationAcls?${new URLSearchParams({ q: 'roleAssignee', state: 'APPROVED' })}`, timeoutMs);
  const mine = [...new Set((acls.elements ?? [])
    .filter((acl) => typeof acl.organization === 'string' && POSTING_ROLES.has(String(acl.role)) && acl.state === 'APPROVED')
    .map((acl) => acl.organization as string))];
  const urn = wanted ?? (mine.length === 1 ? mine[0] : undefined);
  if (!urn) {
    throw new IdentityRefused(mine.length
      ? `organization: this LinkedIn user administers several organisations (${mine.join(', ')}): name one`
      : 'organization: this LinkedIn user administers no organisation page');
  }
  if (!mine.includes(urn)) throw new IdentityRefused(`organization: this LinkedIn user is not an administrator of ${urn}`);
  const id = urn.slice(urn.lastIndexOf(':') + 1);
  const organization = await restGet<{ vanityName?: unknown; localizedName?: unknown }>(endpoints, accessToken, `/rest/organizations/${id}`, timeoutMs);
  return { urn, handle: typeof organization.vanityName === 'string' ? organization.vanityName : id };
}

export function linkedinOAuthProvider(endpoints: LinkedInEndpoints): OAuthProvider {
  return {
    network: 'linkedin',
    clientIdSecret: endpoints.clientIdSecret,
    clientSecretSecret: endpoints.clientSecretSecret,
    authorizeOrigin: () => new URL(endpoints.authorizeUrl).origin,
    authorizeUrl: (client, redirectUri, state) => linkedinAuthorizeUrl(endpoints, client, redirectUri, state),
    exchangeCode: (client, code, redirectUri, _verifier, now, timeoutMs) =>
      linkedinTokenRequest(endpoints, client, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, now, timeoutMs),
    refresh: (client, refreshToken, now, timeoutMs) => linkedinTokenRequest(endpoints, client, { grant_type: 'refresh_token', refresh_token: refreshToken }, now, timeoutMs),
    identify: async (tokens, timeoutMs, target) => {
      const organization = await linkedinOrganization(endpoints, tokens.accessToken, target ?? null, timeoutMs);
      return { externalId: organization.urn, handle: organization.handle, tokens };
    },
    target: { field: 'organization', hint: 'a LinkedIn organisation id such as 12345 or urn:li:organization:12345', parse: parseOrganization },
  };
}
