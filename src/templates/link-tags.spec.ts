import { countLength } from '../posts/length';
import { tagLinks } from './link-tags';

const UTM: [string, string][] = [
  ['utm_source', 'twitter'],
  ['utm_medium', 'social'],
  ['utm_campaign', 'natc-see-2027'],
  ['utm_content', 'HR-hr'],
];
const TAGS = 'utm_source=twitter&utm_medium=social&utm_campaign=natc-see-2027&utm_content=HR-hr';

describe('tagLinks', () => {
  it.each([
    ['a link without query', 'Read https://icmpd.org/natc now', `Read https://icmpd.org/natc?${TAGS} now`],
    ['a link with a query, kept as written', 'See https://ex.org/a?q=a%20b&x=+1', `See https://ex.org/a?q=a%20b&x=+1&${TAGS}`],
    ['a fragment, kept after the query', 'https://ex.org/p#part', `https://ex.org/p?${TAGS}#part`],
    ['a query and a fragment', 'https://ex.org/p?lang=hr#part', `https://ex.org/p?lang=hr&${TAGS}#part`],
    ['a host without a path (not normalised to /)', 'http://ex.org', `http://ex.org?${TAGS}`],
    ['trailing punctuation left outside the link', 'Read (https://ex.org/p).', `Read (https://ex.org/p?${TAGS}).`],
    ['two links', 'https://a.org and https://b.org/x', `https://a.org?${TAGS} and https://b.org/x?${TAGS}`],
    ['emoji before the link (UTF-16 indices)', '👍🇲🇰 https://ex.mk/a', `👍🇲🇰 https://ex.mk/a?${TAGS}`],
    ['an HTTPS scheme in capitals', 'HTTPS://EX.ORG/A', `HTTPS://EX.ORG/A?${TAGS}`],
  ])('tags %s', (_, text, expected) => {
    expect(tagLinks(text, UTM)).toBe(expected);
  });

  it.each([
    ['a bare domain (not an http(s) link as written)', 'see example.mk now'],
    ['another scheme', 'ftp://ex.org/file and mailto:info@ex.org'],
    ['no link', 'Ljudje niso naprodaj. #EndImpunity'],
    ['plain text with & < > (never HTML-escaped)', 'Tom & Jerry <b> "x"'],
  ])('leaves %s alone', (_, text) => {
    expect(tagLinks(text, UTM)).toBe(text);
  });

  it('never overrides a utm parameter the link already has, and adds the others', () => {
    expect(tagLinks('https://ex.org/?utm_source=newsletter&id=3', UTM))
      .toBe('https://ex.org/?utm_source=newsletter&id=3&utm_medium=social&utm_campaign=natc-see-2027&utm_content=HR-hr');
  });

  it('is idempotent: a tagged text tagged again is unchanged', () => {
    const once = tagLinks('Read https://ex.org/a?b=1#c', UTM);
    expect(tagLinks(once, UTM)).toBe(once);
  });

  it('encodes values with URLSearchParams', () => {
    expect(tagLinks('https://ex.org', [['utm_content', 'sr-Latn & more']])).toBe('https://ex.org?utm_content=sr-Latn+%26+more');
  });

  it('keeps the X length: any link counts 23 however long its tags make it', () => {
    const text = 'Read https://icmpd.org/natc now';
    const tagged = tagLinks(text, UTM);
    expect(tagged.length).toBeGreaterThan(text.length + 60);
    expect(countLength('x', tagged)).toBe(countLength('x', text));
    expect(countLength('x', tagged)).toBe('Read '.length + 23 + ' now'.length);
  });
});
