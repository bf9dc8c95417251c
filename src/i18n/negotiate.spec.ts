import { chooseUiLocale, matchUiLocale, negotiateLocale } from './negotiate';

describe('matchUiLocale', () => {
  it.each([
    ['sr', 'sr-Cyrl'], ['sr-RS', 'sr-Cyrl'], ['sr-Cyrl-BA', 'sr-Cyrl'], ['sr-Latn', 'sr-Latn'], ['sr-Latn-RS', 'sr-Latn'],
    ['sr-ME', 'sr-Latn'], ['sh', 'sr-Latn'], ['cnr', 'cnr'], ['cnr-ME', 'cnr'], ['mk-MK', 'mk'], ['bg', 'bg'], ['hr-BA', 'hr'],
    ['bs-Cyrl', 'bs'], ['ro-MD', 'ro'], ['sq-XK', 'sq'], ['sl-SI', 'sl'], ['en-GB', 'en'], ['EN', 'en'], ['de-AT', null], ['', null],
  ])('%s → %s', (tag, expected) => {
    expect(matchUiLocale(tag)).toBe(expected);
  });
});

describe('negotiateLocale (Accept-Language)', () => {
  it.each([
    ['mk-MK,mk;q=0.9,en;q=0.8', 'mk'],
    ['de-AT,de;q=0.9,hr;q=0.5,en;q=0.3', 'hr'],
    ['en;q=0.5,bg;q=0.9', 'bg'],
    ['sl;q=0,en', 'en'],
    ['*,sq;q=0.5', 'sq'],
    ['de, fr', null],
    ['ro;q=abc, sl;q=0.1', 'sl'],
    [undefined, null],
  ])('%j → %s', (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });
});

describe('chooseUiLocale', () => {
  it('takes the saved choice first, then the sign-in page’s cookie, then the browser’s, then English', () => {
    expect(chooseUiLocale({ saved: 'bg', cookie: 'sl', acceptLanguage: 'mk' })).toBe('bg');
    expect(chooseUiLocale({ saved: null, cookie: 'sl', acceptLanguage: 'mk' })).toBe('sl');
    expect(chooseUiLocale({ saved: null, cookie: 'klingon', acceptLanguage: 'mk' })).toBe('mk');
    expect(chooseUiLocale({ saved: 'xx', acceptLanguage: 'de' })).toBe('en');
  });
});
