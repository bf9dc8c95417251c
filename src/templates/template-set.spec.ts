import { buildCampaign, buildMember, defineCampaign } from '../../test/factories/campaign';
import { LocaleFile, localeFileYaml, removeTemplatesFolders, writeTemplatesFolder } from '../../test/factories/templates';
import type { CampaignDefinition } from '../campaigns/campaign-definition';
import { MessageRenderer } from './message-renderer';
import { LocaleRenderer } from './render';
import { formatTemplateError, loadTemplateSet, TemplateError } from './template-set';

afterAll(removeTemplatesFolders);

/** Slovenia (sl, with facts) and Albania (sq, without facts); messages cb-1..3 and va-1..2. */
const campaign: CampaignDefinition = defineCampaign(
  buildCampaign({
    members: [
      buildMember(),
      buildMember({ code: 'AL', name: { en: 'Albania', sq: 'Shqipëria' }, timezone: 'Europe/Tirane', locales: ['sq'], facts: undefined }),
    ],
  }),
);
const [slovenia, albania] = campaign.members;
const MESSAGE_KEYS = ['cb-1', 'cb-2', 'cb-3', 'va-1', 'va-2'];

function messages(text: (key: string) => string, overrides: LocaleFile['messages'] = {}): LocaleFile['messages'] {
  return { ...Object.fromEntries(MESSAGE_KEYS.map((key) => [key, { text: text(key) }])), ...overrides };
}
const english = (overrides: LocaleFile['messages'] = {}) => localeFileYaml({ locale: 'en', messages: messages((k) => `${k} in {{member}}`, overrides) });
const slovenian = (overrides: LocaleFile['messages'] = {}) => localeFileYaml({ locale: 'sl', messages: messages((k) => `${k} v {{member}}`, overrides) });

function load(files: Record<string, string>) {
  return loadTemplateSet(writeTemplatesFolder(files), campaign);
}

function errorsOf(files: Record<string, string>): TemplateError[] {
  const { templates, errors } = load(files);
  expect(templates).toBeUndefined();
  return errors;
}

function renderer(files: Record<string, string>): MessageRenderer {
  const { templates, errors } = load(files);
  if (!templates) throw new Error(errors.map(formatTemplateError).join('\n'));
  return new MessageRenderer(campaign, templates);
}

const request = { member: slovenia, locale: 'sl', message: 'cb-1', theme: 'capacity-building', date: '2021-10-29', network: 'facebook' as const };

/** A Slovenian file whose cb-1 text (a block scalar: its content starts on file line 8) is given. */
const slovenianWithBlock = (textLines: string[]) =>
  ['locale: sl', 'review: needs-review', 'themes:', '  capacity-building: Krepitev zmogljivosti', 'messages:', '  cb-1:', '    text: |-', ...textLines.map((l) => `      ${l}`), ''].join('\n');

