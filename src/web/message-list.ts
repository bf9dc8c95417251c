import type { Translator } from '../i18n/i18n';
import type { MessageEntry, TranslationReview } from '../messages/message-entries';

/** A review state in the reader's language (ICU select keys cannot hold the hyphen of `needs-review`). */
export function reviewLabel(i18n: Pick<Translator, 't'>, state: TranslationReview): string {
  return i18n.t('editor.review', { state: state === 'needs-review' ? 'needsReview' : state });
}

/** The list page's model: per locale, its messages with their review state, and the counts of each state. */
export function messageList(entries: MessageEntry[], i18n: Pick<Translator, 't'>) {
  const locales = [...new Set(entries.map((e) => e.locale))];
  return locales.map((locale) => {
    const mine = entries.filter((e) => e.locale === locale);
    const count = (state: TranslationReview) => mine.filter((e) => e.review === state).length;
    return {
      locale,
      counts: i18n.t('editor.counts', { reviewed: count('reviewed'), needs: count('needs-review'), fallback: count('fallback') }),
      isSource: mine.every((e) => e.review === 'source'),
      messages: mine.map((e) => ({ ...e, reviewLabel: reviewLabel(i18n, e.review) })),
    };
  });
}
