import { reviewHash, reviewOf, saveErrors } from './message-entries';

describe('reviewOf', () => {
  const translation = { text: 'Besedilo {{member}}', short: null };
  const reviewed = { reviewDecision: 'reviewed' as const, reviewHash: reviewHash(translation) };

  it.each([
    ['the default locale is the source', { isDefault: true, translation, fileReviewed: false, edited: false }, 'source'],
    ['no translation falls back', { isDefault: false, translation: null, fileReviewed: false, edited: false }, 'fallback'],
    ['a file translation without reviewedBy needs review', { isDefault: false, translation, fileReviewed: false, edited: false }, 'needs-review'],
    ['the file’s reviewedBy counts for the file’s text', { isDefault: false, translation, fileReviewed: true, edited: false }, 'reviewed'],
    ['an edit voids the file’s reviewedBy', { isDefault: false, translation, fileReviewed: true, edited: true }, 'needs-review'],
    ['a stored review counts for the text it reviewed', { isDefault: false, translation, fileReviewed: false, edited: true, row: reviewed }, 'reviewed'],
    ['a stored review of another text does not', { isDefault: false, translation: { ...translation, text: 'Drugo' }, fileReviewed: false, edited: true, row: reviewed }, 'needs-review'],
    ['a short form changed since the review voids it', { isDefault: false, translation: { ...translation, short: 'Kratko' }, fileReviewed: false, edited: true, row: reviewed }, 'needs-review'],
    ['a translation sent back needs review, even with the file’s reviewedBy', { isDefault: false, translation, fileReviewed: true, edited: false, row: { ...reviewed, reviewDecision: 'returned' as const } }, 'needs-review'],
  ])('%s', (_, input, expected) => {
    expect(reviewOf(input)).toBe(expected);
  });
});

describe('saveErrors', () => {
  it('names the saved field and the line within the submitted text; other errors name templates with their file', () => {
    expect(saveErrors([
      { file: 'templates/x/sl.yaml (edited in the database)', line: 2, column: 4, message: 'messages.cb-1.text: unknown variable "membr"', edited: { locale: 'sl', key: 'cb-1', field: 'text' } },
      { file: 'templates/x/sl.yaml (edited in the database)', line: 1, message: 'messages.cb-1.short: unknown partial "header"', edited: { locale: 'sl', key: 'cb-1', field: 'short' } },
      { file: 'templates/x/hr.yaml', line: 7, message: 'messages.cb-2.text: unknown variable "facts.year"' },
    ], { locale: 'sl', key: 'cb-1' })).toEqual([
      { field: 'text', message: 'line 2, column 5: unknown variable "membr"' },
      { field: 'short', message: 'line 1: unknown partial "header"' },
      { field: 'templates', message: 'templates/x/hr.yaml:7: messages.cb-2.text: unknown variable "facts.year"' },
    ]);
  });
});
