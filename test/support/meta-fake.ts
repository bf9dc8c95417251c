import { createHash, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for Facebook Login and the Graph API v26.0, written from developers.facebook.com
 * (read 2026-11-30): the login dialog (redirects back with `code` and `state`), GET /oauth/access_token
 * (code → short-lived user token, single use; `grant_type=fb_exchange_token` → long-lived), GET
 * /me/accounts (the Pages with their tokens and `instagram_business_account`), Page feed, unpublished
 * photos and published_posts, Instagram containers, status_code, media_publish and the media list.
 * Errors are Graph's `{error: {message, type, code, error_subcode, fbtrace_id}}`. Every request is recorded.
 */
export interface GraphRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: string;
  /** The form body (POST) or the query (GET): where the Graph API takes its parameters. */
  params: URLSearchParams;
}

export const META_PAGE = { id: '104000000000001', name: 'NATC Slovenija' };
export const META_OTHER_PAGE = { id: '104000000000002', name: 'Ministry Page' };
export const META_IG = { id: '17841400000000001', username: 'natc_slovenija' };

export interface FeedPost { id: string; message: string; created_time: string; attached: string[] }
export interface IgMedia { id: string; caption: string; timestamp: string; permalink: string; container: string; lagging?: boolean }
export interface Container { id: string; params: Record<string, string>; status: 'FINISHED' | 'PUBLISHED' }

/** How the publishing calls (feed, media_publish) answer: normally, or as the failures the publishers must handle. */
export type GraphMode =
  | 'ok' | 'revoked' | 'not-json' | { rateLimited: { code: number; minutes: number } }
  /** The post is created, then the answer never comes (the client times out). */
  | 'create-then-hang'
  /** The post is created, then the server answers 500. */
  | 'create-then-500';

const numericPermalink = (post: FeedPost) => `https://www.facebook.com/${post.id.replace('_', '/posts/')}`;
/**
 * What Facebook answers for most posts today: `https://www.facebook.com/<page>/posts/pfbid0…`, an opaque
 * id that is not the Graph id (issue 15). Derived from the post id so it stays the same for a post.
 */
const pfbidPermalink = (post: FeedPost) => `https://www.facebook.com/${META_PAGE.id}/posts/pfbid02${createHash('sha256').update(post.id).digest('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 48)}l`;

/** Graph's timestamps: 2026-11-30T15:04:05+0000. */
const graphTime = (date = new Date()) => date.toISOString().replace(/\.\d{3}Z$/, '+0000');

