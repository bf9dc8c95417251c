import { translator } from '../i18n/i18n';
import type { Mail } from '../mail/mailer';
import type { PostEntity } from '../posts/post.entity';

/**
 * The mail telling the secretariat and the member's comms that a post failed to go out, or went out
 * with an unknown outcome (`unconfirmed`: a person checks the account), in the recipient's saved
 * language (English when they chose none). The error is the network's own words;
 * the link opens the post's web page, where staff retry, mark it published or send it again.
 */
export function failureAlert(to: { name: string; email: string; locale?: string | null }, post: PostEntity, campaign: string, error: string, publicUrl: string, kind: 'failure' | 'unconfirmed' = 'failure'): Mail {
  const i18n = translator(to.locale);
  const about = { id: post.id, campaign, member: post.member, network: post.network, locale: post.locale, when: post.scheduledAt };
  return {
    to: to.email,
    subject: i18n.t(`mail.${kind}.subject`, about),
    text: [
      i18n.t('mail.greeting', { name: to.name }),
      '',
      i18n.t(`mail.${kind}.intro`, about),
      `  ${error}`,
      '',
      i18n.t(`mail.${kind}.howTo`),
      `${publicUrl}/posts/${post.id}`,
    ].join('\n'),
  };
}
