import { buildCampaign, buildMember, defineCampaign } from '../../test/factories/campaign';
import { localeFileYaml, removeTemplatesFolders, TemplateMediaEntry, writeTemplateFile, writeTemplatesFolder } from '../../test/factories/templates';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { readTemplateMedia } from './template-media';
import { formatTemplateError, loadTemplateSet } from './template-set';

afterAll(removeTemplatesFolders);

const PNG = Buffer.from('89504e470d0a1a0a', 'hex'); // the reader only reads bytes; the import checks the type
const ALT = { en: 'A poster', sl: 'Plakat', sq: 'Një poster' };

/** Slovenia (sl) and Albania (sq): the campaign renders en, sl and sq. */
const campaign = defineCampaign(buildCampaign({
  members: [buildMember(), buildMember({ code: 'AL', name: { en: 'Albania', sq: 'Shqipëria' }, timezone: 'Europe/Tirane', locales: ['sq'], facts: undefined })],
}));
const KEYS = ['cb-1', 'cb-2', 'cb-3', 'va-1', 'va-2'];

function templates(media: TemplateMediaEntry[] | unknown, slMedia?: unknown) {
  const messages = (locale: string) => Object.fromEntries(KEYS.map((key) => [key, { text: `${key} ${locale}` }]));
  const en = { ...messages('en'), 'cb-1': { text: 'cb-1 en', media: media as TemplateMediaEntry[] } };
  const sl = { ...messages('sl'), ...(slMedia ? { 'cb-1': { text: 'cb-1 sl', media: slMedia as TemplateMediaEntry[] } } : {}) };
  const root = writeTemplatesFolder({
    en: localeFileYaml({ locale: 'en', messages: en }),
    sl: localeFileYaml({ locale: 'sl', messages: sl }),
    sq: localeFileYaml({ locale: 'sq', messages: messages('sq') }),
  });
  writeTemplateFile(root, 'visuals/week1.png', PNG);
  return root;
}

describe('readTemplateMedia', () => {
  const dir = join(templates([]), 'test-campaign');

  it('reads each file beside the templates with its alt text per locale and its content hash', () => {
    const { images, problems } = readTemplateMedia([{ file: 'visuals/week1.png', alt: { ...ALT, de: 'unused' } }], dir, ['en', 'sl', 'sq']);
    expect(problems).toEqual([]);
    expect(images).toEqual([{ file: 'visuals/week1.png', data: PNG, sha256: createHash('sha256').update(PNG).digest('hex'), alt: ALT }]);
  });

  it.each([
    ['a missing file', [{ file: 'visuals/week2.png', alt: ALT }], [{ path: 'media[0].file', message: 'visuals/week2.png: no such file' }]],
    ['a file outside the templates folder', [{ file: '../../etc/passwd', alt: ALT }], [{ path: 'media[0].file', message: '../../etc/passwd: must be inside the templates folder' }]],
    ['an absolute path', [{ file: '/etc/passwd', alt: ALT }], [{ path: 'media[0].file', message: '/etc/passwd: must be inside the templates folder' }]],
    ['a folder', [{ file: 'visuals', alt: ALT }], [{ path: 'media[0].file', message: 'visuals: no such file' }]],
    ['a locale without alt text (no fallback to English)', [{ file: 'visuals/week1.png', alt: { en: 'A poster', sl: '  ' } }], [
      { path: 'media[0].alt.sl', message: 'missing: describe visuals/week1.png in sl (the campaign posts this message in sl)' },
      { path: 'media[0].alt.sq', message: 'missing: describe visuals/week1.png in sq (the campaign posts this message in sq)' },
    ]],
    ['no alt map', [{ file: 'visuals/week1.png' }], [{ path: 'media[0].alt', message: 'must be a map of alt text by locale (en, sl, sq) describing visuals/week1.png' }]],
    ['an unknown field', [{ file: 'visuals/week1.png', alt: ALT, caption: 'x' }], [{ path: 'media[0].caption', message: 'unknown field (expected one of: file, alt)' }]],
    ['not a list', { file: 'visuals/week1.png' }, [{ path: 'media', message: 'must be a list of {file, alt}' }]],
  ])('refuses %s', (_, value, problems) => {
    expect(readTemplateMedia(value, dir, ['en', 'sl', 'sq']).problems).toEqual(problems);
  });
});

describe('loadTemplateSet with images', () => {
  it('gives the default locale\'s messages their images, and changes the fingerprint when the image does', () => {
    const root = templates([{ file: 'visuals/week1.png', alt: ALT }]);
    const first = loadTemplateSet(root, campaign);
    expect(first.errors).toEqual([]);
    expect(first.templates!.locales.get('en')!.messages.get('cb-1')!.media.map((m) => m.alt)).toEqual([ALT]);
    expect(first.templates!.locales.get('en')!.messages.get('cb-2')!.media).toEqual([]);
    writeTemplateFile(root, 'visuals/week1.png', Buffer.concat([PNG, Buffer.from([0])]));
    expect(loadTemplateSet(root, campaign).templates!.fingerprint).not.toBe(first.templates!.fingerprint);
  });

  it('names the file, line, message, locale and image of a missing alt text', () => {
    const { templates: set, errors } = loadTemplateSet(templates([{ file: 'visuals/week1.png', alt: { en: 'A poster', sl: 'Plakat' } }]), campaign);
    expect(set).toBeUndefined();
    expect(errors.map(formatTemplateError)).toEqual([
      expect.stringMatching(/test-campaign\/en\.yaml:\d+: messages\.cb-1\.media\[0\]\.alt\.sq: missing: describe visuals\/week1\.png in sq/),
    ]);
  });

  it('names a missing file', () => {
    const { errors } = loadTemplateSet(templates([{ file: 'visuals/week9.png', alt: ALT }]), campaign);
    expect(errors.map(formatTemplateError)).toEqual([expect.stringMatching(/en\.yaml:\d+: messages\.cb-1\.media\[0\]\.file: visuals\/week9\.png: no such file$/)]);
  });

  it('takes images only in the default locale\'s file', () => {
    const { errors } = loadTemplateSet(templates([], [{ file: 'visuals/week1.png', alt: ALT }]), campaign);
    expect(errors.map(formatTemplateError)).toEqual([expect.stringMatching(/sl\.yaml:\d+: messages\.cb-1\.media: images are named in the default locale's file only/)]);
  });
});
