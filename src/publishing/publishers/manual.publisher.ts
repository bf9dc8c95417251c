import { translator } from '../../i18n/i18n';
import type { Mail, Mailer } from '../../mail/mailer';
import { Publisher, PublishOutcome, PublishRequest } from '../publisher';

export interface HandOverRecipient {
  name: string;
  email: string;
  /** The recipient's saved interface language; English when they chose none. */
  locale?: string | null;
}

/**
 * "Post this now", in the recipient's language: the text to post exactly as approved, and the web
 * page of the post where they mark it published (staff use the web, not the API).
 */
export function handOverMail(to: HandOverRecipient, request: PublishRequest, publicUrl: string): Mail {
  const i18n = translator(to.locale);
  const about = { member: request.member, network: request.network, locale: request.locale, when: request.scheduledAt };
  return {
    to: to.email,
    subject: i18n.t('mail.manual.subject', about),
    text: [
      i18n.t('mail.greeting', { name: to.name }),
      '',
      i18n.t('mail.manual.intro', about),
      `${publicUrl}/posts/${request.postId}`,
      '',
      '----',
      request.text,
      '----',
      // By hand, the images and their alt text must go up too: the approval covered them.
      ...(request.media.length ? ['', i18n.t('mail.manual.images'), ...request.media.map((m) => `- ${m.url}\n  ${m.alt}`)] : []),
    ].join('\n'),
  };
}

/** Hand-posted channels: at the due time the member's comms staff get the text and a link. */
export class ManualPublisher implements Publisher {
  constructor(
    private readonly mailer: Mailer,
    private readonly recipients: HandOverRecipient[],
    private readonly publicUrl: string,
  ) {}

  async publish(request: PublishRequest): Promise<PublishOutcome> {
    if (this.recipients.length === 0) return { kind: 'handed-over', detail: `no comms user of ${request.member} has an e-mail address` };
    for (const to of this.recipients) await this.mailer.send(handOverMail(to, request, this.publicUrl));
    return { kind: 'handed-over', detail: `mailed to ${this.recipients.length} comms user(s)` };
  }
}
