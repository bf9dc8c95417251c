import { translator } from '../i18n/i18n';
import type { Mail } from '../mail/mailer';
import { networkName } from '../posts/length';
import type { AlertCondition, PostsAtRisk } from './account-alert-rule';

export interface AlertedAccount {
  name: string;
  member: string;
  network: string;
}

/**
 * The mail telling a member's comms staff and the secretariat, in the recipient's own language, that
 * an account must be reconnected before its posts fail: how many approved or pending posts, the first
 * one's time, and the accounts page where it is reconnected.
 */
export function accountAlertMail(to: { name: string; email: string; locale?: string | null }, account: AlertedAccount, condition: AlertCondition, atRisk: PostsAtRisk, publicUrl: string): Mail {
  const i18n = translator(to.locale);
  const dates = new Intl.DateTimeFormat(i18n.intl, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  const when = (iso: string) => `${dates.format(new Date(iso))} UTC`;
  const about = {
    account: account.name, member: account.member, network: networkName(account.network),
    count: atRisk.count, first: atRisk.first ? when(atRisk.first) : '', when: when(condition.failsFrom),
  };
  return {
    to: to.email,
    subject: i18n.t(`mail.accountAlert.${condition.kind}Subject`, about),
    text: [
      i18n.t('mail.greeting', { name: to.name }),
      '',
      i18n.t(`mail.accountAlert.${condition.kind}Intro`, about),
      '',
      i18n.t('mail.accountAlert.howTo'),
      `${publicUrl}/accounts?member=${encodeURIComponent(account.member)}`,
    ].join('\n'),
  };
}
