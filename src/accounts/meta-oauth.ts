import { InvalidInput } from '../common/errors';
import type { MetaEndpoints } from '../config/config';
import { graphCall } from '../publishing/publishers/graph-api';
import { ConnectedIdentity, GrantRefused, IssuedTokens, OAuthClient, OAuthProvider, TokenEndpointUnavailable } from './oauth-provider';

/*
 * Facebook Login, "Manually Build a Login Flow" (developers.facebook.com, updated 2026-03-10, read
 * 2026-11-30) with Graph API v26.0: the dialog `GET /v26.0/dialog/oauth?client_id&redirect_uri&state&
 * response_type=code&scope` sends the browser back with `code` and `state`; `GET /v26.0/oauth/access_token
 * ?client_id&redirect_uri&client_secret&code` gives a short-lived user token, and `grant_type=
 * fb_exchange_token` a long-lived one ("Long-Lived Access Tokens"); `GET /me/accounts` lists the Pages the
 * user manages with each Page's token, which does not expire when it comes from a long-lived user token.
 * Instagram API with Facebook Login: the Instagram professional account is the Page's
 * `instagram_business_account`, published to with the Page's token. Facebook's PKCE support belongs to
 * its OIDC flow ("still in testing"), so the documented confidential flow with the app secret is used.
 */

const PAGE_SCOPES = ['pages_show_list', 'pages_read_engagement', 'pages_manage_posts'];
/**
 * read_insights and instagram_manage_insights give the posts' views (issue 15, responses/facebook-figures.ts,
 * instagram-figures.ts); a user may decline them, and the views are then null, the likes still read.
 */
export const FACEBOOK_SCOPES = [...PAGE_SCOPES, 'read_insights'];
export const INSTAGRAM_SCOPES = [...PAGE_SCOPES, 'instagram_basic', 'instagram_content_publish', 'instagram_manage_insights'];
/** /me/accounts is paged; a user managing more Pages than this names the Page by id. */
const MAX_PAGE_READS = 10;

export interface ManagedPage {
  id: string;
  name: string;
  accessToken: string;
  instagramId: string | null;
}

/** The Page the connect form named: by id, else by name (ignoring case and surrounding spaces); one match only. */
export function pickPage(pages: ManagedPage[], choice: string): ManagedPage | string {
  const wanted = choice.trim();
  const byId = pages.find((page) => page.id === wanted);
  if (byId) return byId;
  const byName = pages.filter((page) => page.name.trim().toLowerCase() === wanted.toLowerCase());
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) return `${byName.length} Pages are named "${wanted}": give the Page's id (${byName.map((p) => p.id).join(', ')})`;
  const names = pages.map((p) => `${p.name} (${p.id})`).slice(0, 10).join(', ');
  return `no Page "${wanted}" among the Pages this Facebook user manages${names ? `: ${names}` : ' (none)'}`;
}

/** Instagram: the Page whose linked Instagram account has this id (what a reconnect names), else as pickPage. */
export function pickInstagramPage(pages: ManagedPage[], choice: string): ManagedPage | string {
  return pages.find((page) => page.instagramId !== null && page.instagramId === choice.trim()) ?? pickPage(pages, choice);
}

async function tokenRequest(endpoints: MetaEndpoints, params: Record<string, string>, now: Date, timeoutMs: number): Promise<IssuedTokens> {
  const answer = await graphCall(`${endpoints.graphUrl}/oauth/access_token`, { method: 'GET', params }, timeoutMs);
  if (answer.kind === 'refused' && answer.status >= 400 && answer.status < 500 && answer.error.code !== undefined) {
    // A used, expired or foreign code: OAuthException code 100 (subcodes 36007, 36009…), HTTP 400.
    throw new GrantRefused(`Facebook refused the grant: code ${answer.error.code}${answer.error.subcode ? `/${answer.error.subcode}` : ''} ${answer.error.message}`.trim().slice(0, 200));
  }
  if (answer.kind !== 'ok') throw new TokenEndpointUnavailable(`Facebook token endpoint: ${answer.kind === 'refused' ? `HTTP ${answer.status} ${answer.error.message}` : answer.why}`);
  const { access_token: accessToken, expires_in: expiresIn } = answer.body;
  if (typeof accessToken !== 'string') throw new TokenEndpointUnavailable('Facebook token endpoint: the answer has no access_token');
  return { accessToken, refreshToken: null, expiresAt: typeof expiresIn === 'number' ? new Date(now.getTime() + expiresIn * 1000).toISOString() : null };
}

/** Code → short-lived user token → long-lived user token (Page tokens read with it never expire). */
async function exchangeCode(endpoints: MetaEndpoints, client: OAuthClient, code: string, redirectUri: string, now: Date, timeoutMs: number): Promise<IssuedTokens> {
  if (!client.secret) throw new TokenEndpointUnavailable(`${endpoints.clientSecretSecret} is not set: Facebook needs the app secret`);
  const app = { client_id: client.id, client_secret: client.secret };
  const short = await tokenRequest(endpoints, { ...app, redirect_uri: redirectUri, code }, now, timeoutMs);
  return tokenRequest(endpoints, { grant_type: 'fb_exchange_token', ...app, fb_exchange_token: short.accessToken }, now, timeoutMs);
}

