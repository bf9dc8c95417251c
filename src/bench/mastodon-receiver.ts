import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A Mastodon instance on loopback for the media bench, answering as Mastodon's API documents:
 * `POST /api/v2/media` (multipart `file`, `description`) → 200 with the attachment; `POST
 * /api/v1/statuses` (JSON, `media_ids`, `Idempotency-Key`) → 200 with the status, a repeated key
 * answering the first status. It reads every upload as multipart form data, as an instance must.
 * (test/support/mastodon-fake.ts is the tests' richer one; test code is not built into dist.)
 */
export async function startMastodonReceiver(token: string) {
  let uploads = 0;
  let uploadedBytes = 0;
  const statuses = new Map<string, string>();
  const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));

  async function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer) {
    if (req.headers.authorization !== `Bearer ${token}`) return json(res, 401, { error: 'The access token is invalid' });
    if (req.method === 'POST' && req.url === '/api/v2/media') {
      const form = await new Response(raw, { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData().catch(() => null);
      const file = form?.get('file');
      if (!(file instanceof Blob)) return json(res, 422, { error: "Validation failed: File can't be blank" });
      const id = String(++uploads);
      uploadedBytes += file.size;
      return json(res, 200, { id, type: 'image', url: `https://files.mastodon.test/${id}`, description: form!.get('description') });
    }
    if (req.method === 'POST' && req.url === '/api/v1/statuses') {
      const key = String(req.headers['idempotency-key'] ?? '');
      const body = JSON.parse(raw.toString('utf8')) as { status?: string };
      if (!body.status) return json(res, 422, { error: "Validation failed: Text can't be blank" });
      const id = statuses.get(key) ?? String(9000 + statuses.size);
      statuses.set(key, id);
      return json(res, 200, { id, url: `https://mastodon.test/@natc/${id}` });
    }
    json(res, 404, { error: 'Not found' });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => void handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts: () => ({ uploads, uploadedBytes, statuses: statuses.size }),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
