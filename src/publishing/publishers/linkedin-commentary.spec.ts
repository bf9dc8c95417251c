import { linkedinCommentary } from './linkedin-commentary';

describe('linkedinCommentary (little text format)', () => {
  it.each([
    ['plain text stays', 'Konec nekaznovanosti', 'Konec nekaznovanosti'],
    ['reserved characters are escaped', 'Call (24/7) <free> a*b_c~d [1] {x} @me | back\\slash', 'Call \\(24/7\\) \\<free\\> a\\*b\\_c\\~d \\[1\\] \\{x\\} \\@me \\| back\\\\slash'],
    ['a hashtag becomes a template', 'Dan 1 #EndImpunity!', 'Dan 1 {hashtag|\\#|EndImpunity}!'],
    ['Cyrillic hashtags and underscores inside them', '#КрајНаКазнивоста #end_it', '{hashtag|\\#|КрајНаКазнивоста} {hashtag|\\#|end\\_it}'],
    ['a lone # is escaped', 'No. # 5', 'No. \\# 5'],
    ['links keep their characters', 'https://natc.example/a?b=1', 'https://natc.example/a?b=1'],
  ])('%s', (_, text, expected) => {
    expect(linkedinCommentary(text)).toBe(expected);
  });
});
