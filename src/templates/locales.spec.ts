import { intlLocale, isSupportedLocale, pluralCategories } from './locales';
import { LocaleRenderer } from './render';

describe('content locales with a region (Bosnia and Herzegovina’s ijekavian Serbian, sr-Cyrl-BA)', () => {
  it.each(['sr-Cyrl-BA', 'sr-Latn-BA', 'sr-Cyrl', 'bs', 'cnr'])('accepts %s', (locale) => {
    expect(isSupportedLocale(locale)).toBe(true);
  });

  it.each(['sr_Cyrl_BA', 'sr-', 'SR-Cyrl', 'xx-Nowhere-Land', '', 42])('refuses %j', (locale) => {
    expect(isSupportedLocale(locale)).toBe(false);
  });

  it('passes the tag to Intl unchanged and keeps the Serbian plural forms (one, few, other)', () => {
    expect(intlLocale('sr-Cyrl-BA')).toBe('sr-Cyrl-BA');
    expect(pluralCategories('sr-Cyrl-BA').sort()).toEqual(['few', 'one', 'other']);
    const forms = { one: '# година', few: '# године', other: '# година' };
    expect([1, 3, 5, 21].map((n) => new LocaleRenderer('sr-Cyrl-BA').plural(n, forms))).toEqual(['1 година', '3 године', '5 година', '21 година']);
  });

  it('lists plural forms in CLDR’s order, the same on Node 20 and 24+ (whose Intl orders them differently)', () => {
    expect(pluralCategories('sl')).toEqual(['one', 'two', 'few', 'other']);
    expect(pluralCategories('en')).toEqual(['one', 'other']);
  });

  it('writes dates in Cyrillic, as Serbian does', () => {
    expect(new LocaleRenderer('sr-Cyrl-BA').formatDate('2021-10-18')).toBe('18. октобар 2021.');
  });
});
