import { Publisher, PublishOutcome, PublishRequest } from '../publisher';
import { send } from './webhook.publisher';

/** Mastodon's API: POST /api/v1/statuses with the account's token and the post's Idempotency-Key. */
export class MastodonPublisher implements Publisher {
  constructor(
    private readonly instance: string,
    private readonly token: string,
    private readonly timeoutMs: number,
  ) {}

  publish(request: PublishRequest): Promise<PublishOutcome> {
    return send(`${this.instance.replace(/\/$/, '')}/api/v1/statuses`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json', 'Idempotency-Key': request.idempotencyKey },
      body: JSON.stringify({ status: request.text, visibility: 'public' }),
    }, this.timeoutMs);
  }
}
