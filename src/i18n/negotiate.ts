import { isUiLocale, UiLocale, UI_LOCALES } from './i18n';

/**
 * One BCP 47 tag as a language of the interface, or null. Serbian is Cyrillic unless the tag says
 * Latin (or Montenegro, where Serbian is written in Latin); `sh` (Serbo-Croatian) reads as Serbian
 * Latin; every other language by its primary subtag (`hr-BA` → hr, `bs-Cyrl` → bs).
 */
export function matchUiLocale(tag: string): UiLocale | null {
  const parts = tag.trim().toLowerCase().split(/[-_]/);
  const [language] = parts;
  if (language === 'sr') return parts.includes('latn') || parts.includes('me') ? 'sr-Latn' : 'sr-Cyrl';
  if (language === 'sh') return 'sr-Latn';
  if (language === 'cnr') return 'cnr';
  return UI_LOCALES.find((ui) => ui === language) ?? null;
}

/** Accept-Language by its q-values (RFC 9110 §12.5.4): the best language we have, or null. */
export function negotiateLocale(acceptLanguage: string | undefined): UiLocale | null {
  const ranges = (acceptLanguage ?? '').split(',').map((part, index) => {
    const [tag, ...params] = part.split(';').map((s) => s.trim());
    const q = params.find((p) => /^q=/i.test(p));
    const weight = q ? Number(q.slice(2)) : 1;
    return { tag, weight: Number.isFinite(weight) ? weight : 0, index };
  });
  const ranked = ranges.filter((r) => r.tag && r.tag !== '*' && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const range of ranked) {
    const match = matchUiLocale(range.tag);
    if (match) return match;
  }
  return null;
}

/** The user's saved choice, else the one made on the sign-in page (a cookie), else the browser's, else English. */
export function chooseUiLocale(choice: { saved?: string | null; cookie?: string; acceptLanguage?: string }): UiLocale {
  if (isUiLocale(choice.saved)) return choice.saved;
  if (isUiLocale(choice.cookie)) return choice.cookie;
  return negotiateLocale(choice.acceptLanguage) ?? 'en';
}
