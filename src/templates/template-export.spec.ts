import { parse } from 'yaml';
import { exportLocaleYaml } from './template-export';

const FILE = [
  '# Slovenian, needs national review.',
  'locale: sl',
  'review: needs-review',
  'messages:',
  '  cb-1:',
  '    text: |-',
  '      Prva vrstica.',
  '      {{> footer}}',
  '    short: Kratko {{hashtags}}',
  '    reviewedBy: Ana',
  '  cb-2:',
  '    text: Drugo {{member}}',
  '',
].join('\n');

describe('exportLocaleYaml', () => {
  it('writes an edit over the file, as a block when it has lines, keeping comments and the other messages', () => {
    const yaml = exportLocaleYaml({ file: FILE, locale: 'sl', edits: new Map([['cb-1', { text: 'Nova "vrstica" & znak: #\n{{> footer}}', short: null }]]), reviewedBy: new Map() });
    expect(yaml).toContain('# Slovenian, needs national review.');
    expect(yaml).toContain('    text: |-\n      Nova "vrstica" & znak: #\n      {{> footer}}\n');
    // The short form was removed, and the review was of the old text.
    expect(parse(yaml)).toEqual({ locale: 'sl', review: 'needs-review', messages: { 'cb-1': { text: 'Nova "vrstica" & znak: #\n{{> footer}}' }, 'cb-2': { text: 'Drugo {{member}}' } } });
  });

  it('adds a message the file lacked, and writes a review of the current text as reviewedBy', () => {
    const yaml = exportLocaleYaml({ file: FILE, locale: 'sl', edits: new Map([['cb-3', { text: 'Tretje', short: 'T' }]]), reviewedBy: new Map([['cb-2', 'Maja Kovač (2021-10-05)']]) });
    expect(parse(yaml).messages).toEqual({
      'cb-1': { text: 'Prva vrstica.\n{{> footer}}', short: 'Kratko {{hashtags}}', reviewedBy: 'Ana' },
      'cb-2': { text: 'Drugo {{member}}', reviewedBy: 'Maja Kovač (2021-10-05)' },
      'cb-3': { text: 'Tretje', short: 'T' },
    });
  });

  it('writes a whole file for a locale translated only in the browser', () => {
    const yaml = exportLocaleYaml({ locale: 'sq', edits: new Map([['cb-1', { text: 'Mesazh', short: null }]]), reviewedBy: new Map() });
    expect(parse(yaml)).toEqual({ locale: 'sq', review: 'needs-review', messages: { 'cb-1': { text: 'Mesazh' } } });
  });
});
