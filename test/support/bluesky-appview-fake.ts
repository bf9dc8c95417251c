import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** What the AppView counts for a post (zeros until set). */
export interface AppViewCounts { likes: number; reposts: number; replies: number; quotes: number }

/**
 * A Bluesky AppView on loopback, as the lexicons of @atproto/api 0.19.19 and the handler of
 * @atproto/bsky 0.0.221 define it (read 2026-11-30), for the two queries the collector asks:
 * `GET /xrpc/com.atproto.identity.resolveHandle?handle=` → `{did}` (400 `InvalidRequest` "Unable to
 * resolve handle" for an unknown one) and `GET /xrpc/app.bsky.feed.getPosts?uris=…` (at most 25,
 * 400 above) → `{posts: [postView]}` with likeCount, repostCount, replyCount, quoteCount; a URI with
 * a handle in place of the DID, or of a deleted post, is left out of the answer (no error). Public:
 * no Authorization needed. `rateLimit(resetAt)` answers the next request 429 with the RateLimit-*
 * headers (Reset in epoch seconds). Every request is recorded.
 *
 * Why a fake and not @atproto/dev-env's TestNetwork with its `bsky` AppView: that network needs
 * PostgreSQL and Redis, runs the AppView's dataplane, ingester, a second PDS and Ozone, and indexes
 * the firehose asynchronously — far heavier than this 2-core machine shared by six sessions affords
 * per suite, for two read-only queries whose shape the lexicon fixes.
 */
export async function startBlueskyAppViewFake() {
  const requests: { path: string; query: URLSearchParams }[] = [];
  const handles = new Map<string, string>();
  const posts = new Map<string, AppViewCounts>();
  let limitedUntil: Date | null = null;

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://appview.test');
    requests.push({ path: url.pathname, query: url.searchParams });
    if (limitedUntil) {
      const reset = String(Math.ceil(limitedUntil.getTime() / 1000));
      limitedUntil = null;
      return json(res, 429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, { 'RateLimit-Limit': '3000', 'RateLimit-Remaining': '0', 'RateLimit-Reset': reset, 'RateLimit-Policy': '3000;w=300' });
    }
    if (req.method === 'GET' && url.pathname === '/xrpc/com.atproto.identity.resolveHandle') {
      const did = handles.get(url.searchParams.get('handle') ?? '');
      return did ? json(res, 200, { did }) : json(res, 400, { error: 'InvalidRequest', message: 'Unable to resolve handle' });
    }
    if (req.method === 'GET' && url.pathname === '/xrpc/app.bsky.feed.getPosts') {
      const uris = url.searchParams.getAll('uris');
      if (uris.length === 0) return json(res, 400, { error: 'InvalidRequest', message: 'Error: Params must have the property "uris"' });
      if (uris.length > 25) return json(res, 400, { error: 'InvalidRequest', message: 'Error: uris must not have more than 25 elements' });
      const found = uris.filter((uri) => posts.has(uri)).map((uri) => {
        const n = posts.get(uri)!;
        const did = uri.split('/')[2];
        return {
          uri, cid: 'bafyreifake', author: { did, handle: [...handles].find(([, d]) => d === did)?.[0] ?? 'handle.invalid' },
          record: { $type: 'app.bsky.feed.post', text: '…', createdAt: '2021-10-18T08:00:00.000Z' },
          replyCount: n.replies, repostCount: n.reposts, likeCount: n.likes, quoteCount: n.quotes, indexedAt: '2021-10-18T08:00:01.000Z', labels: [],
        };
      });
      return json(res, 200, { posts: found });
    }
    json(res, 501, { error: 'MethodNotImplemented', message: 'Method Not Implemented' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    calls: (method: string) => requests.filter((r) => r.path === `/xrpc/${method}`).length,
    knowHandle: (handle: string, did: string) => void handles.set(handle, did),
    /** The post is indexed with these counts (setting them again replaces them). */
    setCounts: (uri: string, counts: Partial<AppViewCounts>) => void posts.set(uri, { likes: 0, reposts: 0, replies: 0, quotes: 0, ...posts.get(uri), ...counts }),
    deletePost: (uri: string) => void posts.delete(uri),
    rateLimit: (resetAt: Date) => { limitedUntil = resetAt; },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
