import type { Mail } from '../mail/mailer';
import type { PostEntity } from '../posts/post.entity';

/** The mail telling the secretariat and the member's comms that a post failed to go out. */
export function failureAlert(to: { name: string; email: string }, post: PostEntity, campaign: string, error: string, publicUrl: string): Mail {
  return {
    to: to.email,
    subject: `[NATC SEE] Post failed: ${post.member} · ${post.network} · ${post.locale} (${post.scheduledAt})`,
    text: [
      `Dear ${to.name},`,
      '',
      `Post ${post.id} of ${campaign} (${post.member}, ${post.network}, ${post.locale}, due ${post.scheduledAt}) was not published:`,
      `  ${error}`,
      '',
      'The secretariat can send it again (POST /api/posts/:id/retry), or comms staff can post it by hand and',
      'mark it published (POST /api/posts/:id/published).',
      '',
      `${publicUrl}/api/posts/${post.id}`,
    ].join('\n'),
  };
}
