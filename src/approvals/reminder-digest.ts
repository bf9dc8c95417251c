import type { Mail } from '../mail/mailer';
import { formatLocalIso } from '../time/local-time';

export interface PendingForReminder {
  id: number;
  campaign: string;
  member: string;
  network: string;
  locale: string;
  timezone: string;
  scheduledAt: string;
  deadline: string;
  text: string;
}

/** One e-mail listing everything that awaits one approver: never one mail per post. */
export function reminderDigest(to: { name: string; email: string; role: string }, posts: PendingForReminder[], publicUrl: string): Mail {
  const lines = posts.map((p) => {
    const firstLine = p.text.split('\n')[0];
    return [
      `- ${formatLocalIso(new Date(p.scheduledAt), p.timezone)} (${p.timezone}) · ${p.member} · ${p.network} · ${p.locale}`,
      `  approve by ${p.deadline}: ${publicUrl}/api/posts/${p.id}`,
      `  ${firstLine.length > 120 ? `${firstLine.slice(0, 119)}…` : firstLine}`,
    ].join('\n');
  });
  const count = posts.length === 1 ? '1 post awaits' : `${posts.length} posts await`;
  return {
    to: to.email,
    subject: `[NATC SEE] ${count} your approval`,
    text: `Dear ${to.name},\n\n${count} your approval as ${to.role}. A post not approved by its time is not published.\n\n${lines.join('\n\n')}\n\nYour queue: ${publicUrl}/api/approvals/pending\n`,
  };
}
