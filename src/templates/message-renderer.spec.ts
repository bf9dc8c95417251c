import { buildCampaign, buildMember, defineCampaign } from '../../test/factories/campaign';
import { LocaleFile, localeFileYaml, removeTemplatesFolders, writeTemplatesFolder } from '../../test/factories/templates';
import type { CampaignDefinition } from '../campaigns/campaign-definition';
import { planPosts, PlannedPost } from '../posts/plan';
import { MessageRenderer } from './message-renderer';
import { formatTemplateError, loadTemplateSet, TemplateSet } from './template-set';

afterAll(removeTemplatesFolders);

/** Slovenia (sl, with facts) and Albania (sq, without), every day 25 Oct – 7 Nov 2021; messages cb-1..3, va-1..2. */
const campaign: CampaignDefinition = defineCampaign(buildCampaign({
  members: [
    buildMember({ locales: ['sl', 'en'] }),
    buildMember({ code: 'AL', name: { en: 'Albania', sq: 'Shqipëria' }, timezone: 'Europe/Tirane', locales: ['sq'], facts: undefined }),
  ],
}));

/** cb-1 shows the date, cb-2 through a partial, cb-3 only where the member has facts; the victim-assistance messages never. */
const english: LocaleFile['messages'] = {
  'cb-1': { text: 'On {{date}}, {{member}} builds capacity.' },
  'cb-2': { text: '{{member}} trains judges. {{> dated}}' },
  'cb-3': { text: '{{member}}{{#if facts.year}} ({{facts.year}}, as of {{date}}){{/if}} {{theme}}', short: 'cb-3 short {{member}}' },
  'va-1': { text: '{{member}} assists victims. {{theme}} {{hashtags}}' },
  'va-2': { text: '{{member}}{{#if facts.year}}: {{plural facts.offences one="# offence" other="# offences"}}{{/if}}', short: '{{member}}' },
};
const files = {
  en: localeFileYaml({ locale: 'en', partials: { dated: '({{date}})' }, messages: english }),
  sl: localeFileYaml({ locale: 'sl', messages: { 'cb-1': { text: 'Dne {{date}} {{member}}.' }, 'va-1': { text: '{{member}} pomaga žrtvam.' } } }),
};

function templateSet(): TemplateSet {
  const { templates, errors } = loadTemplateSet(writeTemplatesFolder(files), campaign);
  if (!templates) throw new Error(errors.map(formatTemplateError).join('\n'));
  return templates;
}

/** Each post rendered on its own, by a renderer that has rendered nothing before. */
function renderedAlone(templates: TemplateSet, post: PlannedPost): string {
  const member = campaign.members.find((m) => m.code === post.member)!;
  return new MessageRenderer(campaign, templates).render({ member, locale: post.locale, message: post.message, theme: post.theme, date: post.slotDate, network: post.network }).text;
}

describe('MessageRenderer over a whole plan', () => {
  it('gives every post the text it gets rendered alone: its own date wherever the message, a partial or a member\'s branch shows it', () => {
    const templates = templateSet();
    const posts = [...planPosts(campaign, new MessageRenderer(campaign, templates))];
    expect(posts.map((post) => post.text)).toEqual(posts.map((post) => renderedAlone(templates, post)));
    const dates = (message: string, member: string) => new Set(posts.filter((p) => p.message === message && p.member === member && p.locale !== 'sl').map((p) => p.text)).size;
    // Two or three slots of each message in the week, on different dates: as many texts where the date shows.
    expect([dates('cb-1', 'SI'), dates('cb-2', 'AL'), dates('cb-3', 'SI')]).toEqual([3, 2, 2]);
    expect([dates('cb-3', 'AL'), dates('va-1', 'SI'), dates('va-2', 'AL')]).toEqual([1, 1, 1]);
  });

  it('runs a template that does not read the date once per member, locale, theme and variant, not once per slot', () => {
    const templates = templateSet();
    const calls = new Map<string, number>();
    for (const [locale, localeTemplates] of templates.locales) {
      for (const [message, template] of localeTemplates.messages) {
        for (const variant of ['text', 'short'] as const) {
          const compiled = template[variant];
          if (!compiled) continue;
          const name = `${locale} ${message} ${variant}`;
          template[variant] = (context) => {
            calls.set(name, (calls.get(name) ?? 0) + 1);
            return compiled(context);
          };
        }
      }
    }
    const posts = [...planPosts(campaign, new MessageRenderer(campaign, templates))];
    expect(posts.length).toBeGreaterThan(0);
    // va-1 (4 slots): Slovenian for SI's sl posts; English for SI's en posts and, with no Albanian file, AL's. One text each.
    expect(calls.get('sl va-1 text')).toBe(1);
    expect(calls.get('en va-1 text')).toBe(2);
    // cb-3 reads the date for Slovenia (facts) on each of its slots, for Albania once; cb-1 on every slot.
    expect(calls.get('en cb-3 text')).toBe(2 + 2 + 1);
    expect(calls.get('en cb-1 text')).toBe(3 + 3);
  });
});
