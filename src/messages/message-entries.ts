import type { CampaignDefinition } from '../campaigns/campaign-definition';
import { campaignLocales, referencedMessages, TemplateError, TemplateSet, textsHash } from '../templates/template-set';
import type { MessageOverrideEntity } from './message-override.entity';

/** `source`: the default locale; `fallback`: no translation, the default locale's text is used. */
export type TranslationReview = 'source' | 'reviewed' | 'needs-review' | 'fallback';

export interface MessageTexts {
  text: string;
  short: string | null;
}

export interface MessageEntry {
  key: string;
  locale: string;
  /** The default locale's texts, as written (templates, not renders). */
  source: MessageTexts;
  /** This locale's texts; null while it falls back to the default locale. */
  translation: MessageTexts | null;
  revision: number;
  review: TranslationReview;
  fallback: boolean;
  /** The text was changed in the browser (stored over the shipped file). */
  edited: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  /** Why the translation was sent back (a review `returned`). */
  reviewComment: string | null;
}

export type OverrideRow = Pick<MessageOverrideEntity, 'locale' | 'messageKey' | 'revision' | 'updatedAt' | 'updatedBy' | 'reviewDecision' | 'reviewHash' | 'reviewedBy' | 'reviewedAt' | 'reviewComment'>;

/** What a review is bound to: the text and short form, so any later edit voids it. */
export function reviewHash(texts: MessageTexts): string {
  return textsHash(texts.text, texts.short);
}

function textsOf(templates: TemplateSet, locale: string, key: string): MessageTexts | null {
  const source = templates.locales.get(locale)?.messages.get(key)?.source;
  return source ? { text: source.text, short: source.short ?? null } : null;
}

/**
 * A translation's review: a stored decision counts while the text is the one it reviewed; else the
 * file's `reviewedBy` (or `review: reviewed`) counts while the text is the file's.
 */
export function reviewOf(input: { isDefault: boolean; translation: MessageTexts | null; fileReviewed: boolean; edited: boolean; row?: Pick<OverrideRow, 'reviewDecision' | 'reviewHash'> }): TranslationReview {
  if (input.isDefault) return 'source';
  if (!input.translation) return 'fallback';
  if (input.row?.reviewDecision && input.row.reviewHash === reviewHash(input.translation)) {
    return input.row.reviewDecision === 'reviewed' ? 'reviewed' : 'needs-review';
  }
  return input.fileReviewed && !input.edited ? 'reviewed' : 'needs-review';
}

/** Every message the campaign uses, in every locale it renders (the default locale first). */
export function messageEntries(campaign: CampaignDefinition, templates: TemplateSet, rows: OverrideRow[]): MessageEntry[] {
  const byKey = new Map(rows.map((r) => [`${r.locale}\0${r.messageKey}`, r]));
  return referencedMessages(campaign).flatMap((key) => campaignLocales(campaign).map((locale) => {
    const template = templates.locales.get(locale)?.messages.get(key);
    const translation = textsOf(templates, locale, key);
    const row = byKey.get(`${locale}\0${key}`);
    const fileReviewed = Boolean(template && !template.edited && !template.needsReview);
    const hasReview = Boolean(row?.reviewDecision && translation && row.reviewHash === reviewHash(translation));
    return {
      key, locale,
      source: textsOf(templates, campaign.defaultLocale, key)!,
      translation,
      revision: row?.revision ?? 0,
      review: reviewOf({ isDefault: locale === campaign.defaultLocale, translation, fileReviewed, edited: template?.edited ?? false, row }),
      fallback: !translation,
      edited: template?.edited ?? false,
      updatedAt: row?.updatedAt ?? null,
      updatedBy: row?.updatedBy ?? null,
      reviewedBy: hasReview ? row!.reviewedBy : (fileReviewed ? template?.reviewedBy ?? null : null),
      reviewedAt: hasReview ? row!.reviewedAt : null,
      reviewComment: hasReview && row!.reviewDecision === 'returned' ? row!.reviewComment : null,
    };
  }));
}

/**
 * A save's template errors as field errors: those in the saved text name its field and the line
 * within the submitted text; any other (another campaign sharing the folder) names `templates`.
 */
export function saveErrors(errors: TemplateError[], saved: { locale: string; key: string }): { field: string; message: string }[] {
  return errors.map((e) => {
    if (e.edited && e.edited.locale === saved.locale && e.edited.key === saved.key) {
      const message = e.message.replace(`messages.${saved.key}.${e.edited.field}: `, '');
      return { field: e.edited.field, message: `line ${e.line ?? 1}${e.column !== undefined ? `, column ${e.column + 1}` : ''}: ${message}` };
    }
    return { field: 'templates', message: `${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}` };
  });
}
