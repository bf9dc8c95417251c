import { translator } from '../i18n/i18n';
import type { Mail } from '../mail/mailer';

/** How long a sign-in link works (issue 11 #6): long enough to reach a mailbox, short enough to be worthless when forwarded later. */
export const SIGN_IN_LINK_MINUTES = 15;

/** The instant a link made at `now` stops working. */
export function linkExpiry(now: Date): Date {
  return new Date(now.getTime() + SIGN_IN_LINK_MINUTES * 60_000);
}

/** Addresses compare without case or surrounding spaces: `Ana@SI.test ` is ana@si.test. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The page a link opens: a confirmation with a button, so that a mail scanner fetching it signs nobody in. */
export function signInLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/login/link?token=${encodeURIComponent(token)}`;
}

/** The e-mail carrying the link, in the recipient's saved language (English when they chose none). */
export function signInLinkMail(to: { name: string; email: string; locale?: string | null }, url: string): Mail {
  const i18n = translator(to.locale);
  return {
    to: to.email,
    subject: i18n.t('mail.signIn.subject'),
    text: [
      i18n.t('mail.greeting', { name: to.name }), '',
      i18n.t('mail.signIn.intro', { minutes: SIGN_IN_LINK_MINUTES }), '',
      url, '',
      i18n.t('mail.signIn.ignore'),
    ].join('\n'),
  };
}
