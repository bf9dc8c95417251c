import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportCommand, unwritable } from './report';

describe('the report command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a new file, or over an existing one, in a folder that exists', () => {
    expect(unwritable(join(dir, 'report.pdf'))).toBeNull();
    writeFileSync(join(dir, 'old.pdf'), '');
    expect(unwritable(join(dir, 'old.pdf'))).toBeNull();
  });

  it('says why a path cannot be written: no such folder, a folder in its place', () => {
    expect(unwritable(join(dir, 'missing', 'report.pdf'))).toBe(`the folder ${join(dir, 'missing')} does not exist`);
    expect(unwritable(dir)).toBe(`${dir} is a folder, not a file`);
  });

  it('asks for a slug, a file, and a language the interface has, before opening anything', () => {
    expect(reportCommand.check(undefined, { pdf: 'a.pdf' })).toBe('missing the campaign slug');
    expect(reportCommand.check('natc', {})).toMatch(/needs --pdf <file> or --csv <file>/);
    expect(reportCommand.check('natc', { pdf: join(dir, 'a.pdf'), lang: 'de' })).toMatch(/^--lang must be one of en, sq/);
    expect(reportCommand.check('natc', { csv: join(dir, 'nope', 'a.csv') })).toBe(`--csv ${join(dir, 'nope', 'a.csv')}: the folder ${join(dir, 'nope')} does not exist`);
    expect(reportCommand.check('natc', { pdf: join(dir, 'a.pdf'), csv: join(dir, 'a.csv'), lang: 'mk' })).toBeNull();
  });
});
