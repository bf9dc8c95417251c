import { createHash, randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { RecordedRequest, startRecordingServer } from './recording-server';

/**
 * A loopback stand-in for X API v2, written from docs.x.com (read 2026-11-30): OAuth 2.0 authorize
 * (redirects back with `code` and `state`), POST /2/oauth2/token (authorization_code with PKCE S256,
 * refresh_token with rotation: the old refresh token stops working), GET /2/users/me, POST /2/tweets
 * (201 `{data: {id, text, edit_history_tweet_ids}}`), GET /2/users/:id/tweets (newest first,
 * `start_time`/`end_time`, `tweet.fields=created_at`), POST /2/media/upload (multipart `media` +
 * `media_category`, needs media.write) → `{data: {id, media_key, size, expires_after_secs, image}}`, POST
 * /2/media/metadata `{id, metadata: {alt_text: {text}}}`; a tweet's `media.media_ids` must name uploaded
 * media. Every request is recorded as it came.
 */
export type XRequest = RecordedRequest;

export interface Tweet { id: string; text: string; created_at: string; author_id: string; media_ids?: string[] }

/** An image as X holds it after POST /2/media/upload (and its alt text after POST /2/media/metadata). */
export interface XMedia { id: string; bytes: Buffer; mime: string; filename: string; category: string; alt: string | null }

/** How POST /2/tweets answers: normally, or as the failures the publisher must handle. */
export type TweetMode =
  | 'ok' | 'unauthorized' | 'server-error' | 'not-json'
  | { rateLimitedUntil: number }
  /** The tweet is created, then the answer never comes (the client times out). */
  | 'create-then-hang'
  /** The tweet is created, then the server answers 503. */
  | 'create-then-503';

export const X_USER = { id: '1460000000000000001', name: 'Slovenija NATC', username: 'natc_si' };

export async function startXFake(client: { id: string; secret?: string }) {
  const codes = new Map<string, { challenge: string; redirectUri: string; used: boolean }>();
  const accessTokens = new Set<string>();
  /** Who signs in on X's consent page (GET /2/users/me answers it). */
  let user: { id: string; name: string; username: string } = X_USER;
  const refreshTokens = new Set<string>();
  const tweets: Tweet[] = [];
  let tweetMode: TweetMode = 'ok';
  let readRefused = false;
  /** The token endpoint answers an HTML error page (a proxy in front of X, an outage). */
  let tokenNotJson = false;
  let nextId = 1_850_000_000_000_000_000n;
  const media = new Map<string, XMedia>();
  let nextMediaId = 1_880_000_000_000_000_000n;
  /** POST /2/media/upload answers this status instead (a failed upload). */
  let uploadFailure: number | null = null;

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const bearer = (req: IncomingMessage) => accessTokens.has(String(req.headers.authorization ?? '').replace(/^Bearer /, ''));
  const unauthorized = (res: ServerResponse) => json(res, 401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
  /** false: X issues no refresh token (an app granted without offline.access): the access token's two hours are all there is. */
  let issueRefreshTokens = true;
  const issue = () => {
    const access = `xat-${randomBytes(12).toString('hex')}`;
    accessTokens.add(access);
    if (!issueRefreshTokens) return { token_type: 'bearer', expires_in: 7200, access_token: access, scope: 'tweet.read tweet.write users.read' };
    const refresh = `xrt-${randomBytes(12).toString('hex')}`;
    refreshTokens.add(refresh);
    return { token_type: 'bearer', expires_in: 7200, access_token: access, scope: 'tweet.read tweet.write users.read offline.access media.write', refresh_token: refresh };
  };
  const clientAuthenticated = (req: IncomingMessage, form: URLSearchParams) => {
    if (client.secret) return req.headers.authorization === `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
    return form.get('client_id') === client.id;
  };

  // --- Token revocation (issue 14, disconnect), kept apart from the rest of the fake -------------------
  /**
   * POST /2/oauth2/revoke as docs.x.com describes it (read 2026-11-30): form `token` and
   * `token_type_hint`, the client authenticated as at the token endpoint, answer 200 `{"revoked": true}`.
   * `revokeMode` 'hang' never answers (X unreachable), 'server-error' answers 503.
   */
  const revocations: { token: string; tokenTypeHint: string | null; clientAuthenticated: boolean }[] = [];
  let revokeMode: 'ok' | 'hang' | 'server-error' = 'ok';
  const revoke = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const form = new URLSearchParams(raw);
    const authenticated = clientAuthenticated(req, form);
    revocations.push({ token: form.get('token') ?? '', tokenTypeHint: form.get('token_type_hint'), clientAuthenticated: authenticated });
    if (revokeMode === 'hang') return void fake.hanging.push(res);
    if (revokeMode === 'server-error') return json(res, 503, { title: 'Service Unavailable', status: 503 });
    if (!authenticated) return json(res, 401, { error: 'unauthorized_client', error_description: 'Missing valid authorization header' });
    accessTokens.delete(form.get('token') ?? '');
    refreshTokens.delete(form.get('token') ?? '');
    json(res, 200, { revoked: true });
  };
  // --- end of token revocation ---------------------------------------------------------------------------

  const routes = (req: IncomingMessage, res: ServerResponse, url: URL, raw: string, bytes: Buffer) => {
    if (req.method === 'POST' && url.pathname === '/2/oauth2/revoke') return revoke(req, res, raw);
    if (req.method === 'GET' && url.pathname === '/i/oauth2/authorize') {
      // The user allows access on X's page; X sends the browser back with a code.
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', redirectUri: url.searchParams.get('redirect_uri') ?? '', used: false });
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      back.searchParams.set('code', code);
      res.writeHead(302, { Location: back.toString() });
      return res.end();
    }
    if (req.method === 'POST' && url.pathname === '/2/oauth2/token') {
      if (tokenNotJson) {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return res.end('<html><body>Something went wrong</body></html>');
      }
      const form = new URLSearchParams(raw);
      if (!clientAuthenticated(req, form)) return json(res, 401, { error: 'unauthorized_client', error_description: 'Missing valid authorization header' });
      if (form.get('grant_type') === 'authorization_code') {
        const grant = codes.get(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        if (!grant || grant.used || grant.redirectUri !== form.get('redirect_uri') || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
          return json(res, 400, { error: 'invalid_request', error_description: 'Value passed for the authorization code was invalid.' });
        }
        grant.used = true;
        return json(res, 200, issue());
      }
      if (form.get('grant_type') === 'refresh_token') {
        const old = form.get('refresh_token') ?? '';
        if (!refreshTokens.delete(old)) return json(res, 400, { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' });
        return json(res, 200, issue());
      }
      return json(res, 400, { error: 'unsupported_grant_type' });
    }
    if (req.method === 'GET' && url.pathname === '/2/users/me') {
      if (!bearer(req)) return unauthorized(res);
      return json(res, 200, { data: user });
    }
    if (req.method === 'POST' && url.pathname === '/2/tweets') return tweet(req, res, raw);
    if (req.method === 'POST' && url.pathname === '/2/media/upload') return void upload(req, res, bytes);
    if (req.method === 'POST' && url.pathname === '/2/media/metadata') {
      if (!bearer(req)) return unauthorized(res);
      const body = JSON.parse(raw) as { id?: string; metadata?: { alt_text?: { text?: string } } };
      const found = media.get(body.id ?? '');
      const alt = body.metadata?.alt_text?.text;
      if (!found || typeof alt !== 'string' || [...alt].length > 1000) return json(res, 400, { title: 'Invalid Request', status: 400, detail: 'One or more parameters to your request was invalid.' });
      found.alt = alt;
      return json(res, 200, { data: { id: found.id, associated_metadata: { alt_text: { text: alt } } } });
    }
    if (req.method === 'GET' && url.pathname === '/2/tweets') return metrics.lookup(req, res, url);
    const timeline = /^\/2\/users\/(\d+)\/tweets$/.exec(url.pathname);
    if (req.method === 'GET' && timeline) {
      if (!bearer(req)) return unauthorized(res);
      if (readRefused) return json(res, 403, { title: 'Forbidden', type: 'about:blank', status: 403, detail: 'Reading this timeline is not allowed for your access level.' });
      const start = url.searchParams.get('start_time') ?? '';
      const end = url.searchParams.get('end_time') ?? '9999';
      const found = tweets.filter((t) => t.author_id === timeline[1] && t.created_at >= start && t.created_at <= end).reverse();
      return json(res, 200, { data: found.map(({ id, text, created_at }) => ({ id, text, created_at, edit_history_tweet_ids: [id] })), meta: { result_count: found.length } });
    }
    json(res, 404, { title: 'Not Found Error', status: 404 });
  };

  const upload = async (req: IncomingMessage, res: ServerResponse, bytes: Buffer) => {
    if (!bearer(req)) return unauthorized(res);
    if (uploadFailure) return json(res, uploadFailure, { title: 'Service Unavailable', status: uploadFailure, detail: 'Upload failed' });
    const form = await new Response(bytes, { headers: { 'content-type': String(req.headers['content-type']) } }).formData().catch(() => null);
    const file = form?.get('media');
    if (!form || !(file instanceof File)) return json(res, 400, { title: 'Invalid Request', status: 400, detail: 'media is required' });
    const id = String(nextMediaId++);
    media.set(id, { id, bytes: Buffer.from(await file.arrayBuffer()), mime: file.type, filename: file.name, category: String(form.get('media_category')), alt: null });
    json(res, 200, { data: { id, media_key: `3_${id}`, size: file.size, expires_after_secs: 86400, image: { image_type: file.type } } });
  };

  const tweet = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    if (!bearer(req) || tweetMode === 'unauthorized') return unauthorized(res);
    if (typeof tweetMode === 'object') {
      return json(res, 429, { title: 'Too Many Requests', status: 429 }, { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(tweetMode.rateLimitedUntil) });
    }
    if (tweetMode === 'server-error') return json(res, 503, { title: 'Service Unavailable', status: 503 });
    const body = JSON.parse(raw) as { text: string; media?: { media_ids?: string[] } };
    const { text } = body;
    const mediaIds = body.media?.media_ids;
    if (mediaIds && (mediaIds.length > 4 || mediaIds.some((id) => !media.has(id)))) {
      return json(res, 400, { title: 'Invalid Request', status: 400, detail: 'Your media IDs are invalid.' });
    }
    if (tweets.some((t) => t.text === text)) {
      return json(res, 403, { title: 'Forbidden', status: 403, detail: 'You are not allowed to create a Tweet with duplicate content.' });
    }
    const id = String(nextId++);
    tweets.push({ id, text, created_at: new Date().toISOString(), author_id: X_USER.id, ...(mediaIds ? { media_ids: mediaIds } : {}) });
    if (tweetMode === 'create-then-hang') return void fake.hanging.push(res);
    if (tweetMode === 'create-then-503') return json(res, 503, { title: 'Service Unavailable', status: 503 });
    if (tweetMode === 'not-json') {
      res.writeHead(201, { 'Content-Type': 'text/html' });
      return res.end('<html>created</html>');
    }
    json(res, 201, { data: { id, text, edit_history_tweet_ids: [id] } });
  };

  const metrics = metricsLookup(tweets, bearer, unauthorized, json);

  const fake = await startRecordingServer((req, res, url, recorded) => routes(req, res, url, recorded.raw, recorded.bytes));
  const { base, requests } = fake;
  return {
    base,
    endpoints: { authorizeUrl: `${base}/i/oauth2/authorize`, tokenUrl: `${base}/2/oauth2/token`, apiUrl: base },
    requests,
    tweets,
    accessTokens,
    refreshTokens,
    setTweetMode(mode: TweetMode) {
      tweetMode = mode;
    },
    setTokenNotJson(value: boolean) {
      tokenNotJson = value;
    },
    /** Someone else signs in on X from now on (X_USER: the member's own account again). */
    setUser(next: { id: string; name: string; username: string }) {
      user = next;
    },
    setReadRefused(refused: boolean) {
      readRefused = refused;
    },
    // --- token revocation ---
    revocations,
    setRevokeMode(mode: 'ok' | 'hang' | 'server-error') {
      revokeMode = mode;
    },
    setIssueRefreshTokens(value: boolean) {
      issueRefreshTokens = value;
    },
    // --- end of token revocation ---
    metrics: metrics.control,
    /** The user revoked the app on X: every token stops working. */
    revokeAll() {
      accessTokens.clear();
      refreshTokens.clear();
    },
    media,
    /** POST /2/media/upload answers this status from now on (null: normally). */
    setUploadFailure(status: number | null) {
      uploadFailure = status;
    },
    close: fake.close,
  };
}

// --- Response figures (issue 15): post lookup with metrics. Kept apart from the publishing and media
// routes above so that each can change without the other.

/** What GET /2/tweets counts for a post (zeros until set). */
export interface XMetrics { like_count: number; retweet_count: number; reply_count: number; quote_count: number; bookmark_count: number; impression_count: number }

/**
 * `GET /2/tweets?ids=<comma-separated, up to 100>&tweet.fields=public_metrics[,non_public_metrics]`
 * as docs.x.com documents it (read 2026-11-30): `{data: [{id, text, edit_history_tweet_ids,
 * public_metrics, non_public_metrics?}], errors?: [{value, detail, title: 'Not Found Error',
 * resource_type: 'tweet', parameter: 'ids', resource_id, type: …/resource-not-found}]}`; more than
 * 100 ids → 400; a bad token → 401. `grantNonPublic(false)` makes non_public_metrics refused (403,
 * as for an app without that access); `rateLimit(resetAt)` answers the next lookup 429 with
 * `x-rate-limit-reset` (epoch seconds). Here non_public_metrics.impression_count is twice the public
 * one, so that a test sees which of the two was read.
 */
function metricsLookup(
  tweets: Tweet[],
  bearer: (req: IncomingMessage) => boolean,
  unauthorized: (res: ServerResponse) => void,
  json: (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => void,
) {
  const counts = new Map<string, Partial<XMetrics>>();
  const deleted = new Set<string>();
  let nonPublicGranted = true;
  let limitedUntil: number | null = null;
  const lookups: URLSearchParams[] = [];

  const lookup = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    lookups.push(url.searchParams);
    if (!bearer(req)) return unauthorized(res);
    if (limitedUntil !== null) {
      const reset = String(Math.ceil(limitedUntil / 1000));
      limitedUntil = null;
      return json(res, 429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }, { 'x-rate-limit-limit': '15', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset });
    }
    const ids = (url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
    if (ids.length === 0 || ids.length > 100) return json(res, 400, { title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' });
    const fields = (url.searchParams.get('tweet.fields') ?? '').split(',');
    if (fields.includes('non_public_metrics') && !nonPublicGranted) {
      return json(res, 403, { title: 'Forbidden', detail: 'Your client is not permitted to request non_public_metrics.', type: 'about:blank', status: 403 });
    }
    const found = ids.map((id) => tweets.find((t) => t.id === id && !deleted.has(id)));
    const data = found.filter((t): t is Tweet => Boolean(t)).map((t) => {
      const n: XMetrics = { like_count: 0, retweet_count: 0, reply_count: 0, quote_count: 0, bookmark_count: 0, impression_count: 0, ...counts.get(t.id) };
      return {
        id: t.id, text: t.text, edit_history_tweet_ids: [t.id],
        ...(fields.includes('public_metrics') ? { public_metrics: n } : {}),
        ...(fields.includes('non_public_metrics') ? { non_public_metrics: { impression_count: n.impression_count * 2, url_link_clicks: 0, user_profile_clicks: 0 } } : {}),
      };
    });
    const errors = ids.filter((_, i) => !found[i]).map((id) => ({
      value: id, detail: `Could not find tweet with ids: [${id}].`, title: 'Not Found Error', resource_type: 'tweet', parameter: 'ids', resource_id: id,
      type: 'https://api.twitter.com/2/problems/resource-not-found',
    }));
    json(res, 200, { ...(data.length ? { data } : {}), ...(errors.length ? { errors } : {}) });
  };

  return {
    lookup,
    control: {
      /** Every GET /2/tweets as it came. */
      lookups,
      setCounts: (id: string, metrics: Partial<XMetrics>) => void counts.set(id, { ...counts.get(id), ...metrics }),
      deletePost: (id: string) => void deleted.add(id),
      grantNonPublic: (granted: boolean) => { nonPublicGranted = granted; },
      rateLimit: (resetAtMs: number) => { limitedUntil = resetAtMs; },
    },
  };
}