export async function managedPages(endpoints: MetaEndpoints, userToken: string, timeoutMs: number): Promise<ManagedPage[]> {
  const pages: ManagedPage[] = [];
  let after: string | undefined;
  for (let read = 0; read < MAX_PAGE_READS; read++) {
    const params: Record<string, string> = { fields: 'id,name,access_token,instagram_business_account', limit: '100', access_token: userToken, ...(after ? { after } : {}) };
    const answer = await graphCall(`${endpoints.graphUrl}/me/accounts`, { method: 'GET', params }, timeoutMs);
    if (answer.kind !== 'ok') throw new TokenEndpointUnavailable(`Facebook /me/accounts: ${answer.kind === 'refused' ? `HTTP ${answer.status} ${answer.error.message}` : answer.why}`);
    const body = answer.body as { data?: { id?: unknown; name?: unknown; access_token?: unknown; instagram_business_account?: { id?: unknown } }[]; paging?: { next?: unknown; cursors?: { after?: unknown } } };
    for (const page of body.data ?? []) {
      if (typeof page.id !== 'string' || typeof page.access_token !== 'string') continue;
      const instagramId = page.instagram_business_account?.id;
      pages.push({ id: page.id, name: typeof page.name === 'string' ? page.name : page.id, accessToken: page.access_token, instagramId: typeof instagramId === 'string' ? instagramId : null });
    }
    after = typeof body.paging?.next === 'string' && typeof body.paging.cursors?.after === 'string' ? body.paging.cursors.after : undefined;
    if (!after) break;
  }
  return pages;
}

async function chosenPage(endpoints: MetaEndpoints, tokens: IssuedTokens, choice: string | null, timeoutMs: number, pick = pickPage): Promise<ManagedPage> {
  const page = pick(await managedPages(endpoints, tokens.accessToken, timeoutMs), choice ?? '');
  if (typeof page === 'string') throw new InvalidInput([{ field: 'page', message: page }]);
  return page;
}

/** A Page token from a long-lived user token has no expiry and no refresh: a person reconnects when it is revoked. */
const pageTokens = (page: ManagedPage): IssuedTokens => ({ accessToken: page.accessToken, refreshToken: null, expiresAt: null });

function metaProvider(endpoints: MetaEndpoints, network: 'facebook' | 'instagram', scopes: string[], identify: OAuthProvider['identify']): OAuthProvider {
  return {
    network,
    target: { field: 'page', hint: 'the Page to connect: its id or its name as Facebook shows it', parse: (raw: string) => raw.trim() || undefined },
    clientIdSecret: endpoints.clientIdSecret,
    clientSecretSecret: endpoints.clientSecretSecret,
    authorizeOrigin: () => new URL(endpoints.authorizeUrl).origin,
    authorizeUrl: (client, redirectUri, state) => {
      const url = new URL(endpoints.authorizeUrl);
      url.search = new URLSearchParams({ client_id: client.id, redirect_uri: redirectUri, state, response_type: 'code', scope: scopes.join(',') }).toString();
      return url.toString();
    },
    exchangeCode: (client, code, redirectUri, _verifier, now, timeoutMs) => exchangeCode(endpoints, client, code, redirectUri, now, timeoutMs),
    refresh: null,
    identify,
  };
}

export function facebookOAuthProvider(endpoints: MetaEndpoints): OAuthProvider {
  return metaProvider(endpoints, 'facebook', FACEBOOK_SCOPES, async (tokens, timeoutMs, choice): Promise<ConnectedIdentity> => {
    const page = await chosenPage(endpoints, tokens, choice ?? null, timeoutMs);
    return { externalId: page.id, handle: page.name, tokens: pageTokens(page) };
  });
}

export function instagramOAuthProvider(endpoints: MetaEndpoints): OAuthProvider {
  return metaProvider(endpoints, 'instagram', INSTAGRAM_SCOPES, async (tokens, timeoutMs, choice): Promise<ConnectedIdentity> => {
    const page = await chosenPage(endpoints, tokens, choice ?? null, timeoutMs, pickInstagramPage);
    if (!page.instagramId) throw new InvalidInput([{ field: 'page', message: `the Page "${page.name}" has no Instagram professional account linked to it` }]);
    const answer = await graphCall(`${endpoints.graphUrl}/${encodeURIComponent(page.instagramId)}`, { method: 'GET', params: { fields: 'username', access_token: page.accessToken } }, timeoutMs);
    const username = answer.kind === 'ok' && typeof answer.body.username === 'string' ? answer.body.username : null;
    if (!username) throw new TokenEndpointUnavailable(`Instagram account ${page.instagramId}: no username in the answer`);
    return { externalId: page.instagramId, handle: username, tokens: pageTokens(page) };
  });
}
