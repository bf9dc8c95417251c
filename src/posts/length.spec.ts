import { countLength, isNetwork, Network, NETWORK_LIMITS } from './length';

const FAMILY = '👨‍👩‍👧‍👦'; // four people joined by three zero-width joiners: 7 code points, 11 UTF-16 units
const THUMBS_UP = '👍'; // one code point outside the BMP: 2 UTF-16 units
const FLAG_MK = '🇲🇰'; // two regional indicators
const LONG_URL = 'https://www.icmpd.org/our-work/projects/natc-see-2021-campaign-page';

describe('countLength', () => {
  describe('on X (twitter-text weighted length)', () => {
    it.each([
      ['280 Cyrillic letters', 'д'.repeat(280), 280],
      ['281 Cyrillic letters', 'д'.repeat(281), 281],
      ['280 Latin letters', 'a'.repeat(280), 280],
      ['Latin letters with diacritics', 'šč žćđ', 6],
      ['10 CJK characters (2 each)', '漢'.repeat(10), 20],
      ['text around a long URL (23 for the URL)', `Read ${LONG_URL} now`, 5 + 23 + 4],
      ['a bare domain (counted as a URL)', 'see example.mk now', 4 + 23 + 4],
      ['an emoji', THUMBS_UP, 2],
      ['a family emoji sequence', FAMILY, 2],
      ['a flag', FLAG_MK, 2],
    ])('counts %s as %i', (_, text, expected) => {
      expect(countLength('x', text)).toBe(expected);
    });

    it('lets 280 Cyrillic characters fit the limit, not 140', () => {
      expect(countLength('x', 'ж'.repeat(280))).toBeLessThanOrEqual(NETWORK_LIMITS.x);
      expect(countLength('x', 'ж'.repeat(281))).toBeGreaterThan(NETWORK_LIMITS.x);
    });
  });

  describe('on Bluesky (graphemes)', () => {
    it.each([
      ['a family emoji', FAMILY, 1],
      ['a flag', FLAG_MK, 1],
      ['a thumbs up', THUMBS_UP, 1],
      ['a combining accent with its letter', 'e\u0301', 1],
      ['Cyrillic text', 'Србија', 6],
      ['a URL, letter by letter', LONG_URL, LONG_URL.length],
    ])('counts %s as %i', (_, text, expected) => {
      expect(countLength('bluesky', text)).toBe(expected);
    });
  });

  describe('on Mastodon (code points)', () => {
    it.each([
      ['a family emoji', FAMILY, 7],
      ['a thumbs up', THUMBS_UP, 1],
      ['a flag', FLAG_MK, 2],
      ['Slovenian text', 'Slovenija: 29 kaznivih dejanj', 29],
      ['a long utm-tagged link as 23', `Več: https://icmpd.org/natc?utm_source=mastodon&utm_medium=social&utm_campaign=natc-see-2027 ${THUMBS_UP}`, 5 + 23 + 2],
      ['a bare domain in full (Mastodon links need a scheme)', 'see example.mk', 14],
    ])('counts %s as %i', (_, text, expected) => {
      expect(countLength('mastodon', text)).toBe(expected);
    });
  });

  describe('on Facebook, Instagram and LinkedIn (UTF-16 units)', () => {
    it.each<[Network, string, number]>([
      ['facebook', FAMILY, 11],
      ['facebook', THUMBS_UP, 2],
      ['facebook', FLAG_MK, 4],
      ['instagram', FAMILY, 11],
      ['linkedin', `${THUMBS_UP} & <b>`, 8],
    ])('counts on %s %j as %i', (network, text, expected) => {
      expect(countLength(network, text)).toBe(expected);
    });
  });

  it('counts an ampersand as one character everywhere (posts are never HTML-escaped)', () => {
    for (const network of ['x', 'bluesky', 'mastodon', 'facebook'] as Network[]) {
      expect(countLength(network, 'a & b')).toBe(5);
    }
  });
});

describe('NETWORK_LIMITS', () => {
  it('holds each network’s own limit', () => {
    expect(NETWORK_LIMITS).toEqual({ x: 280, mastodon: 500, bluesky: 300, instagram: 2200, linkedin: 3000, facebook: 63206 });
  });
});

describe('isNetwork', () => {
  it.each([
    ['x', true],
    ['bluesky', true],
    ['twitter', false],
    ['X', false],
    [42, false],
  ])('answers %j → %s', (value, expected) => {
    expect(isNetwork(value)).toBe(expected);
  });
});
