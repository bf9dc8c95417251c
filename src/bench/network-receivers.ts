import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * The networks on loopback for the publishing bench (issue 14): one server, each network under its
 * own path prefix, answering only what connecting an account and publishing a text post need, as the
 * networks document it (the tests' fuller fakes in test/support are not built into dist). Every
 * bearer token is checked, every body parsed, as the network would.
 * X (docs.x.com, 2026-11-30): POST /2/oauth2/token, GET /2/users/me, POST /2/tweets → 201.
 * Facebook (Graph API v26.0): GET /oauth/access_token, GET /me/accounts (the Page and its token),
 * POST /{page-id}/feed (form-encoded, access_token in the body) → {id}, GET /{post-id}?fields=permalink_url.
 * Instagram through the same Graph API: the Page's `instagram_business_account`, GET /{ig-user-id}
 * (username), POST /{ig-user-id}/media (image_url, caption) → container, GET /{container}?fields=status_code
 * → FINISHED, POST /{ig-user-id}/media_publish (creation_id) → {id}, GET /{media-id}?fields=permalink.
 * LinkedIn (REST API 202511): POST /oauth/v2/accessToken, GET /rest/organizationAcls, GET
 * /rest/organizations/{id}, POST /rest/posts (LinkedIn-Version and X-Restli-Protocol-Version required)
 * → 201 with the post's URN in `x-restli-id`.
 */
export interface NetworkReceivers {
  url: string;
  /** Posts created per network. */
  created: Record<string, number>;
  close(): Promise<void>;
}

export async function startNetworkReceivers(): Promise<NetworkReceivers> {
  const tokens = new Set<string>();
  const created: Record<string, number> = {};
  let nextId = 1_850_000_000_000_000_000n;
  const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  const authorized = (req: IncomingMessage) => tokens.has(String(req.headers.authorization ?? '').replace(/^Bearer /, ''));
  const issue = () => {
    const token = `bench-${randomBytes(12).toString('hex')}`;
    tokens.add(token);
    return token;
  };

  function x(req: IncomingMessage, res: ServerResponse, path: string, raw: string) {
    if (req.method === 'POST' && path === '/2/oauth2/token') {
      return json(res, 200, { token_type: 'bearer', expires_in: 7200, access_token: issue(), refresh_token: issue(), scope: 'tweet.read tweet.write users.read offline.access' });
    }
    if (!authorized(req)) return json(res, 401, { title: 'Unauthorized', status: 401, detail: 'Unauthorized' });
    if (req.method === 'GET' && path === '/2/users/me') return json(res, 200, { data: { id: String(nextId++), name: 'Bench', username: `bench_${tokens.size}` } });
    if (req.method === 'POST' && path === '/2/tweets') {
      const body = JSON.parse(raw) as { text?: string };
      if (!body.text) return json(res, 400, { title: 'Invalid Request', detail: 'text is required' });
      created.x = (created.x ?? 0) + 1;
      const id = String(nextId++);
      return json(res, 201, { data: { id, text: body.text, edit_history_tweet_ids: [id] } });
    }
    return json(res, 404, { title: 'Not Found' });
  }

  let pages = 0;
  function facebook(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, raw: string) {
    const params = req.method === 'POST' ? new URLSearchParams(raw) : query;
    if (req.method === 'GET' && path === '/oauth/access_token') return json(res, 200, { access_token: issue(), token_type: 'bearer', expires_in: 5_184_000 });
    if (!tokens.has(params.get('access_token') ?? '')) return json(res, 400, { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } });
    if (req.method === 'GET' && path === '/me/accounts') {
      const id = String(100_000 + ++pages);
      return json(res, 200, { data: [{ id, name: 'Bench Page', access_token: issue(), instagram_business_account: { id: `178${id}` } }], paging: {} });
    }
    const igUser = /^\/(178\d+)$/.exec(path);
    if (req.method === 'GET' && igUser) return json(res, 200, { id: igUser[1], username: `bench_${igUser[1]}` });
    const igEdge = /^\/(178\d+)\/(media|media_publish)$/.exec(path);
    if (req.method === 'POST' && igEdge) {
      if (igEdge[2] === 'media') {
        if (!params.get('image_url')) return json(res, 400, { error: { message: 'Only photo or video can be accepted as media type.', type: 'OAuthException', code: 9004 } });
        return json(res, 200, { id: `c${String(nextId++)}` });
      }
      if (!params.get('creation_id')?.startsWith('c')) return json(res, 400, { error: { message: 'Media ID is not available', type: 'OAuthException', code: 9007 } });
      created.instagram = (created.instagram ?? 0) + 1;
      return json(res, 200, { id: `m${String(nextId++)}` });
    }
    const igNode = /^\/([cm]\d+)$/.exec(path);
    if (req.method === 'GET' && igNode) {
      return json(res, 200, igNode[1].startsWith('c') ? { id: igNode[1], status_code: 'FINISHED' } : { id: igNode[1], permalink: `https://www.instagram.com/p/${igNode[1]}/` });
    }
    const feed = /^\/(\d+)\/feed$/.exec(path);
    if (req.method === 'POST' && feed) {
      if (!params.get('message')) return json(res, 400, { error: { message: '(#100) Missing message', type: 'OAuthException', code: 100 } });
      created.facebook = (created.facebook ?? 0) + 1;
      return json(res, 200, { id: `${feed[1]}_${String(nextId++)}` });
    }
    const post = /^\/(\d+_\d+)$/.exec(path);
    if (req.method === 'GET' && post) return json(res, 200, { id: post[1], permalink_url: `https://www.facebook.com/${post[1]}` });
    return json(res, 404, { error: { message: 'Unknown path components', type: 'OAuthException', code: 2500 } });
  }

  let organizations = 0;
  function linkedin(req: IncomingMessage, res: ServerResponse, path: string, raw: string) {
    if (req.method === 'POST' && path === '/oauth/v2/accessToken') return json(res, 200, { access_token: issue(), expires_in: 5_184_000, scope: 'w_organization_social,r_organization_social,rw_organization_admin' });
    if (!authorized(req)) return json(res, 401, { status: 401, serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN', message: 'Invalid access token' });
    if (!/^20\d{4}$/.test(String(req.headers['linkedin-version']))) return json(res, 426, { status: 426, code: 'NONEXISTENT_VERSION', message: 'Requested version is not active' });
    if (req.method === 'GET' && path === '/rest/organizationAcls') {
      return json(res, 200, { elements: [{ organization: `urn:li:organization:${++organizations}`, role: 'ADMINISTRATOR', state: 'APPROVED' }] });
    }
    const organization = /^\/rest\/organizations\/(\d+)$/.exec(path);
    if (req.method === 'GET' && organization) return json(res, 200, { id: Number(organization[1]), vanityName: `bench-${organization[1]}`, localizedName: 'Bench' });
    if (req.method === 'POST' && path === '/rest/posts') {
      const body = JSON.parse(raw) as { author?: string; commentary?: string; lifecycleState?: string };
      if (!body.author || !body.commentary || body.lifecycleState !== 'PUBLISHED') return json(res, 422, { status: 422, message: 'ERROR :: /commentary :: field is required' });
      created.linkedin = (created.linkedin ?? 0) + 1;
      res.writeHead(201, { 'x-restli-id': `urn:li:share:${String(nextId++)}` }).end();
      return;
    }
    return json(res, 404, { status: 404, message: 'No virtual resource found' });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const [, network] = /^\/([a-z]+)/.exec(url.pathname) ?? [];
      const path = url.pathname.slice(network ? network.length + 1 : 0);
      try {
        const raw = Buffer.concat(chunks).toString('utf8');
        if (network === 'x') return x(req, res, path, raw);
        if (network === 'facebook') return facebook(req, res, path, url.searchParams, raw);
        if (network === 'linkedin') return linkedin(req, res, path, raw);
        json(res, 404, { error: 'no such network' });
      } catch (error) {
        json(res, 400, { error: (error as Error).message });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    created,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** One post's requests on a network, as plain HTTP (the ceiling): what the receiver takes without us. */
export function ceilingRequest(base: string, network: string, token: string): { url: string; init: RequestInit }[] {
  const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  switch (network) {
    case 'x':
      return [{ url: `${base}/x/2/tweets`, init: { method: 'POST', headers: auth, body: JSON.stringify({ text: 'x'.repeat(240) }) } }];
    case 'facebook': {
      const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
      return [
        { url: `${base}/facebook/100001/feed`, init: { method: 'POST', headers: form, body: new URLSearchParams({ message: 'x'.repeat(240), access_token: token }).toString() } },
        { url: `${base}/facebook/100001_1?fields=permalink_url&access_token=${token}`, init: { method: 'GET' } },
      ];
    }
    case 'instagram': {
      const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
      const post = (edge: string, fields: Record<string, string>) => ({ url: `${base}/facebook/178100001/${edge}`, init: { method: 'POST', headers: form, body: new URLSearchParams({ ...fields, access_token: token }).toString() } });
      return [
        post('media', { image_url: 'https://scheduler.test/media/bench.jpg', caption: 'x'.repeat(240), alt_text: 'A poster' }),
        { url: `${base}/facebook/c1?fields=status_code&access_token=${token}`, init: { method: 'GET' } },
        post('media_publish', { creation_id: 'c1' }),
        { url: `${base}/facebook/m1?fields=permalink&access_token=${token}`, init: { method: 'GET' } },
      ];
    }
    case 'linkedin': {
      const headers = { ...auth, 'LinkedIn-Version': '202511', 'X-Restli-Protocol-Version': '2.0.0' };
      const post = { author: 'urn:li:organization:1', commentary: 'x'.repeat(240), visibility: 'PUBLIC', distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] }, lifecycleState: 'PUBLISHED', isReshareDisabledByAuthor: false };
      return [{ url: `${base}/linkedin/rest/posts`, init: { method: 'POST', headers, body: JSON.stringify(post) } }];
    }
    default:
      throw new Error(`no ceiling request for ${network}`);
  }
}

/** A token the receivers accept, for the ceiling's plain requests (as issued by a token endpoint). */
export async function receiverToken(base: string): Promise<string> {
  const answer = await fetch(`${base}/x/2/oauth2/token`, { method: 'POST', body: 'grant_type=client_credentials' });
  return ((await answer.json()) as { access_token: string }).access_token;
}
