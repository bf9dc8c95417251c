/**
 * Content locales are BCP 47 tags. Intl needs a few of them spelled out (pitfalls.md §9): Montenegrin
 * formats dates with sr-Latn-ME, and Serbian must always name its script (bare `sr` is Cyrillic).
 */
const INTL_LOCALE: Record<string, string> = {
  cnr: 'sr-Latn-ME',
  'cnr-Latn': 'sr-Latn-ME',
  sr: 'sr-Cyrl',
};

export function intlLocale(locale: string): string {
  return INTL_LOCALE[locale] ?? locale;
}

/** A well-formed tag Intl can format in (its own data or a parent's). */
export function isSupportedLocale(locale: unknown): locale is string {
  if (typeof locale !== 'string' || !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale)) return false;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([intlLocale(locale)]).length > 0;
  } catch {
    return false;
  }
}

/** CLDR's order of plural forms. */
const PLURAL_ORDER = ['zero', 'one', 'two', 'few', 'many', 'other'];

/**
 * The locale's plural forms in CLDR's order: Intl's own order changed between Node 20 (alphabetical)
 * and Node 24, and messages that list the forms must read the same on every supported Node.
 */
export function pluralCategories(locale: string): string[] {
  // Asked once per template when a campaign is checked; building PluralRules loads ICU data each time.
  let categories = pluralCache.get(locale);
  if (!categories) {
    const resolved: string[] = new Intl.PluralRules(intlLocale(locale)).resolvedOptions().pluralCategories;
    categories = [...resolved].sort((a, b) => PLURAL_ORDER.indexOf(a) - PLURAL_ORDER.indexOf(b));
    pluralCache.set(locale, categories);
  }
  return [...categories];
}
const pluralCache = new Map<string, string[]>();