describe('loadTemplateSet', () => {
  describe('reports template errors with file and line', () => {
    it.each([
      ['a mismatched block', ['Prva vrstica je v redu.', '{{#if facts.offences}}druga{{/each}}'], 9, /^messages\.cb-1\.text: Handlebars: if doesn't match each$/],
      ['an unclosed mustache', ['Prva vrstica.', 'Druga vrstica.', 'Tretja {{member'], 10, /^messages\.cb-1\.text: Handlebars: Parse error on line 3:/],
      ['an unknown variable {{membr}}', ['Prva vrstica.', 'Pozdrav {{membr}}'], 9, /^messages\.cb-1\.text: unknown variable "membr" \(known: member, date, theme, hashtags, facts, facts\.year, facts\.offences, facts\.perpetrators\)$/],
      ['an unknown helper', ['{{shout member}}'], 8, /^messages\.cb-1\.text: Handlebars: You specified knownHelpersOnly, but used the unknown helper shout$/],
      ['an unknown partial', ['Besedilo', '', '{{> header}}'], 10, /^messages\.cb-1\.text: unknown partial "header"$/],
      ['a misspelt variable behind this.', ['{{this.membr}}'], 8, /^messages\.cb-1\.text: unknown variable "membr"/],
      ['a misspelt variable behind @root.', ['{{@root.membr}}'], 8, /^messages\.cb-1\.text: unknown variable "membr"/],
      ['a block that changes the context', ['{{#with facts}}x{{/with}}'], 8, /^messages\.cb-1\.text: unknown helper "with"$/],
      ['formatDate of a variable', ['{{formatDate date}}'], 8, /^messages\.cb-1\.text: formatDate takes one quoted date/],
      ['formatDate of an impossible date', ['{{formatDate "2021-13-45"}}'], 8, /^messages\.cb-1\.text: formatDate takes one quoted date/],
    ])('reports %s on the file line of the block scalar', (_, lines, line, message) => {
      const errors = errorsOf({ en: english(), sl: slovenianWithBlock(lines) });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ file: expect.stringMatching(/test-campaign[/\\]sl\.yaml$/), line, message: expect.stringMatching(message) });
    });

    it('reports malformed YAML with its file line', () => {
      const [error] = errorsOf({ en: english(), sl: 'locale: sl\nmessages:\n  cb-1:\n    text: "Pozdrav" svet\n' });
      expect([error.line, error.message]).toEqual([4, 'malformed YAML: Unexpected scalar at node end']);
    });

    it('reports an unknown variable in a one-line text on the line of its key, with the column', () => {
      const source = ['locale: sl', 'messages:', '  cb-1:', '    text: "Pozdrav {{membr}}"', ''].join('\n');
      const [error] = errorsOf({ en: english(), sl: source });
      expect([error.line, error.column]).toEqual([4, 10]);
      expect(formatTemplateError(error)).toMatch(/sl\.yaml:4:11: messages\.cb-1\.text: unknown variable "membr"/);
    });

    it('lists every problem of every file at once', () => {
      const errors = errorsOf({
        en: english({ 'cb-2': { text: '{{unknownThing}}' } }),
        sl: slovenian({ 'cb-1': { text: '{{membr}}' }, 'cb-3': { text: '{{> header}}' } }),
      });
      expect(errors.map((e) => `${e.file.replace(/^.*[/\\]/, '')} ${e.message.replace(/ \(known.*$/, '')}`)).toEqual([
        'en.yaml messages.cb-2.text: unknown variable "unknownThing"',
        'sl.yaml messages.cb-1.text: unknown variable "membr"',
        'sl.yaml messages.cb-3.text: unknown partial "header"',
      ]);
    });
  });

  describe('plural forms', () => {
    it('rejects a Slovenian plural without the dual ("two") and "few"', () => {
      const text = '{{plural facts.offences one="# kaznivo dejanje" other="# kaznivih dejanj"}}';
      const [error] = errorsOf({ en: english(), sl: slovenian({ 'cb-3': { text } }) });
      expect(error.message).toBe('messages.cb-3.text: plural needs every form of sl (one, two, few, other): missing two, few');
    });

    it('rejects a plural with a form the locale does not have ("few" in en)', () => {
      const text = '{{plural facts.offences one="# offence" few="# offences" other="# offences"}}';
      const [error] = errorsOf({ en: english({ 'cb-3': { text } }) });
      expect(error.message).toBe('messages.cb-3.text: plural: en has no form few (its forms: one, other)');
    });

    it('accepts a Slovenian plural with one, two, few and other', () => {
      const text = '{{plural facts.offences one="# dejanje" two="# dejanji" few="# dejanja" other="# dejanj"}}';
      expect(renderer({ en: english(), sl: slovenian({ 'cb-1': { text } }) }).render(request).text).toBe('29 dejanj');
    });
  });

  describe('the default locale', () => {
    it('is an error when a message a theme uses is missing from it', () => {
      const { 'va-2': _, ...rest } = messages((k) => k);
      const errors = errorsOf({ en: localeFileYaml({ locale: 'en', messages: rest }) });
      expect(errors).toEqual([{ file: expect.stringMatching(/en\.yaml$/), message: 'messages.va-2: missing (used by themes[1].messages[1])' }]);
    });

    it('is an error when its file is missing', () => {
      const errors = errorsOf({ sl: slovenian() });
      expect(errors.map((e) => e.message)).toEqual(['missing: the default locale (en) must have every message']);
    });
  });

  describe('a locale without a file', () => {
    const loaded = load({ en: english(), sl: slovenian() });

    it('is not an error, and coverage shows all its messages missing', () => {
      expect(loaded.errors).toEqual([]);
      expect(loaded.coverage.find((c) => c.locale === 'sq')).toEqual({ locale: 'sq', file: null, messages: 5, translated: 0, needsReview: 0, reviewed: 0, missing: MESSAGE_KEYS });
    });

    it('renders in the default locale, marked as a fallback', () => {
      const rendered = new MessageRenderer(campaign, loaded.templates!).render({ ...request, member: albania, locale: 'sq' });
      expect(rendered).toEqual({ text: 'cb-1 in Albania', length: 15, limit: 63206, variant: 'text', fallback: true, needsReview: false });
    });
  });

  describe('review state', () => {
    it('keeps a translation needing review until a message names its reviewer (reviewedBy)', () => {
      const loaded = load({ en: english(), sl: slovenian({ 'cb-1': { text: 'cb-1 v {{member}}', reviewedBy: 'Ana Novak' } }) });
      const sl = loaded.templates!.locales.get('sl')!;
      expect(MESSAGE_KEYS.map((k) => sl.messages.get(k)!.needsReview)).toEqual([false, true, true, true, true]);
      expect(loaded.coverage.map((c) => [c.locale, c.translated, c.needsReview])).toEqual([['en', 5, 0], ['sl', 5, 4], ['sq', 0, 0]]);
      expect(new MessageRenderer(campaign, loaded.templates!).render(request)).toMatchObject({ needsReview: false, fallback: false });
    });
  });

  describe('rendering', () => {
    it('never HTML-escapes: &, <, > and quotes stay as typed, in the text and in variables', () => {
      const member = { ...slovenia, name: { en: 'Slovenia', sl: 'Slovenija & "Ljubljana" <SI>' } };
      const text = `Tom & Jerry <b>"{{member}}"</b> 'quoted' {{hashtags}}`;
      const rendered = renderer({ en: english(), sl: slovenian({ 'cb-1': { text } }) }).render({ ...request, member });
      expect(rendered.text).toBe(`Tom & Jerry <b>"Slovenija & "Ljubljana" <SI>"</b> 'quoted' #EndImpunity`);
    });

    it('tags the links of the rendered text with the campaign’s utm, per network, and counts the final text', () => {
      const withUtm = defineCampaign(buildCampaign({ utm: { source: { x: 'twitter' }, medium: 'social', campaign: 'natc', content: '{member}-{locale}' } }));
      const { templates } = loadTemplateSet(writeTemplatesFolder({ en: english(), sl: slovenian({ 'cb-1': { text: 'Več: https://icmpd.org/natc?lang=sl#si & {{hashtags}}' } }) }), withUtm);
      const tagged = new MessageRenderer(withUtm, templates!);
      const x = tagged.render({ ...request, member: withUtm.members[0], network: 'x' });
      expect(x.text).toBe('Več: https://icmpd.org/natc?lang=sl&utm_source=twitter&utm_medium=social&utm_campaign=natc&utm_content=SI-sl#si & #EndImpunity');
      expect(x.length).toBe('Več: '.length + 23 + ' & #EndImpunity'.length);
      const facebook = tagged.render({ ...request, member: withUtm.members[0], network: 'facebook' });
      expect(facebook.text).toContain('utm_source=facebook&');
      expect(facebook.length).toBe(facebook.text.length);
    });

    it('renders the else-branch, without error, for a member without facts', () => {
      const text = '{{#if facts.offences}}{{plural facts.offences one="# offence" other="# offences"}} in {{facts.year}}.{{else}}No figures.{{/if}}';
      const set = renderer({ en: english({ 'cb-3': { text } }) });
      expect(set.render({ ...request, member: albania, locale: 'en', message: 'cb-3' }).text).toBe('No figures.');
      expect(set.render({ ...request, locale: 'en', message: 'cb-3' }).text).toBe('29 offences in 2020.');
    });

    it('gives the template the member’s name, long local date and theme title in its locale', () => {
      const text = '{{member}} | {{date}} | {{theme}} | {{formatDate "2021-10-18"}}';
      const set = renderer({ en: english(), sl: slovenian({ 'cb-1': { text } }) });
      expect(set.render(request).text).toBe('Slovenija | 29. oktober 2021 | Capacity building | 18. oktober 2021');
    });
  });
});

