import { createHmac } from 'node:crypto';
import { classifyResponse, Publisher, PublishOutcome, PublishRequest } from '../publisher';
import { exchange, PlainAnswer, PlainRequest, TimeoutError } from './plain-http';

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

/** A 2xx answer: its status and its JSON object (null when none could be read). */
export interface Accepted { status: number; json: Record<string, unknown> | null }

/** One HTTP request: its 2xx answer, or the failure classified (network errors, timeouts and redirects are worth retrying). */
export async function attempt(url: string, init: PlainRequest, timeoutMs: number): Promise<Accepted | Failure> {
  let answer: PlainAnswer;
  try {
    answer = await exchange(url, init, timeoutMs);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { kind: 'transient', error: e instanceof TimeoutError ? e.message : `${e.code ?? e.name}: ${e.message}` };
  }
  // Never followed: the receiver is configured by address, and a redirect could carry the signed post elsewhere.
  if (answer.status >= 300 && answer.status < 400) return { kind: 'transient', error: `HTTP ${answer.status} redirect not followed${answer.headers.location ? ` (to ${answer.headers.location})` : ''}` };
  const verdict = classifyResponse(answer.status, answer.headers['retry-after'] ?? null, Date.now());
  if (verdict === 'published') return { status: answer.status, json: jsonObject(answer.body) };
  const detail = (answer.body ?? '').slice(0, 200);
  return { ...verdict, error: `${verdict.error}${detail ? `: ${detail}` : ''}` };
}

function jsonObject(body: string | null): Record<string, unknown> | null {
  try {
    const value: unknown = body === null ? null : JSON.parse(body);
    return typeof value === 'object' && value !== null ? value as Record<string, unknown> : null;
  } catch {
    return null;
  }
}

/** What a 2xx answer's JSON says about the post: its address and the receiver's id of it. */
export type PublishedAnswer = (answer: Record<string, unknown> | null) => { url: string | null; id: string | null };

/** The webhook contract names only an optional `{url}` in the answer: no id. */
const webhookAnswer: PublishedAnswer = (answer) => ({ url: typeof answer?.url === 'string' ? answer.url : null, id: null });

/** One send of a post, classified; the 2xx answer is read by `published` (the webhook's by default). */
export async function send(url: string, init: PlainRequest, timeoutMs: number, published: PublishedAnswer = webhookAnswer): Promise<PublishOutcome> {
  const answer = await attempt(url, init, timeoutMs);
  if ('kind' in answer) return answer;
  return { kind: 'published', ...published(answer.json) };
}
