import { createHmac } from 'node:crypto';
import { classifyResponse, Publisher, PublishOutcome, PublishRequest } from '../publisher';

/**
 * POSTs the post as JSON, signed: `X-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`,
 * with the post's `Idempotency-Key`. A JSON `{url}` in a 2xx answer becomes the published URL.
 */
export class WebhookPublisher implements Publisher {
  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs: number,
  ) {}

  async publish(request: PublishRequest): Promise<PublishOutcome> {
    const body = JSON.stringify({
      id: request.postId,
      revision: request.approvedRevision,
      campaign: request.campaign,
      member: request.member,
      network: request.network,
      locale: request.locale,
      text: request.text,
      scheduledAt: request.scheduledAt,
      media: request.media.map(({ url, mime, alt }) => ({ url, mime, alt })),
    });
    const signature = `sha256=${createHmac('sha256', this.secret).update(body, 'utf8').digest('hex')}`;
    return send(this.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': request.idempotencyKey, 'X-Signature-256': signature },
      body,
    }, this.timeoutMs);
  }
}

type Failure = Extract<PublishOutcome, { kind: 'transient' | 'permanent' }>;

/** One HTTP request: its 2xx response, or the failure classified (network errors and timeouts are worth retrying). */
export async function attempt(url: string, init: RequestInit, timeoutMs: number): Promise<Response | Failure> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    return { kind: 'transient', error: e.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : `${e.cause?.code ?? e.name}: ${e.message}` };
  }
  const verdict = classifyResponse(response.status, response.headers.get('retry-after'), Date.now());
  if (verdict === 'published') return response;
  const detail = (await response.text().catch(() => '')).slice(0, 200);
  return { ...verdict, error: `${verdict.error}${detail ? `: ${detail}` : ''}` };
}

/** What a 2xx answer's JSON says about the post: its address and the receiver's id of it. */
export type PublishedAnswer = (answer: Record<string, unknown> | null) => { url: string | null; id: string | null };

/** The webhook contract names only an optional `{url}` in the answer: no id. */
const webhookAnswer: PublishedAnswer = (answer) => ({ url: typeof answer?.url === 'string' ? answer.url : null, id: null });

/** One send of a post, classified; the 2xx answer is read by `published` (the webhook's by default). */
export async function send(url: string, init: RequestInit, timeoutMs: number, published: PublishedAnswer = webhookAnswer): Promise<PublishOutcome> {
  const response = await attempt(url, init, timeoutMs);
  if (!(response instanceof Response)) return response;
  const answer = await response.json().catch(() => null) as Record<string, unknown> | null;
  return { kind: 'published', ...published(answer) };
}
