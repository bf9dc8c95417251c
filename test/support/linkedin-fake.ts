import { randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { startRecordingServer } from './recording-server';

/**
 * A loopback stand-in for LinkedIn, written from learn.microsoft.com/linkedin (read 2026-11-30, API
 * version 202511): 3-legged OAuth (GET /oauth/v2/authorization redirects back with `code` and `state`;
 * POST /oauth/v2/accessToken, client_id and client_secret in the form, authorization_code single use and
 * bound to its redirect_uri, refresh_token returning a new access token and the same refresh token),
 * GET /rest/organizationAcls?q=roleAssignee, GET /rest/organizations/{id}, POST /rest/images?action=initializeUpload
 * then PUT to its uploadUrl, POST /rest/posts (201, the post's URN in `x-restli-id`, no body; 422 for a
 * duplicate), GET /rest/posts?author=…&q=author (newest first). Every /rest call must carry
 * `LinkedIn-Version` and `X-Restli-Protocol-Version: 2.0.0`. Every request is recorded as it came.
 */
export interface LinkedInPost { id: string; author: string; commentary: string; createdAt: number; content?: unknown }

/** How POST /rest/posts answers: normally, or as the failures the publisher must handle. */
export type PostMode =
  | 'ok' | 'unauthorized' | 'server-error'
  | { rateLimited: true }
  /** The post is created, then the answer never comes (the client times out). */
  | 'create-then-hang'
  /** The post is created, then a gateway answers 502 with an HTML page. */
  | 'create-then-html-502';

export const LINKEDIN_ORG = { id: 2414183, urn: 'urn:li:organization:2414183', vanityName: 'natc-slovenija', localizedName: 'NATC Slovenija' };
/** An organisation the user only analyses: they may not post as it. */
export const LINKEDIN_OTHER_ORG = { id: 5590506, urn: 'urn:li:organization:5590506', vanityName: 'natc-hrvatska', localizedName: 'NATC Hrvatska' };
const PERSON = 'urn:li:person:8675309';

export async function startLinkedInFake(client: { id: string; secret: string }) {
  const codes = new Map<string, { redirectUri: string; used: boolean }>();
  const accessTokens = new Set<string>();
  const refreshTokens = new Set<string>();
  const posts: LinkedInPost[] = [];
  const images = new Map<string, { owner: string; bytes: Buffer | null; mime: string | null }>();
  const acls = [
    { organization: LINKEDIN_ORG.urn, role: 'ADMINISTRATOR', state: 'APPROVED' },
    { organization: LINKEDIN_OTHER_ORG.urn, role: 'ANALYST', state: 'APPROVED' },
  ];
  /** How the fake misbehaves, set by the tests (`set`). */
  /** `refreshTokens: false`: an app LinkedIn has not approved for programmatic refresh tokens (the usual case). */
  const modes = { post: 'ok' as PostMode, read: 'ok' as 'ok' | 'refused' | 'not-json', tokenNotJson: false, uploadFails: false, refreshTokens: true };
  let nextId = 7_100_000_000_000_000_000n;

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const restError = (res: ServerResponse, status: number, code: string, message: string) => json(res, status, { status, code, message });
  const bearer = (req: IncomingMessage) => accessTokens.has(String(req.headers.authorization ?? '').replace(/^Bearer /, ''));
  const issue = (refresh?: string) => {
    const access = `li-at-${randomBytes(12).toString('hex')}`;
    accessTokens.add(access);
    const scope = 'r_organization_social,rw_organization_admin,w_organization_social';
    if (!modes.refreshTokens) return { access_token: access, expires_in: 5_184_000, scope };
    const refreshToken = refresh ?? `li-rt-${randomBytes(12).toString('hex')}`;
    refreshTokens.add(refreshToken);
    return { access_token: access, expires_in: 5_184_000, refresh_token: refreshToken, refresh_token_expires_in: 31_536_000, scope };
  };

  const routes = (req: IncomingMessage, res: ServerResponse, url: URL, raw: string, bytes: Buffer) => {
    if (req.method === 'GET' && url.pathname === '/oauth/v2/authorization') {
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { redirectUri: url.searchParams.get('redirect_uri') ?? '', used: false });
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { Location: back.toString() });
      return res.end();
    }
    if (req.method === 'POST' && url.pathname === '/oauth/v2/accessToken') {
      if (modes.tokenNotJson) {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return res.end('<html><body>We are experiencing problems</body></html>');
      }
      const form = new URLSearchParams(raw);
      if (form.get('client_id') !== client.id || form.get('client_secret') !== client.secret) return json(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
      if (form.get('grant_type') === 'authorization_code') {
        const grant = codes.get(form.get('code') ?? '');
        if (!grant || grant.used || grant.redirectUri !== form.get('redirect_uri')) {
          return json(res, 400, { error: 'invalid_request', error_description: 'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired.' });
        }
        grant.used = true;
        return json(res, 200, issue());
      }
      if (form.get('grant_type') === 'refresh_token') {
        const refresh = form.get('refresh_token') ?? '';
        if (!refreshTokens.has(refresh)) return json(res, 400, { error: 'invalid_request', error_description: 'The provided refresh token is invalid' });
        return json(res, 200, issue(refresh)); // LinkedIn does not rotate the refresh token
      }
      return json(res, 400, { error: 'unsupported_grant_type' });
    }
    if (req.method === 'PUT' && url.pathname.startsWith('/upload/')) {
      const image = images.get(decodeURIComponent(url.pathname.slice('/upload/'.length)));
      if (!image || !bearer(req)) return restError(res, 401, 'INVALID_ACCESS_TOKEN', 'Invalid access token');
      if (modes.uploadFails) return restError(res, 500, 'INTERNAL_SERVER_ERROR', 'Upload failed');
      image.bytes = bytes;
      image.mime = String(req.headers['content-type'] ?? '');
      res.writeHead(201);
      return res.end();
    }
    if (url.pathname.startsWith('/rest/')) {
      if (!req.headers['linkedin-version'] || req.headers['x-restli-protocol-version'] !== '2.0.0') return restError(res, 400, 'VERSION_MISSING', 'A version must be present. Please specify a version by adding the LinkedIn-Version header.');
      if (!bearer(req)) return restError(res, 401, 'INVALID_ACCESS_TOKEN', 'Invalid access token');
      return rest(req, res, url, raw);
    }
    json(res, 404, { status: 404, message: 'Not Found' });
  };

  const rest = (req: IncomingMessage, res: ServerResponse, url: URL, raw: string) => {
    if (req.method === 'GET' && url.pathname === '/rest/organizationAcls' && url.searchParams.get('q') === 'roleAssignee') {
      const state = url.searchParams.get('state');
      const elements = acls.filter((a) => !state || a.state === state).map((a) => ({ ...a, roleAssignee: PERSON }));
      return json(res, 200, { paging: { count: 10, start: 0, total: elements.length }, elements });
    }
    const org = /^\/rest\/organizations\/(\d+)$/.exec(url.pathname);
    if (req.method === 'GET' && org) {
      const found = [LINKEDIN_ORG, LINKEDIN_OTHER_ORG].find((o) => String(o.id) === org[1]);
      return found ? json(res, 200, { id: found.id, localizedName: found.localizedName, vanityName: found.vanityName }) : restError(res, 404, 'NOT_FOUND', 'Not found');
    }
    if (req.method === 'POST' && url.pathname === '/rest/images' && url.searchParams.get('action') === 'initializeUpload') {
      const owner = JSON.parse(raw)?.initializeUploadRequest?.owner;
      if (typeof owner !== 'string') return restError(res, 400, 'BAD_REQUEST', 'owner is required');
      const image = `urn:li:image:D4E10AQ${randomBytes(6).toString('hex')}`;
      images.set(image, { owner, bytes: null, mime: null });
      return json(res, 200, { value: { uploadUrlExpiresAt: Date.now() + 3_600_000, uploadUrl: `${fake.base}/upload/${encodeURIComponent(image)}`, image } });
    }
    if (req.method === 'POST' && url.pathname === '/rest/posts') return createPost(res, raw);
    if (req.method === 'GET' && url.pathname.startsWith('/rest/socialActions/')) return socialActions.read(res, url, { json, restError });
    if (req.method === 'GET' && url.pathname === '/rest/organizationalEntityShareStatistics') return shareStatistics.read(res, url, { json, restError });
    if (req.method === 'GET' && url.pathname === '/rest/posts' && url.searchParams.get('q') === 'author') {
      if (modes.read === 'refused') return restError(res, 403, 'ACCESS_DENIED', 'Not enough permissions to access: partnerApiPostsExternal.FINDER-author');
      if (modes.read === 'not-json') {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return res.end('<html>maintenance</html>');
      }
      const author = url.searchParams.get('author');
      const found = posts.filter((p) => p.author === author).reverse().slice(0, Number(url.searchParams.get('count') ?? 10));
      return json(res, 200, { paging: { count: found.length, start: 0 }, elements: found.map((p) => ({ ...p, lastModifiedAt: p.createdAt, publishedAt: p.createdAt, lifecycleState: 'PUBLISHED', visibility: 'PUBLIC' })) });
    }
    restError(res, 404, 'NOT_FOUND', 'Not found');
  };

  const createPost = (res: ServerResponse, raw: string) => {
    if (modes.post === 'unauthorized') return restError(res, 401, 'INVALID_ACCESS_TOKEN', 'Invalid access token');
    if (typeof modes.post === 'object') return restError(res, 429, 'TOO_MANY_REQUESTS', 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.');
    if (modes.post === 'server-error') return restError(res, 504, 'GATEWAY_TIMEOUT', 'Request timed out');
    const body = JSON.parse(raw) as { author: string; commentary: string; content?: unknown };
    const duplicate = posts.find((p) => p.author === body.author && p.commentary === body.commentary);
    if (duplicate) return restError(res, 422, 'DUPLICATE_POST', `Content is a duplicate of ${duplicate.id}`);
    const id = `urn:li:share:${nextId++}`;
    posts.push({ id, author: body.author, commentary: body.commentary, createdAt: Date.now(), content: body.content });
    if (modes.post === 'create-then-hang') return void fake.hanging.push(res);
    if (modes.post === 'create-then-html-502') {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      return res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    }
    res.writeHead(201, { 'x-restli-id': id, 'x-linkedin-id': id });
    res.end();
  };

  const socialActions = socialActionsOf(posts);
  const shareStatistics = shareStatisticsOf(posts, acls, (urn) => socialActions.control.isDeleted(urn));
  const fake = await startRecordingServer((req, res, url, recorded) => routes(req, res, url, recorded.raw, recorded.bytes));
  const { base } = fake;
  return {
    base,
    endpoints: { authorizeUrl: `${base}/oauth/v2/authorization`, tokenUrl: `${base}/oauth/v2/accessToken`, apiUrl: base, version: '202511' },
    requests: fake.requests,
    posts,
    images,
    acls,
    /** Response figures (issue 15 #2): counts, deleted posts, throttling, and the reads. */
    socialActions: socialActions.control,
    /** Reshares and impressions (issue 15 #2): counts, the permission refused, throttling, and the reads. */
    shareStatistics: shareStatistics.control,
    accessTokens,
    refreshTokens,
    set(changes: Partial<typeof modes>) {
      Object.assign(modes, changes);
    },
    /** The member revoked the app, or the tokens ran out: every token stops working. */
    revokeAll() {
      accessTokens.clear();
      refreshTokens.clear();
    },
    close: fake.close,
  };
}

/** The fake's two ways of answering, handed to the figure blocks below. */
interface Replies {
  json: (res: ServerResponse, status: number, body: unknown) => void;
  restError: (res: ServerResponse, status: number, code: string, message: string) => void;
}

// --- Response figures (issue 15 #2): socialActions of an organisation's posts. Kept apart from the
// OAuth and publishing routes above so that each can change without the other.

/** What a post counts on LinkedIn (zeros until set). */
export interface SocialCounts { likes: number; comments: number; firstLevelComments: number }

/**
 * `GET /rest/socialActions/{url-encoded URN}` as "Network Update Social Actions" documents it (read
 * 2026-11-30, version 202511): `{target, likesSummary: {selectedLikes, likedByCurrentUser, totalLikes},
 * commentsSummary: {selectedComments, totalFirstLevelComments, aggregatedTotalComments}}`; an unknown or
 * deleted post → 404; `rateLimit()` answers the next read 429 (LinkedIn sends no Retry-After). The token
 * and version headers are checked before this, as for every /rest call.
 */
function socialActionsOf(posts: LinkedInPost[]) {
  const counts = new Map<string, Partial<SocialCounts>>();
  const deleted = new Set<string>();
  let limited = false;
  /** The URN of every read, decoded, in order. */
  const reads: string[] = [];

  const read = (res: ServerResponse, url: URL, { json, restError }: Replies) => {
    const urn = decodeURIComponent(url.pathname.slice('/rest/socialActions/'.length));
    reads.push(urn);
    if (limited) {
      limited = false;
      return restError(res, 429, 'TOO_MANY_REQUESTS', 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.');
    }
    if (!posts.some((p) => p.id === urn) || deleted.has(urn)) return restError(res, 404, 'NOT_FOUND', `Not found: ${urn}`);
    const n: SocialCounts = { likes: 0, comments: 0, firstLevelComments: 0, ...counts.get(urn) };
    json(res, 200, {
      target: urn,
      likesSummary: { selectedLikes: [], likedByCurrentUser: false, totalLikes: n.likes },
      commentsSummary: { selectedComments: [], totalFirstLevelComments: n.firstLevelComments, aggregatedTotalComments: n.comments },
    });
  };

  return {
    read,
    control: {
      reads,
      setCounts: (urn: string, figures: Partial<SocialCounts>) => void counts.set(urn, { ...counts.get(urn), ...figures }),
      deletePost: (urn: string) => void deleted.add(urn),
      isDeleted: (urn: string) => deleted.has(urn),
      rateLimit: () => { limited = true; },
    },
  };
}

// --- Reshares and impressions (issue 15 #2): organizationalEntityShareStatistics. Apart from the
// socialActions block, like it.

/** What a post counts in the share statistics (zeros until set). */
export interface ShareCounts { impressions: number; uniqueImpressions: number; shares: number; clicks: number }

/**
 * `GET /rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity={org URN}
 * &shares=List(…)` or `&ugcPosts=List(…)` as "Organization Share Statistics" documents it (read 2026-11-30,
 * version 202511): lifetime figures when there is no timeIntervals, one element per post found, `{paging,
 * elements: [{organizationalEntity, share | ugcPost, totalShareStatistics: {…}}]}`. Checked as LinkedIn
 * checks them: the Rest.li 2.0 form (a literal `List(`, URNs encoded inside it; anything else → 400), and
 * the ADMINISTRATOR role on the organisation (403 ACCESS_DENIED, as for a token without
 * rw_organization_admin; `refuse()` gives the same for every read). `rateLimit()` answers the next read 429.
 */
function shareStatisticsOf(posts: LinkedInPost[], acls: { organization: string; role: string; state: string }[], isDeleted: (urn: string) => boolean) {
  const counts = new Map<string, Partial<ShareCounts>>();
  let refused = false;
  let limited = false;
  /** Every read's raw query string, as it came. */
  const reads: string[] = [];

  const read = (res: ServerResponse, url: URL, { json, restError }: Replies) => {
    const raw = url.search.slice(1);
    reads.push(raw);
    const list = /(?:^|&)(shares|ugcPosts)=List\(([^()]*)\)(?:&|$)/.exec(raw);
    const organization = url.searchParams.get('organizationalEntity') ?? '';
    if (url.searchParams.get('q') !== 'organizationalEntity' || !list || /urn:li:/.test(raw)) {
      return restError(res, 400, 'ILLEGAL_ARGUMENT', 'Syntax exception in path variables');
    }
    if (limited) {
      limited = false;
      return restError(res, 429, 'TOO_MANY_REQUESTS', 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.');
    }
    if (refused || !acls.some((a) => a.organization === organization && a.role === 'ADMINISTRATOR' && a.state === 'APPROVED')) {
      return restError(res, 403, 'ACCESS_DENIED', 'Not enough permissions to access: organizationalEntityShareStatistics.FINDER-organizationalEntity');
    }
    const key = list[1] === 'shares' ? 'share' : 'ugcPost';
    const urns = list[2].split(',').map(decodeURIComponent);
    const found = urns.filter((urn) => posts.some((p) => p.id === urn && p.author === organization) && !isDeleted(urn));
    json(res, 200, {
      paging: { count: 10, start: 0, links: [] },
      elements: found.map((urn) => {
        const n: ShareCounts = { impressions: 0, uniqueImpressions: 0, shares: 0, clicks: 0, ...counts.get(urn) };
        return {
          organizationalEntity: organization, [key]: urn,
          totalShareStatistics: { uniqueImpressionsCount: n.uniqueImpressions, shareCount: n.shares, engagement: 0, clickCount: n.clicks, likeCount: 0, impressionCount: n.impressions, commentCount: 0 },
        };
      }),
    });
  };

  return {
    read,
    control: {
      reads,
      setCounts: (urn: string, figures: Partial<ShareCounts>) => void counts.set(urn, { ...counts.get(urn), ...figures }),
      refuse: (value = true) => { refused = value; },
      rateLimit: () => { limited = true; },
    },
  };
}
