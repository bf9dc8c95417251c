import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface FakeUpload { id: string; description: string; mime: string; filename: string; sha256: string; attachedTo: string | null }
export interface FakeStatus { id: string; key: string | undefined; status: string; mediaIds: string[] }
/** What `GET /api/v1/statuses/:id` counts for a status (zeros until set). */
export interface FakeCounts { favourites: number; reblogs: number; replies: number }

/**
 * A Mastodon instance on loopback, as its API documents it: `POST /api/v2/media` (multipart `file`,
 * `description`) answers 200 with the attachment, or 202 while it is processed (`url: null`, then
 * `GET /api/v1/media/:id` 206 → 200); `POST /api/v1/statuses` takes `media_ids` of unattached
 * uploads (422 otherwise) and honours `Idempotency-Key` (a repeated key gets the first status).
 * `dropNextStatusAfterCreating()`: the status is created, then the connection is cut before the
 * answer, as when the sender crashes or the network fails at that moment.
 * `GET /api/v1/statuses/:id` answers the Status entity with `favourites_count`, `reblogs_count`,
 * `replies_count` (404 `Record not found` once deleted); `rateLimit(resetAt)` answers the next
 * request 429 with Mastodon's X-RateLimit-* headers (Reset is an ISO 8601 time, no Retry-After);
 * `expireToken()` makes the token invalid (401) as a revoked or expired one is.
 */
export async function startMastodonFake(token: string) {
  const uploads: FakeUpload[] = [];
  const statuses: FakeStatus[] = [];
  const requests: { method: string; path: string }[] = [];
  let processAsync = false;
  let dropNextStatus = false;
  let limitedUntil: Date | null = null;
  let tokenValid = true;
  const counts = new Map<string, FakeCounts>();
  const deleted = new Set<string>();
  const polls = new Map<string, number>();

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const attachment = (u: FakeUpload, ready: boolean) => ({ id: u.id, type: 'image', url: ready ? `https://files.mastodon.test/${u.id}.png` : null, description: u.description });

  async function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer) {
    requests.push({ method: req.method!, path: req.url! });
    if (limitedUntil) {
      res.writeHead(429, { 'Content-Type': 'application/json', 'X-RateLimit-Limit': '300', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': limitedUntil.toISOString() });
      limitedUntil = null;
      return res.end(JSON.stringify({ error: 'Too many requests' }));
    }
    if (!tokenValid || req.headers.authorization !== `Bearer ${token}`) return json(res, 401, { error: 'The access token is invalid' });
    const read = /^\/api\/v1\/statuses\/(\w+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && read) {
      const status = statuses.find((s) => s.id === read[1] && !deleted.has(s.id));
      if (!status) return json(res, 404, { error: 'Record not found' });
      const n = counts.get(status.id) ?? { favourites: 0, reblogs: 0, replies: 0 };
      return json(res, 200, {
        id: status.id, created_at: '2021-10-18T08:00:00.000Z', visibility: 'public', url: `https://mastodon.test/@natc/${status.id}`,
        content: `<p>${status.status}</p>`, replies_count: n.replies, reblogs_count: n.reblogs, favourites_count: n.favourites,
      });
    }
    if (req.method === 'POST' && req.url === '/api/v2/media') {
      const form = await new Response(raw, { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData().catch(() => null);
      const file = form?.get('file');
      if (!(file instanceof Blob)) return json(res, 422, { error: 'Validation failed: File can\'t be blank' });
      const bytes = Buffer.from(await file.arrayBuffer());
      const upload: FakeUpload = {
        id: String(100 + uploads.length), description: String(form!.get('description') ?? ''), mime: file.type,
        filename: (file as File).name, sha256: createHash('sha256').update(bytes).digest('hex'), attachedTo: null,
      };
      uploads.push(upload);
      return processAsync ? json(res, 202, attachment(upload, false)) : json(res, 200, attachment(upload, true));
    }
    const media = /^\/api\/v1\/media\/(\w+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && media) {
      const upload = uploads.find((u) => u.id === media[1]);
      if (!upload) return json(res, 404, { error: 'Record not found' });
      const n = (polls.get(upload.id) ?? 0) + 1;
      polls.set(upload.id, n);
      return n < 2 ? json(res, 206, attachment(upload, false)) : json(res, 200, attachment(upload, true));
    }
    if (req.method === 'POST' && req.url === '/api/v1/statuses') {
      const body = JSON.parse(raw.toString('utf8'));
      const key = req.headers['idempotency-key'] as string | undefined;
      const earlier = key && statuses.find((s) => s.key === key);
      if (earlier) return json(res, 200, { id: earlier.id, url: `https://mastodon.test/@natc/${earlier.id}` });
      const mediaIds: string[] = (body.media_ids ?? []).map(String);
      const usable = mediaIds.every((id) => uploads.some((u) => u.id === id && u.attachedTo === null && (!processAsync || (polls.get(id) ?? 0) >= 2)));
      if (!usable) return json(res, 422, { error: 'Validation failed: Media attachments are invalid or still processing' });
      const status: FakeStatus = { id: String(9000 + statuses.length), key, status: body.status, mediaIds };
      statuses.push(status);
      for (const id of mediaIds) uploads.find((u) => u.id === id)!.attachedTo = status.id;
      if (dropNextStatus) {
        dropNextStatus = false;
        return req.socket.destroy();
      }
      return json(res, 200, { id: status.id, url: `https://mastodon.test/@natc/${status.id}` });
    }
    json(res, 404, { error: 'Not found' });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => void handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    uploads,
    statuses,
    requests,
    processInBackground(on: boolean) {
      processAsync = on;
    },
    dropNextStatusAfterCreating() {
      dropNextStatus = true;
    },
    setCounts(statusId: string, figures: FakeCounts) {
      counts.set(statusId, figures);
    },
    deleteStatus(statusId: string) {
      deleted.add(statusId);
    },
    rateLimit(resetAt: Date) {
      limitedUntil = resetAt;
    },
    expireToken() {
      tokenValid = false;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
