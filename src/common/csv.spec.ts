import { csvLine, neutraliseFormula } from './csv';

describe('neutraliseFormula (OWASP CSV injection)', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `'=HYPERLINK("http://evil.example","x")`],
    ['+381 11 123', "'+381 11 123"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
  ])('prefixes %j with a single quote', (text, expected) => {
    expect(neutraliseFormula(text)).toBe(expected);
  });

  it.each(['Nekaznovanost', '#EndImpunity', '2021-10-29T10:00:00+02:00', '', ' =not first', "'already quoted"])('keeps %j as it is', (text) => {
    expect(neutraliseFormula(text)).toBe(text);
  });
});

describe('csvLine', () => {
  it('neutralises text cells but not our own numbers, negative ones included', () => {
    expect(csvLine([42, -3, '=1+1', 'SI', null])).toBe("42,-3,'=1+1,SI,\r\n");
  });

  it('quotes a neutralised cell that holds a quote, comma or line break', () => {
    expect(csvLine(['=HYPERLINK("a","b")'])).toBe(`"'=HYPERLINK(""a"",""b"")"\r\n`);
    expect(csvLine(['\rline'])).toBe(`"'\rline"\r\n`);
  });
});
