import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Publisher, PublishMedia, PublishOutcome, PublishRequest } from '../publisher';
import { PlainRequest } from './plain-http';
import { attempt, PublishedAnswer, send } from './webhook.publisher';

/** How often to ask whether an image uploaded for asynchronous processing (202) is ready. */
const PROCESSING_POLL_MS = 250;

/**
 * Mastodon's API: each image `POST /api/v2/media` (multipart `file`, `description` = alt text), then
 * `POST /api/v1/statuses` with their `media_ids`, the account's token and the post's
 * Idempotency-Key. Uploads after a crash or a retry are repeated, which is harmless: the status is
 * created once under its key (a repeated key answers the first status), and media never attached
 * to a status are deleted by the instance (Mastodon removes unattached uploads after a day).
 */
export class MastodonPublisher implements Publisher {
  private readonly base: string;

  constructor(
    instance: string,
    private readonly token: string,
    private readonly timeoutMs: number,
  ) {
    this.base = instance.replace(/\/$/, '');
  }

  async publish(request: PublishRequest): Promise<PublishOutcome> {
    const mediaIds: string[] = [];
    for (const [index, image] of request.media.entries()) {
      const uploaded = await this.upload(image);
      if (typeof uploaded !== 'string') return { ...uploaded, error: `image ${index + 1} of ${request.media.length}: ${uploaded.error}` };
      mediaIds.push(uploaded);
    }
    return send(`${this.base}/api/v1/statuses`, {
      method: 'POST',
      headers: { ...this.auth(), 'Content-Type': 'application/json', 'Idempotency-Key': request.idempotencyKey },
      body: JSON.stringify({ status: request.text, visibility: 'public', ...(mediaIds.length ? { media_ids: mediaIds } : {}) }),
    }, this.timeoutMs, mastodonStatus);
  }

  private auth() {
    return { Authorization: `Bearer ${this.token}` };
  }

  /** The attachment id, or why not. 202: processed in the background; the status must wait for it. */
  private async upload(image: PublishMedia): Promise<string | Extract<PublishOutcome, { kind: 'transient' | 'permanent' }>> {
    const form = new FormData();
    form.append('file', new Blob([await readFile(image.file)], { type: image.mime }), basename(image.file));
    form.append('description', image.alt);
    // Encoded by the WHATWG multipart encoder, sent as bytes like every other request of ours.
    const encoded = new Response(form);
    const body = Buffer.from(await encoded.arrayBuffer());
    const answer = await this.call(`${this.base}/api/v2/media`, { method: 'POST', headers: { ...this.auth(), 'Content-Type': encoded.headers.get('content-type')! }, body });
    if ('kind' in answer) return answer;
    if (answer.status !== 202) return answer.id;
    const deadline = Date.now() + this.timeoutMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, PROCESSING_POLL_MS));
      const check = await this.call(`${this.base}/api/v1/media/${encodeURIComponent(answer.id)}`, { headers: this.auth() });
      if ('kind' in check) return check;
      if (check.status === 200) return check.id;
    }
    return { kind: 'transient', error: `Mastodon still processing media ${answer.id} after ${this.timeoutMs} ms` };
  }

  private async call(url: string, init: PlainRequest): Promise<{ status: number; id: string } | Extract<PublishOutcome, { kind: 'transient' | 'permanent' }>> {
    const answer = await attempt(url, init, this.timeoutMs);
    if ('kind' in answer) return { ...answer, error: `media: ${answer.error}` };
    const id = answer.json?.id;
    if (typeof id !== 'string' && typeof id !== 'number') return { kind: 'transient', error: 'media: the answer named no id' };
    return { status: answer.status, id: String(id) };
  }
}

/** Mastodon answers the Status entity: `id` (a string; a number from some servers) and its page `url`. */
const mastodonStatus: PublishedAnswer = (status) => ({
  url: typeof status?.url === 'string' ? status.url : null,
  id: typeof status?.id === 'string' || typeof status?.id === 'number' ? String(status.id) : null,
});
