import { translator } from '../i18n/i18n';
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

/**
 * One e-mail listing everything that awaits one approver: never one mail per post. In the
 * recipient's saved language (English when they chose none), from the interface's catalogues.
 */
export function reminderDigest(to: { name: string; email: string; role: string; locale?: string | null }, posts: PendingForReminder[], publicUrl: string): Mail {
  const i18n = translator(to.locale);
  const lines = posts.map((p) => {
    const firstLine = p.text.split('\n')[0];
    const deadline = new Intl.DateTimeFormat(i18n.intl, { dateStyle: 'medium', timeStyle: 'short', timeZone: p.timezone }).format(new Date(p.deadline));
    return [
      `- ${formatLocalIso(new Date(p.scheduledAt), p.timezone)} (${p.timezone}) · ${p.member} · ${p.network} · ${p.locale}`,
      `  ${i18n.t('mail.reminder.approveBy', { deadline, url: `${publicUrl}/posts/${p.id}` })}`,
      `  ${firstLine.length > 120 ? `${firstLine.slice(0, 119)}…` : firstLine}`,
    ].join('\n');
  });
  const role = i18n.t('roles', { role: to.role });
  return {
    to: to.email,
    subject: i18n.t('mail.reminder.subject', { count: posts.length }),
    text: [
      i18n.t('mail.greeting', { name: to.name }), '',
      i18n.t('mail.reminder.intro', { count: posts.length, role }), '',
      lines.join('\n\n'), '',
      i18n.t('mail.reminder.queue', { url: `${publicUrl}/approvals` }), '',
    ].join('\n'),
  };
}
