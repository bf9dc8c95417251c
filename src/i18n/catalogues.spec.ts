import { IntlMessageFormat } from 'intl-messageformat';
import { readdirSync } from 'node:fs';
import { CATALOGUE_DIR, readCatalogue, translator, Translator, UI_LOCALES } from './i18n';

/** ICU element types of intl-messageformat's AST (its TYPE enum). */
const ARGUMENT_TYPES = new Set([1, 2, 3, 4, 5, 6, 8]);
const SELECT = 5;
const PLURAL = 6;

interface Element { type: number; value?: unknown; options?: Record<string, { value: Element[] }>; children?: Element[] }

/** Every argument a message uses, and the option keys of each of its plurals and selects. */
function shape(message: string, locale: string) {
  const args = new Set<string>();
  const plurals: string[][] = [];
  const selects: Record<string, string[]> = {};
  const walk = (elements: Element[]) => {
    for (const e of elements) {
      if (ARGUMENT_TYPES.has(e.type) && typeof e.value === 'string') args.add(e.value);
      if (e.type === PLURAL) plurals.push(Object.keys(e.options!).filter((k) => !k.startsWith('=')).sort());
      if (e.type === SELECT) selects[e.value as string] = Object.keys(e.options!).sort();
      for (const option of Object.values(e.options ?? {})) walk(option.value);
      if (e.children) walk(e.children);
    }
  };
  walk(new IntlMessageFormat(message, locale).getAst() as Element[]);
  return { args: [...args].sort(), plurals, selects };
}

const en = readCatalogue('en');

describe('the message catalogues (src/i18n/catalogues)', () => {
  it('has one catalogue per language of the interface, and no other', () => {
    expect(readdirSync(CATALOGUE_DIR).map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual([...UI_LOCALES].sort());
  });

  it('marks English as the source and every catalogue written by us as awaiting national review', () => {
    expect(en.review).toBe('source');
    for (const locale of UI_LOCALES.filter((l) => l !== 'en')) {
      const catalogue = readCatalogue(locale);
      expect({ locale: catalogue.locale, review: catalogue.review }).toEqual({ locale, review: expect.stringMatching(/^(needs-review|reviewed)$/) });
    }
  });

  describe.each(UI_LOCALES.filter((l) => l !== 'en'))('%s', (locale) => {
    const catalogue = readCatalogue(locale);
    const intl = new Translator(locale, {}).intl;
    const categories = new Intl.PluralRules(intl).resolvedOptions().pluralCategories.slice().sort();

    it('has exactly the keys of en', () => {
      expect({ missing: Object.keys(en.messages).filter((k) => !(k in catalogue.messages)), extra: Object.keys(catalogue.messages).filter((k) => !(k in en.messages)) })
        .toEqual({ missing: [], extra: [] });
    });

    it('parses every message as ICU, with the arguments and select cases of en', () => {
      for (const [key, message] of Object.entries(catalogue.messages)) {
        const ours = shape(message, intl);
        const source = shape(en.messages[key], 'en');
        expect({ key, args: ours.args, selects: ours.selects }).toEqual({ key, args: source.args, selects: source.selects });
      }
    });

    it(`gives every plural the categories Intl.PluralRules has for it (${categories.join(', ')})`, () => {
      for (const [key, message] of Object.entries(catalogue.messages)) {
        for (const plural of shape(message, intl).plurals) expect({ key, plural }).toEqual({ key, plural: categories });
      }
    });
  });

  it('plural rules in en too: one and other', () => {
    for (const message of Object.values(en.messages)) for (const plural of shape(message, 'en').plurals) expect(plural).toEqual(['one', 'other']);
  });
});

describe('Translator', () => {
  it.each([
    ['sl', [1, 2, 3, 5, 101], ['1 objava', '2 objavi', '3 objave', '5 objav', '101 objava']],
    ['sr-Latn', [1, 2, 5, 21], ['1 objava', '2 objave', '5 objava', '21 objava']],
    ['sr-Cyrl', [1, 3, 11], ['1 објава', '3 објаве', '11 објава']],
    ['ro', [1, 2, 20], ['1 postare', '2 postări', '20 de postări']],
    ['mk', [1, 2, 21], ['1 објава', '2 објави', '21 објава']],
    ['en', [1, 14], ['1 post', '14 posts']],
  ])('counts posts in %s with its plural rules', (locale, counts, expected) => {
    expect(counts.map((count) => translator(locale).t('calendar.posts', { count }))).toEqual(expected);
  });

  it('formats Montenegrin with sr-Latn-ME and English with day-month order', () => {
    expect(translator('cnr').intl).toBe('sr-Latn-ME');
    expect(translator('en').intl).toBe('en-GB');
    expect(translator('sr-Cyrl').intl).toBe('sr-Cyrl');
  });

  it('falls back to English for an unknown language, and shows an unknown key as itself', () => {
    expect(translator('xx').t('login.title')).toBe('Sign in');
    expect(translator('mk').t('no.such.key')).toBe('no.such.key');
  });
});
