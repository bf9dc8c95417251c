import { designationFootnote, designationFootnotes, hasDesignation, memberDisplayName } from './designations';

const kosovo = { code: 'XK', name: { en: 'Kosovo*', sq: 'Kosova*', 'sr-Latn': 'Kosovo*' } };
const bosnia = { code: 'BA', name: { en: 'Bosnia and Herzegovina', bs: 'Bosna i Hercegovina', 'sr-Cyrl-BA': 'Босна и Херцеговина' } };

describe('designationFootnote', () => {
  it('is the EU’s standard wording in English', () => {
    expect(designationFootnote('en')).toBe(
      '*This designation is without prejudice to positions on status, and is in line with UNSCR 1244/1999 and the ICJ Opinion on the Kosovo declaration of independence.',
    );
  });

  it.each(['sq', 'sr-Latn', 'sr-Cyrl', 'bs', 'hr', 'cnr', 'mk', 'bg', 'ro', 'sl'])('has a %s translation naming UNSCR 1244/1999', (locale) => {
    const text = designationFootnote(locale);
    expect(text).not.toBe(designationFootnote('en'));
    expect(text.startsWith('*')).toBe(true);
    expect(text).toContain('1244/1999');
  });

  it('falls back to the parent tag (sr-Cyrl-BA → sr-Cyrl), then to English', () => {
    expect(designationFootnote('sr-Cyrl-BA')).toBe(designationFootnote('sr-Cyrl'));
    expect(designationFootnote('de')).toBe(designationFootnote('en'));
  });
});

describe('memberDisplayName', () => {
  it('gives the name in the locale, its parent, or English', () => {
    expect(memberDisplayName(kosovo, 'sq')).toBe('Kosova*');
    expect(memberDisplayName(bosnia, 'sr-Cyrl-BA')).toBe('Босна и Херцеговина');
    expect(memberDisplayName(bosnia, 'bs-BA')).toBe('Bosna i Hercegovina');
    expect(memberDisplayName(bosnia, 'mk')).toBe('Bosnia and Herzegovina');
    expect(memberDisplayName({ code: 'SEE', name: {} }, 'en')).toBe('SEE');
  });
});

describe('designationFootnotes', () => {
  it('gives one footnote, in the locale, when a shown name carries the designation', () => {
    expect(hasDesignation('Kosovo*')).toBe(true);
    expect(hasDesignation('Kosovo')).toBe(false);
    expect(designationFootnotes(['Albania', 'Kosova*', 'Kosovo*'], 'sq')).toEqual([designationFootnote('sq')]);
    expect(designationFootnotes(['Albania', 'Serbia'], 'en')).toEqual([]);
  });
});