describe('LocaleRenderer', () => {
  describe('plural', () => {
    const slForms = { one: '# leto', two: '# leti', few: '# leta', other: '# let' };
    it.each([
      [1, '1 leto'],
      [2, '2 leti'],
      [3, '3 leta'],
      [5, '5 let'],
      [101, '101 leto'],
      [102, '102 leti'],
    ])('picks the Slovenian form for %i: %s', (n, expected) => {
      expect(new LocaleRenderer('sl').plural(n, slForms)).toBe(expected);
    });

    const roForms = { one: '# an', few: '# ani', other: '# de ani' };
    it.each([
      [1, '1 an'],
      [19, '19 ani'],
      [20, '20 de ani'],
    ])('picks the Romanian form for %i: %s', (n, expected) => {
      expect(new LocaleRenderer('ro').plural(n, roForms)).toBe(expected);
    });

    it('renders nothing for a fact that is absent (null)', () => {
      expect(new LocaleRenderer('sl').plural(null, slForms)).toBe('');
    });
  });

  describe('formatDate', () => {
    it.each([
      ['sr-Cyrl', '18. октобар 2021.'],
      ['mk', '18 октомври 2021 г.'],
      ['bg', '18 октомври 2021 г.'],
      ['cnr', '18. oktobar 2021.'],
      ['sr-Latn', '18. oktobar 2021.'],
      ['sl', '18. oktober 2021'],
      ['ro', '18 octombrie 2021'],
    ])('writes 2021-10-18 in %s as %s', (locale, expected) => {
      expect(new LocaleRenderer(locale).formatDate('2021-10-18')).toBe(expected);
    });

    it.each(['sr-Cyrl', 'mk', 'bg'])('writes the month in Cyrillic for %s', (locale) => {
      expect(new LocaleRenderer(locale).formatDate('2021-11-01')).toMatch(/^1\.? \p{Script=Cyrillic}+ 2021/u);
    });

    it.each(['cnr', 'sr-Latn'])('writes the month in Latin letters for %s', (locale) => {
      expect(new LocaleRenderer(locale).formatDate('2021-11-01')).toBe('1. novembar 2021.');
    });
  });

  describe('messages edited in the browser (issue 12 #2)', () => {
    const edits = (locale: string, key: string, text: string, short: string | null = null) => new Map([[locale, new Map([[key, { text, short }]])]]);
    const withEdits = (files: Record<string, string>, e: ReturnType<typeof edits>) => loadTemplateSet(writeTemplatesFolder(files), campaign, e);

    it('go over the file: the edited text renders, marked edited and needing review, with its source kept', () => {
      const { templates, errors } = withEdits({ en: english(), sl: slovenian({ 'cb-1': { text: 'star {{member}}', reviewedBy: 'Ana' } }) }, edits('sl', 'cb-1', 'nov {{member}}'));
      expect(errors).toEqual([]);
      const message = templates!.locales.get('sl')!.messages.get('cb-1')!;
      expect(message).toMatchObject({ edited: true, needsReview: true, source: { text: 'nov {{member}}' } });
      expect(new MessageRenderer(campaign, templates!).render(request).text).toBe('nov Slovenija');
    });

    it('translate a locale that has no file: it stops falling back to the default locale', () => {
      const { templates, errors } = withEdits({ en: english(), sl: slovenian() }, edits('sq', 'cb-1', 'mesazh {{member}}'));
      expect(errors).toEqual([]);
      const rendered = new MessageRenderer(campaign, templates!).render({ ...request, member: albania, locale: 'sq' });
      expect(rendered).toMatchObject({ text: 'mesazh Shqipëria', fallback: false, needsReview: true });
    });

    it('are compiled as strictly as a file, the error on the line within the edited text', () => {
      const { templates, errors } = withEdits({ en: english(), sl: slovenian() }, edits('sl', 'cb-1', 'prva\n{{membr}}', '{{> header}}'));
      expect(templates).toBeUndefined();
      expect(errors).toEqual([
        expect.objectContaining({ line: 2, column: 2, message: expect.stringMatching(/^messages\.cb-1\.text: unknown variable "membr"/), edited: { locale: 'sl', key: 'cb-1', field: 'text' } }),
        expect.objectContaining({ line: 1, message: 'messages.cb-1.short: unknown partial "header"', edited: { locale: 'sl', key: 'cb-1', field: 'short' } }),
      ]);
    });

    it('change the fingerprint, so the campaign is re-planned; none leaves it as it was', () => {
      const files = { en: english(), sl: slovenian() };
      const root = writeTemplatesFolder(files);
      const plain = loadTemplateSet(root, campaign).templates!.fingerprint;
      expect(loadTemplateSet(root, campaign, new Map()).templates!.fingerprint).toBe(plain);
      expect(loadTemplateSet(root, campaign, edits('sl', 'cb-1', 'x')).templates!.fingerprint).not.toBe(plain);
    });
  });
});
