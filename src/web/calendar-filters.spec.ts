import { calendarHref, escapeLike, parseCalendarFilters, textContains, textStart } from './calendar-filters';

describe('parseCalendarFilters', () => {
  it('keeps the given filters and drops blank ones', () => {
    expect(parseCalendarFilters({ member: 'HR', network: '', q: '  hotline ', status: 'in_review' })).toEqual({ member: 'HR', q: 'hotline', status: 'in_review' });
  });

  it.each([
    ['status', { status: 'lost' }],
    ['view', { view: 'table' }],
    ['week', { week: '18.10.2021' }],
    ['q', { q: 'x'.repeat(201) }],
  ])('refuses a bad %s with 400 naming it', (field, query) => {
    expect(() => parseCalendarFilters(query)).toThrow(expect.objectContaining({ response: expect.objectContaining({ errors: [expect.objectContaining({ field })] }) }));
  });
});

describe('calendarHref', () => {
  it('keeps the filters and changes only what a link changes', () => {
    expect(calendarHref('/c', { member: 'HR', q: 'a&b', week: '2021-10-18' }, { week: '2021-10-25' })).toBe('/c?member=HR&q=a%26b&week=2021-10-25');
    expect(calendarHref('/c', { week: '2021-10-18' }, { week: undefined })).toBe('/c');
  });
});

describe('escapeLike and textContains', () => {
  it('searches for % and _ as characters', () => {
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });

  it('lowers both sides on PostgreSQL', () => {
    expect(textContains('p.text', 'Трговина', false)).toEqual({ sql: "lower(p.text) LIKE :q0 ESCAPE '\\'", params: { q0: '%трговина%' } });
  });

  it('asks SQLite for the usual spellings of a word in any script (its LIKE folds ASCII only)', () => {
    expect(Object.values(textContains('p.text', 'трговина', true).params)).toEqual(['%трговина%', '%ТРГОВИНА%', '%Трговина%']);
    expect(textContains('p.text', 'Impunity', true)).toEqual({ sql: "(p.text LIKE :q0 ESCAPE '\\')", params: { q0: '%Impunity%' } });
  });
});

describe('textStart', () => {
  it('keeps a short text whole, on one line', () => {
    expect(textStart('End impunity.\n#EndImpunity')).toBe('End impunity. #EndImpunity');
  });

  it('cuts between graphemes, never inside a flag or a family', () => {
    const text = `${'a'.repeat(9)}🇲🇰👨‍👩‍👧‍👦 and more`;
    expect(textStart(text, 10)).toBe(`${'a'.repeat(9)}🇲🇰…`);
    expect(textStart(text, 11)).toBe(`${'a'.repeat(9)}🇲🇰👨‍👩‍👧‍👦…`);
  });

  it('keeps a combining accent with its letter right at the cut, and cuts plain text of any script by length', () => {
    expect(textStart(`${'a'.repeat(10)}e\u0301 more`, 11)).toBe(`${'a'.repeat(10)}e\u0301…`);
    expect(textStart('Трговија со луѓе', 8)).toBe('Трговија…');
  });
});
