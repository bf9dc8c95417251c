import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ANSWER_LIMIT_BYTES } from './plain-http';
import { attempt } from './webhook.publisher';

/** A receiver on loopback: what it was asked (path, body) and how many connections it saw. */
async function receiver(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const requests: { path: string; body: string; length: string | undefined }[] = [];
  let connections = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
      requests.push({ path: req.url!, body: Buffer.concat(chunks).toString('utf8'), length: req.headers['content-length'] });
      answer(req, res);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, requests, connections: () => connections,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

type Receiver = Awaited<ReturnType<typeof receiver>>;
const post = (body: string) => ({ method: 'POST' as const, headers: { 'Content-Type': 'application/json' }, body });

describe('attempt (one publisher request over node:http)', () => {
  let hook: Receiver | undefined;
  afterEach(async () => {
    await hook?.close();
    hook = undefined;
  });

  it('answers a 2xx with its JSON, having sent the exact bytes given', async () => {
    hook = await receiver((_req, res) => res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"url":"https://example.org/p/1"}'));
    const body = JSON.stringify({ text: 'Trgovina z ljudmi — ne! 🚫' });
    expect(await attempt(`${hook.url}/hook`, post(body), 2000)).toEqual({ status: 201, json: { url: 'https://example.org/p/1' } });
    expect(hook.requests).toEqual([{ path: '/hook', body, length: String(Buffer.byteLength(body)) }]);
  });

  it('reads no JSON from a 2xx that is not a JSON object', async () => {
    hook = await receiver((_req, res) => res.writeHead(200).end('ok'));
    expect(await attempt(hook.url, post('{}'), 2000)).toEqual({ status: 200, json: null });
  });

  it('refuses a redirect (worth retrying) and never asks where it points', async () => {
    hook = await receiver((req, res) => (req.url === '/hook' ? res.writeHead(302, { Location: '/elsewhere' }).end() : res.writeHead(200).end('{}')));
    expect(await attempt(`${hook.url}/hook`, post('{}'), 2000)).toEqual({ kind: 'transient', error: 'HTTP 302 redirect not followed (to /elsewhere)' });
    await new Promise((r) => setTimeout(r, 50));
    expect(hook.requests.map((r) => r.path)).toEqual(['/hook']);
  });

  it('gives up when no answer comes within the timeout', async () => {
    hook = await receiver(() => undefined);
    const started = Date.now();
    expect(await attempt(hook.url, post('{}'), 200)).toEqual({ kind: 'transient', error: 'timed out after 200 ms' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('counts the time reading the answer in the timeout: a 2xx whose body never ends has no JSON', async () => {
    hook = await receiver((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).write('{"url":'));
    const started = Date.now();
    expect(await attempt(hook.url, post('{}'), 200)).toEqual({ status: 200, json: null });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('names the network error when nothing listens', async () => {
    const gone = await receiver(() => undefined);
    await gone.close();
    expect(await attempt(gone.url, post('{}'), 2000)).toEqual({ kind: 'transient', error: expect.stringMatching(/^ECONNREFUSED: /) });
  });

  it('takes a 429 as worth retrying after its Retry-After, with the answer as detail', async () => {
    hook = await receiver((_req, res) => res.writeHead(429, { 'Retry-After': '7' }).end('slow down'));
    expect(await attempt(hook.url, post('{}'), 2000)).toEqual({ kind: 'transient', error: 'HTTP 429: slow down', retryAfterMs: 7000 });
  });

  it('keeps 200 characters of a failure answer', async () => {
    hook = await receiver((_req, res) => res.writeHead(500).end('é'.repeat(150) + 'x'.repeat(500)));
    expect(await attempt(hook.url, post('{}'), 2000)).toEqual({ kind: 'transient', error: `HTTP 500: ${'é'.repeat(150)}${'x'.repeat(50)}`, retryAfterMs: undefined });
  });

  it('stops reading an answer larger than the limit, and drops that connection', async () => {
    let closed = false;
    hook = await receiver((_req, res) => {
      res.on('close', () => (closed = true));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pour = () => { while (!closed && res.write(chunk)); };
      res.on('drain', pour);
      pour();
    });
    const started = Date.now();
    expect(await attempt(hook.url, post('{}'), 10_000)).toEqual({ status: 200, json: null });
    expect(Date.now() - started).toBeLessThan(3000);
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(true);
    expect(ANSWER_LIMIT_BYTES).toBe(1024 * 1024);
  });

  it('reuses one connection for sequential sends, failure answers included (keep-alive)', async () => {
    hook = await receiver((req, res) => res.writeHead(req.url === '/fail' ? 503 : 200, { 'Content-Type': 'application/json' }).end('{}'));
    for (const path of ['/a', '/fail', '/b', '/fail', '/c']) await attempt(`${hook.url}${path}`, post('{}'), 2000);
    expect(hook.requests).toHaveLength(5);
    expect(hook.connections()).toBe(1);
  });
});
