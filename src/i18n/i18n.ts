import { IntlMessageFormat } from 'intl-messageformat';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { intlLocale } from '../templates/locales';

/** The languages of the interface and the e-mails; en is the source every catalogue translates. */
export const UI_LOCALES = ['en', 'sq', 'bs', 'hr', 'sr-Cyrl', 'sr-Latn', 'cnr', 'mk', 'bg', 'ro', 'sl'] as const;
export type UiLocale = (typeof UI_LOCALES)[number];

/** What the switcher shows: each language in its own words, the same on every page. */
export const LANGUAGE_NAMES: Record<UiLocale, string> = {
  en: 'English', sq: 'Shqip', bs: 'Bosanski', hr: 'Hrvatski', 'sr-Cyrl': 'Српски (ћирилица)', 'sr-Latn': 'Srpski (latinica)',
  cnr: 'Crnogorski', mk: 'Македонски', bg: 'Български', ro: 'Română', sl: 'Slovenščina',
};

/** The same folder from src/i18n (tests) and dist/i18n (the build): catalogues are not compiled by tsc. */
export const CATALOGUE_DIR = resolve(__dirname, '../../src/i18n/catalogues');

export function isUiLocale(value: unknown): value is UiLocale {
  return typeof value === 'string' && (UI_LOCALES as readonly string[]).includes(value);
}

export interface Catalogue {
  locale: string;
  /** `source` (en), `needs-review` (written by us, awaiting national review) or `reviewed`. */
  review: string;
  /** Flat keys (`login.title`) to ICU MessageFormat strings. */
  messages: Record<string, string>;
}

/** Nested YAML (keys by page) as flat dotted keys; a leaf must be a string. */
export function flattenMessages(tree: unknown, prefix = ''): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') flat[path] = value;
    else if (value && typeof value === 'object') Object.assign(flat, flattenMessages(value, path));
    else throw new Error(`${path}: a message must be a string`);
  }
  return flat;
}

export function readCatalogue(locale: string, dir = CATALOGUE_DIR): Catalogue {
  const file = parse(readFileSync(join(dir, `${locale}.yaml`), 'utf8')) as { locale: string; review: string; messages: unknown };
  return { locale: file.locale, review: file.review, messages: flattenMessages(file.messages) };
}

/**
 * One language's messages, formatted with ICU MessageFormat (plural categories from
 * Intl.PluralRules of that language, so Slovenian gets its dual and Serbian its `few`). A key the
 * catalogue lacks falls back to English; a key English lacks too is shown as the key itself, which
 * the catalogue tests catch before anyone sees it.
 */
export class Translator {
  /**
   * The tag to give Intl: Montenegrin formats as sr-Latn-ME (pitfalls.md §9); English as en-GB, the
   * day-month order and 24-hour clock of a European network, not en's US defaults.
   */
  readonly intl: string;
  private readonly compiled = new Map<string, IntlMessageFormat>();

  constructor(readonly locale: UiLocale, private readonly messages: Record<string, string>, private readonly fallback?: Translator) {
    this.intl = locale === 'en' ? 'en-GB' : intlLocale(locale);
  }

  has(key: string): boolean {
    return key in this.messages || (this.fallback?.has(key) ?? false);
  }

  t(key: string, args: Record<string, unknown> = {}): string {
    if (!(key in this.messages)) return this.fallback ? this.fallback.t(key, args) : key;
    let format = this.compiled.get(key);
    if (!format) {
      format = new IntlMessageFormat(this.messages[key], this.intl);
      this.compiled.set(key, format);
    }
    return String(format.format(args as Record<string, string | number>));
  }
}

const translators = new Map<UiLocale, Translator>();

/** The translator of a language (catalogues are read once); anything unknown gets English. */
export function translator(locale: string | null | undefined): Translator {
  const ui: UiLocale = isUiLocale(locale) ? locale : 'en';
  let found = translators.get(ui);
  if (!found) {
    const fallback = ui === 'en' ? undefined : translator('en');
    found = new Translator(ui, readCatalogue(ui).messages, fallback);
    translators.set(ui, found);
  }
  return found;
}