export async function startMetaFake(app: { id: string; secret: string }) {
  const requests: GraphRequest[] = [];
  const codes = new Map<string, { redirectUri: string; used: boolean }>();
  const shortTokens = new Set<string>();
  const userTokens = new Set<string>();
  const pageTokens = new Map<string, string>([[META_PAGE.id, `page-${randomBytes(8).toString('hex')}`], [META_OTHER_PAGE.id, `page-${randomBytes(8).toString('hex')}`]]);
  const feed: FeedPost[] = [];
  const photos = new Map<string, { url: string; alt: string }>();
  const containers = new Map<string, Container>();
  const media: IgMedia[] = [];
  let mode: GraphMode = 'ok';
  let readRefused = false;
  /** The media list lags behind publishing (a new media shows up late); the container already says PUBLISHED. */
  let listLags = false;
  /** The token endpoint answers an HTML page (a proxy in front of Facebook, an outage). */
  let tokenNotJson = false;
  /** Permalinks as `pfbid…` (most real posts) instead of `<page>/posts/<post>`. */
  let pfbidPermalinks = false;
  const permalinkOf = (post: FeedPost) => (pfbidPermalinks ? pfbidPermalink(post) : numericPermalink(post));
  let nextId = 900_000_000_000_000;
  const hanging: ServerResponse[] = [];
  const id = () => String(nextId++);

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const graphError = (res: ServerResponse, status: number, code: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    json(res, status, { error: { message, type: 'OAuthException', code, ...extra, fbtrace_id: 'AbCdEf123' } }, headers);
  const expired = (res: ServerResponse) => graphError(res, 400, 190, 'Error validating access token: The user has not authorized application.', { error_subcode: 458 });
  /** The Page (or the Page of the Instagram account) the token acts for, if it is a valid Page token. */
  const pageOf = (params: URLSearchParams) => [...pageTokens].find(([, token]) => token === params.get('access_token'))?.[0];

  const routes = (req: IncomingMessage, res: ServerResponse, url: URL, params: URLSearchParams) => {
    const path = url.pathname.replace(/^\/v26\.0/, '');
    if (req.method === 'GET' && path === '/dialog/oauth') {
      // The user logs in, picks the Pages and allows the permissions; Facebook sends the browser back with a code.
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { redirectUri: params.get('redirect_uri') ?? '', used: false });
      const back = new URL(params.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', params.get('state') ?? '');
      res.writeHead(302, { Location: back.toString() });
      return res.end();
    }
    if (req.method === 'GET' && path === '/oauth/access_token') {
      if (tokenNotJson) {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return res.end('<html><body>Sorry, something went wrong.</body></html>');
      }
      if (params.get('client_id') !== app.id || params.get('client_secret') !== app.secret) return graphError(res, 400, 1, 'Error validating client secret.');
      if (params.get('grant_type') === 'fb_exchange_token') {
        if (!shortTokens.has(params.get('fb_exchange_token') ?? '')) return expired(res);
        const token = `user-long-${randomBytes(8).toString('hex')}`;
        userTokens.add(token);
        return json(res, 200, { access_token: token, token_type: 'bearer', expires_in: 5183944 });
      }
      const grant = codes.get(params.get('code') ?? '');
      if (!grant || grant.redirectUri !== params.get('redirect_uri')) return graphError(res, 400, 100, 'Invalid verification code format.', { error_subcode: 36007 });
      if (grant.used) return graphError(res, 400, 100, 'This authorization code has been used.', { error_subcode: 36009 });
      grant.used = true;
      const token = `user-short-${randomBytes(8).toString('hex')}`;
      shortTokens.add(token);
      return json(res, 200, { access_token: token, token_type: 'bearer', expires_in: 5400 });
    }
    if (req.method === 'GET' && path === '/me/accounts') {
      if (!userTokens.has(params.get('access_token') ?? '') && !shortTokens.has(params.get('access_token') ?? '')) return expired(res);
      return json(res, 200, {
        data: [
          { id: META_OTHER_PAGE.id, name: META_OTHER_PAGE.name, access_token: pageTokens.get(META_OTHER_PAGE.id), category: 'Government organization', tasks: ['MANAGE', 'CREATE_CONTENT'] },
          { id: META_PAGE.id, name: META_PAGE.name, access_token: pageTokens.get(META_PAGE.id), category: 'Nonprofit organization', tasks: ['MANAGE', 'CREATE_CONTENT'], instagram_business_account: { id: META_IG.id } },
        ],
        paging: { cursors: { before: 'QVFIUmJ', after: 'QVFIUms' } },
      });
    }
    const owner = pageOf(params);
    if (!owner) return expired(res);
    if (req.method === 'GET' && path === `/${META_IG.id}`) return json(res, 200, { id: META_IG.id, username: META_IG.username });
    if (req.method === 'POST' && path === `/${owner}/photos`) {
      if (mode === 'revoked') return expired(res);
      const photo = id();
      photos.set(photo, { url: params.get('url') ?? '', alt: params.get('alt_text_custom') ?? '' });
      return json(res, 200, { id: photo });
    }
    if (req.method === 'POST' && path === `/${owner}/feed`) {
      return publishing(res, () => {
        const attached = [...params.keys()].filter((k) => k.startsWith('attached_media[')).map((k) => JSON.parse(params.get(k)!).media_fbid as string);
        const post = { id: `${owner}_${id()}`, message: params.get('message') ?? '', created_time: graphTime(), attached };
        feed.push(post);
        return post.id;
      });
    }
    if (req.method === 'GET' && path === `/${owner}/published_posts`) {
      if (readRefused) return graphError(res, 403, 10, 'This endpoint requires the pages_read_engagement permission.');
      const since = Number(params.get('since') ?? 0) * 1000;
      const until = Number(params.get('until') ?? 9e12) * 1000;
      const found = feed.filter((p) => Date.parse(p.created_time.replace('+0000', 'Z')) >= since - 1000 && Date.parse(p.created_time.replace('+0000', 'Z')) <= until).reverse();
      return json(res, 200, { data: found.map((p) => ({ id: p.id, message: p.message, created_time: p.created_time, permalink_url: permalinkOf(p) })) });
    }
    if (owner === META_PAGE.id && path === `/${META_IG.id}/media` && req.method === 'POST') {
      if (mode === 'revoked') return expired(res);
      const container: Container = { id: id(), params: Object.fromEntries(params), status: 'FINISHED' };
      delete container.params.access_token;
      containers.set(container.id, container);
      return json(res, 200, { id: container.id });
    }
    if (owner === META_PAGE.id && path === `/${META_IG.id}/media_publish` && req.method === 'POST') {
      const container = containers.get(params.get('creation_id') ?? '');
      if (!container || container.params.is_carousel_item) return graphError(res, 400, 100, 'Invalid parameter', { error_subcode: 2207001 });
      if (container.status === 'PUBLISHED') return graphError(res, 400, 9004, 'The media has already been published.', { error_subcode: 2207006 });
      return publishing(res, () => {
        container.status = 'PUBLISHED';
        const item = { id: id(), caption: container.params.caption ?? '', timestamp: graphTime(), permalink: '', container: container.id, lagging: listLags };
        item.permalink = `https://www.instagram.com/p/C${item.id}/`;
        media.push(item);
        return item.id;
      });
    }
    if (owner === META_PAGE.id && path === `/${META_IG.id}/media` && req.method === 'GET' && igFigures.answers(params, res)) return;
    if (owner === META_PAGE.id && path === `/${META_IG.id}/media` && req.method === 'GET') {
      if (readRefused) return graphError(res, 403, 10, 'Application does not have permission for this action');
      return json(res, 200, { data: [...media].filter((m) => !listLags || !m.lagging).reverse().map(({ id: mediaId, caption, timestamp, permalink }) => ({ id: mediaId, caption, timestamp, permalink })) });
    }
    const object = /^\/(\d+)$/.exec(path)?.[1];
    if (req.method === 'GET' && object && containers.has(object)) {
      if (readRefused) return graphError(res, 403, 10, 'Application does not have permission for this action');
      return json(res, 200, { status_code: containers.get(object)!.status, id: object });
    }
    if (req.method === 'GET' && figures.answers(path.slice(1), params, res)) return;
    if (req.method === 'GET' && object && igFigures.answersOne(object, params, res)) return;
    if (req.method === 'GET' && insights.answers(path, params, res)) return;
    const post = feed.find((p) => p.id === path.slice(1));
    if (req.method === 'GET' && post) return json(res, 200, { permalink_url: permalinkOf(post), id: post.id });
    const published = media.find((m) => m.id === object);
    if (req.method === 'GET' && published) return json(res, 200, { permalink: published.permalink, id: published.id });
    graphError(res, 400, 100, `Unsupported ${req.method} request. Object with ID '${path.slice(1)}' does not exist`, { type: 'GraphMethodException', error_subcode: 33 });
  };

  /** The publishing call (feed, media_publish) in the fake's current mode; `create` makes the post and returns its id. */
  const publishing = (res: ServerResponse, create: () => string) => {
    if (mode === 'revoked') return expired(res);
    if (typeof mode === 'object') {
      const usage = JSON.stringify({ [META_PAGE.id]: [{ type: 'pages', call_count: 100, total_cputime: 12, total_time: 30, estimated_time_to_regain_access: mode.rateLimited.minutes }] });
      return graphError(res, 400, mode.rateLimited.code, 'Application request limit reached', { is_transient: true }, { 'X-Business-Use-Case-Usage': usage, 'X-App-Usage': JSON.stringify({ call_count: 100, total_cputime: 10, total_time: 20 }) });
    }
    const created = create();
    if (mode === 'create-then-hang') return void hanging.push(res);
    if (mode === 'create-then-500') return graphError(res, 500, 2, 'An unexpected error has occurred. Please retry your request later.', { type: 'OAuthException', is_transient: true });
    if (mode === 'not-json') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      return res.end('<html><body>OK</body></html>');
    }
    json(res, 200, { id: created });
  };

  const figures = pagePostFigures(feed, json, graphError);
  const igFigures = mediaFigures(media, json, graphError);
  const insights = objectInsights(
    (postId) => feed.some((p) => p.id === postId) && !figures.control.isDeleted(postId),
    (mediaId) => media.some((m) => m.id === mediaId) && !igFigures.control.isDeleted(mediaId),
    json, graphError,
  );

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://graph.test');
      const raw = Buffer.concat(chunks).toString('utf8');
      const params = req.method === 'POST' ? new URLSearchParams(raw) : url.searchParams;
      requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, raw, params });
      routes(req, res, url, params);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    endpoints: { authorizeUrl: `${base}/v26.0/dialog/oauth`, graphUrl: `${base}/v26.0` },
    requests, feed, photos, containers, media, pageTokens,
    /** Response figures of Page posts (issue 15 #2): counts, deleted posts, rate limits, and the reads. */
    figures: figures.control,
    /** Response figures of Instagram media (issue 15 #2), read from the account's media list. */
    igFigures: igFigures.control,
    /** Views of Page posts (post_media_view) and of Instagram media (views): granted or not, rate limits, and the reads. */
    insights: insights.control,
    setMode(next: GraphMode) {
      mode = next;
    },
    setReadRefused(refused: boolean) {
      readRefused = refused;
    },
    setListLags(lags: boolean) {
      listLags = lags;
    },
    setTokenNotJson(value: boolean) {
      tokenNotJson = value;
    },
    setPfbidPermalinks(value: boolean) {
      pfbidPermalinks = value;
    },
    /** The user removed the app from the Page: its token stops working (code 190). */
    revokePage(pageId: string) {
      pageTokens.set(pageId, `revoked-${randomBytes(4).toString('hex')}`);
    },
    close: () => new Promise<void>((resolve) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

// --- Response figures (issue 15 #2): a Page post's reactions, comments and shares. Kept apart from the
// login and publishing routes above so that each can change without the other.

/** What a Page post counts (zeros until set). */
export interface PagePostCounts { reactions: number; comments: number; shares: number }

/**
 * `GET /{page-id}_{post-id}?fields=reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),shares`
 * as the Graph API v26.0 "Page Post" reference documents it (read 2026-11-30): `{id, reactions: {data: [],
 * summary: {total_count, viewer_reaction}}, comments: {data: [], summary: {order, total_count, can_comment}},
 * shares: {count}}`, `shares` left out while nobody shared. A deleted post answers code 100 subcode 33 (as
 * any unknown object); `rateLimit(minutes)` answers the next read with code 32 and X-Business-Use-Case-Usage.
 * Only reads that ask for `reactions` are taken here (the publisher's permalink read goes on as before).
 */
function pagePostFigures(
  feed: FeedPost[],
  json: (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => void,
  graphError: (res: ServerResponse, status: number, code: number, message: string, extra?: Record<string, unknown>, headers?: Record<string, string>) => void,
) {
  const counts = new Map<string, Partial<PagePostCounts>>();
  const deleted = new Set<string>();
  let limitedMinutes: number | null = null;
  /** Every figures read as it came (the post id and its query, token included). */
  const reads: { postId: string; params: URLSearchParams }[] = [];

  const answers = (postId: string, params: URLSearchParams, res: ServerResponse): boolean => {
    if (!(params.get('fields') ?? '').includes('reactions')) return false;
    reads.push({ postId, params });
    if (limitedMinutes !== null) {
      const usage = JSON.stringify({ [postId.split('_')[0]]: [{ type: 'pages', call_count: 100, total_cputime: 10, total_time: 25, estimated_time_to_regain_access: limitedMinutes }] });
      limitedMinutes = null;
      graphError(res, 400, 32, 'Page request limit reached', { error_subcode: 2018218 }, { 'X-Business-Use-Case-Usage': usage });
      return true;
    }
    const post = feed.find((p) => p.id === postId && !deleted.has(postId));
    if (!post) {
      graphError(res, 400, 100, `Unsupported get request. Object with ID '${postId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { type: 'GraphMethodException', error_subcode: 33 });
      return true;
    }
    const n: PagePostCounts = { reactions: 0, comments: 0, shares: 0, ...counts.get(postId) };
    json(res, 200, {
      id: post.id,
      reactions: { data: [], summary: { total_count: n.reactions, viewer_reaction: 'NONE' } },
      comments: { data: [], summary: { order: 'ranked', total_count: n.comments, can_comment: true } },
      ...(n.shares > 0 ? { shares: { count: n.shares } } : {}),
    });
    return true;
  };

  return {
    answers,
    control: {
      reads,
      setCounts: (postId: string, figures: Partial<PagePostCounts>) => void counts.set(postId, { ...counts.get(postId), ...figures }),
      deletePost: (postId: string) => void deleted.add(postId),
      isDeleted: (postId: string) => deleted.has(postId),
      rateLimit: (minutes: number) => { limitedMinutes = minutes; },
    },
  };
}

// --- Response figures (issue 15 #2): Instagram media with like_count and comments_count, from the
// account's media list. Apart from the publishing routes above, like the Page-post block.

/**
 * `GET /{ig-user-id}/media?fields=id,permalink,timestamp,like_count,comments_count&limit=&after=` as the
 * IG User Media reference documents it (read 2026-11-30): newest first, `{data, paging: {cursors: {before,
 * after}, next?}}` (`next` only when there is more). A deleted media is no longer listed; `rateLimit(minutes)`
 * answers the next list with code 4 (application limit) and X-Business-Use-Case-Usage. Only lists that ask
 * for `like_count` are taken here (the publisher's read-back goes on as before).
 * One media by id, `GET /{ig-media-id}?fields=like_count,comments_count` (IG Media reference): `{like_count,
 * comments_count, id}`; a deleted media answers code 100 subcode 33 like any unknown object.
 */
function mediaFigures(
  media: IgMedia[],
  json: (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => void,
  graphError: (res: ServerResponse, status: number, code: number, message: string, extra?: Record<string, unknown>, headers?: Record<string, string>) => void,
) {
  const counts = new Map<string, { like_count?: number; comments_count?: number }>();
  const deleted = new Set<string>();
  let limitedMinutes: number | null = null;
  /** Every figures list as it came (its query, token included). */
  const reads: URLSearchParams[] = [];
  /** Every read of one media by id (the media id and its query). */
  const mediaReads: { mediaId: string; params: URLSearchParams }[] = [];

  /** The rate limit set by `rateLimit`, answered once (to a list or a read by id). */
  const limited = (res: ServerResponse): boolean => {
    if (limitedMinutes === null) return false;
    const usage = JSON.stringify({ [META_IG.id]: [{ type: 'instagram', call_count: 100, total_cputime: 5, total_time: 9, estimated_time_to_regain_access: limitedMinutes }] });
    limitedMinutes = null;
    graphError(res, 400, 4, 'Application request limit reached', { is_transient: true }, { 'X-Business-Use-Case-Usage': usage });
    return true;
  };

  const answersOne = (mediaId: string, params: URLSearchParams, res: ServerResponse): boolean => {
    if (!(params.get('fields') ?? '').includes('like_count') || !media.some((m) => m.id === mediaId)) return false;
    mediaReads.push({ mediaId, params });
    if (limited(res)) return true;
    if (deleted.has(mediaId)) {
      graphError(res, 400, 100, `Unsupported get request. Object with ID '${mediaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { type: 'GraphMethodException', error_subcode: 33 });
      return true;
    }
    json(res, 200, { like_count: 0, comments_count: 0, ...counts.get(mediaId), id: mediaId });
    return true;
  };

  const answers = (params: URLSearchParams, res: ServerResponse): boolean => {
    if (!(params.get('fields') ?? '').includes('like_count')) return false;
    reads.push(params);
    if (limited(res)) return true;
    const listed = [...media].filter((m) => !deleted.has(m.id)).reverse();
    const start = Number(params.get('after') ?? 0);
    const limit = Math.min(Number(params.get('limit') ?? 25), 100);
    const page = listed.slice(start, start + limit);
    const end = start + page.length;
    json(res, 200, {
      data: page.map((m) => ({ id: m.id, permalink: m.permalink, timestamp: m.timestamp, like_count: 0, comments_count: 0, ...counts.get(m.id) })),
      paging: { cursors: { before: String(start), after: String(end) }, ...(end < listed.length ? { next: `https://graph.facebook.com/v26.0/${META_IG.id}/media?after=${end}` } : {}) },
    });
    return true;
  };

  return {
    answers,
    answersOne,
    control: {
      reads,
      mediaReads,
      setCounts: (mediaId: string, figures: { like_count?: number; comments_count?: number }) => void counts.set(mediaId, { ...counts.get(mediaId), ...figures }),
      deletePost: (mediaId: string) => void deleted.add(mediaId),
      isDeleted: (mediaId: string) => deleted.has(mediaId),
      rateLimit: (minutes: number) => { limitedMinutes = minutes; },
    },
  };
}

// --- Views (issue 15 #2): Page Post Insights and Instagram Media Insights. Apart from the figures
// blocks above, so that a change of metric touches only this one.

/**
 * `GET /{page-post-id}/insights?metric=post_media_view&period=lifetime` and `GET /{ig-media-id}/insights?
 * metric=views` as the Page Insights and Instagram Media Insights references document them (read
 * 2026-11-30): `{data: [{name, period: 'lifetime', values: [{value}], title, description, id}]}`, an
 * empty `data` while nothing is counted yet (`setViews` not called). A metric Meta retired
 * (`post_impressions`, `impressions`) → code 100 "must be a valid insights metric"; `refuse()` answers code
 * 10 as for a token without read_insights / instagram_manage_insights; `tooFewViewers(id)` code 10 "Not
 * enough viewers"; `rateLimit(minutes, objectId?)` the next read (of that object, when named) with code
 * 80001 and X-Business-Use-Case-Usage.
 */
function objectInsights(
  isPost: (postId: string) => boolean,
  isMedia: (mediaId: string) => boolean,
  json: (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => void,
  graphError: (res: ServerResponse, status: number, code: number, message: string, extra?: Record<string, unknown>, headers?: Record<string, string>) => void,
) {
  const views = new Map<string, number>();
  const fewViewers = new Set<string>();
  let granted = true;
  let limitedMinutes: number | null = null;
  /** The one object whose read `rateLimit` answers; null: whichever is read next. */
  let limitedObject: string | null = null;
  /** Every insights read as it came (the object id and its query, token included). */
  const reads: { objectId: string; params: URLSearchParams }[] = [];

  const answers = (path: string, params: URLSearchParams, res: ServerResponse): boolean => {
    const objectId = /^\/([\d_]+)\/insights$/.exec(path)?.[1];
    if (!objectId) return false;
    reads.push({ objectId, params });
    const metric = isPost(objectId) ? 'post_media_view' : isMedia(objectId) ? 'views' : null;
    if (!metric) {
      graphError(res, 400, 100, `Unsupported get request. Object with ID '${objectId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { type: 'GraphMethodException', error_subcode: 33 });
      return true;
    }
    if (limitedMinutes !== null && (limitedObject === null || limitedObject === objectId)) {
      const usage = JSON.stringify({ [objectId.split('_')[0]]: [{ type: 'pages', call_count: 100, total_cputime: 10, total_time: 25, estimated_time_to_regain_access: limitedMinutes }] });
      limitedMinutes = null;
      graphError(res, 400, 80001, 'There have been too many calls to this Page account.', {}, { 'X-Business-Use-Case-Usage': usage });
      return true;
    }
    if (!granted) {
      graphError(res, 400, 10, '(#10) Application does not have permission for this action');
      return true;
    }
    if (params.get('metric') !== metric) {
      graphError(res, 400, 100, '(#100) The value must be a valid insights metric', { type: 'OAuthException' });
      return true;
    }
    if (fewViewers.has(objectId)) {
      graphError(res, 400, 10, '(#10) Not enough viewers for the media to show insights');
      return true;
    }
    const value = views.get(objectId);
    json(res, 200, {
      data: value === undefined ? [] : [{
        name: metric, period: 'lifetime', values: [{ value }], title: 'Views', description: 'The number of times the content was played or displayed.', id: `${objectId}/insights/${metric}/lifetime`,
      }],
      ...(metric === 'post_media_view' ? { paging: { previous: 'https://graph.test/prev', next: 'https://graph.test/next' } } : {}),
    });
    return true;
  };

  return {
    answers,
    control: {
      reads,
      setViews: (objectId: string, value: number) => void views.set(objectId, value),
      /** The Page token was granted without read_insights / instagram_manage_insights (or with: `refuse(false)`). */
      refuse: (refused = true) => { granted = !refused; },
      tooFewViewers: (objectId: string) => void fewViewers.add(objectId),
      /** The next insights read (of `objectId` only, when named) answers code 80001. */
      rateLimit: (minutes: number, objectId: string | null = null) => { limitedMinutes = minutes; limitedObject = objectId; },
    },
  };
}
