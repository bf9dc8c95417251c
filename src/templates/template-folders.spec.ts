import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCampaign, defineCampaign } from '../../test/factories/campaign';
import { localeFileYaml, removeTemplatesFolders, writeTemplatesFolder } from '../../test/factories/templates';
import { foldersHolding } from './template-folders';
import { loadTemplateSet } from './template-set';

afterAll(removeTemplatesFolders);

const KEYS = ['cb-1', 'cb-2', 'cb-3', 'va-1', 'va-2'];
const english = (keys = KEYS) => localeFileYaml({ locale: 'en', messages: Object.fromEntries(keys.map((k) => [k, { text: `${k} in {{member}}` }])) });

/** A templates root whose folder `2021` holds every message of the test campaign, and `some` two. */
function root(): string {
  const dir = writeTemplatesFolder({ en: english() }, '2021');
  mkdirSync(join(dir, 'some'));
  writeFileSync(join(dir, 'some', 'en.yaml'), english(['cb-1', 'va-2']));
  return dir;
}

const errorsFor = (templatesRoot: string, overrides: Record<string, unknown>) =>
  loadTemplateSet(templatesRoot, defineCampaign(buildCampaign(overrides))).errors;

describe('foldersHolding', () => {
  it('lists the folders whose default-locale file defines the messages, most first', () => {
    expect(foldersHolding(root(), 'en', KEYS)).toEqual([{ folder: '2021', holds: KEYS }, { folder: 'some', holds: ['cb-1', 'va-2'] }]);
  });

  it('finds nothing under a missing root, and ignores a broken file', () => {
    expect(foldersHolding('/nonexistent/templates', 'en', KEYS)).toEqual([]);
    const dir = root();
    writeFileSync(join(dir, 'some', 'en.yaml'), 'messages: [unclosed');
    expect(foldersHolding(dir, 'en', KEYS)).toEqual([{ folder: '2021', holds: KEYS }]);
  });
});

describe('loadTemplateSet: a campaign whose `templates` folder lacks its messages', () => {
  it('names the key and the folder that holds them when its folder does not exist (a new slug, no `templates`)', () => {
    const dir = root();
    expect(errorsFor(dir, { slug: 'natc-see-2028' })).toEqual([
      { file: '', message: `no folder ${join(dir, 'natc-see-2028')}/: set \`templates: 2021\` (the folder that holds messages cb-1, cb-2, cb-3, … (5))` },
    ]);
  });

  it('names every folder that holds them all', () => {
    const dir = root();
    mkdirSync(join(dir, '2022'));
    writeFileSync(join(dir, '2022', 'en.yaml'), english());
    expect(errorsFor(dir, { slug: 'natc-see-2028' })[0].message).toBe(
      `no folder ${join(dir, 'natc-see-2028')}/: set \`templates:\` to one of 2021, 2022 (the folders that hold messages cb-1, cb-2, cb-3, … (5))`,
    );
  });

  it('says which folders hold some when none holds all', () => {
    const dir = writeTemplatesFolder({ en: english(['cb-1', 'cb-2']) }, 'a');
    expect(errorsFor(dir, { slug: 'natc-see-2028' })[0].message).toBe(`no folder ${join(dir, 'natc-see-2028')}/: no folder holds all 5 messages: ${join(dir, 'a')}/ holds cb-1, cb-2`);
  });

  it('says where to write them when no folder holds any', () => {
    const dir = writeTemplatesFolder({ en: english(['other']) }, 'a');
    expect(errorsFor(dir, { slug: 'natc-see-2028' })[0].message).toBe(
      `no folder ${join(dir, 'natc-see-2028')}/: no folder holds its messages either: write them in ${join(dir, 'natc-see-2028', 'en.yaml')}, or set \`templates\` to the folder that holds them`,
    );
  });

  it('adds the hint to a folder without the default locale', () => {
    const dir = root();
    mkdirSync(join(dir, 'natc-see-2028'));
    expect(errorsFor(dir, { slug: 'natc-see-2028' })).toEqual([
      { file: join(dir, 'natc-see-2028', 'en.yaml'), message: 'missing: the default locale (en) must have every message; set `templates: 2021` (the folder that holds messages cb-1, cb-2, cb-3, … (5))' },
    ]);
  });

  it('names the folders that hold a message its own folder lacks', () => {
    const dir = root();
    expect(errorsFor(dir, { templates: 'some' }).map((e) => e.message)).toEqual([
      `messages.cb-2: missing (used by themes[0].messages[1]); it is in ${join(dir, '2021')}/ (the \`templates\` key names the folder to read)`,
      `messages.cb-3: missing (used by themes[0].messages[2]); it is in ${join(dir, '2021')}/ (the \`templates\` key names the folder to read)`,
      `messages.va-1: missing (used by themes[1].messages[0]); it is in ${join(dir, '2021')}/ (the \`templates\` key names the folder to read)`,
    ]);
  });
});
