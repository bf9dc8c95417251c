import type { Mailer } from '../../mail/mailer';
import { Publisher, PublishOutcome, PublishRequest } from '../publisher';

/** Hand-posted channels: at the due time the member's comms staff get the text and a link. */
export class ManualPublisher implements Publisher {
  constructor(
    private readonly mailer: Mailer,
    private readonly recipients: { name: string; email: string }[],
    private readonly publicUrl: string,
  ) {}

  async publish(request: PublishRequest): Promise<PublishOutcome> {
    if (this.recipients.length === 0) return { kind: 'handed-over', detail: `no comms user of ${request.member} has an e-mail address` };
    for (const to of this.recipients) {
      await this.mailer.send({
        to: to.email,
        subject: `[NATC SEE] Post now: ${request.member} · ${request.network} · ${request.locale}`,
        text: [
          `Dear ${to.name},`,
          '',
          `This ${request.network} post of ${request.member} is due now (${request.scheduledAt}). Post it by hand, exactly as below,`,
          `then mark it published with its URL: POST ${this.publicUrl}/api/posts/${request.postId}/published {"revision": …, "url": …}`,
          '',
          '----',
          request.text,
          '----',
          '',
          `${this.publicUrl}/api/posts/${request.postId}`,
        ].join('\n'),
      });
    }
    return { kind: 'handed-over', detail: `mailed to ${this.recipients.length} comms user(s)` };
  }
}
