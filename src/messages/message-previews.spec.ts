import { buildCampaign, buildMember, defineCampaign } from '../../test/factories/campaign';
import { localeFileYaml, removeTemplatesFolders, writeTemplatesFolder } from '../../test/factories/templates';
import { loadTemplateSet } from '../templates/template-set';
import { messageEntries } from './message-entries';
import { messagePreviews } from './message-previews';

afterAll(removeTemplatesFolders);

const KEYS = ['cb-1', 'cb-2', 'cb-3', 'va-1', 'va-2'];
const campaign = defineCampaign(buildCampaign({
  members: [
    buildMember(),
    buildMember({ code: 'HR', name: { en: 'Croatia', hr: 'Hrvatska' }, timezone: 'Europe/Zagreb', locales: ['hr'], channels: [{ network: 'mastodon' }], facts: undefined }),
  ],
}));
const files = {
  en: localeFileYaml({ locale: 'en', messages: Object.fromEntries(KEYS.map((k) => [k, { text: `${k} in {{member}} {{hashtags}}` }])) }),
  sl: localeFileYaml({ locale: 'sl', messages: {
    'cb-1': { text: `${'Dolgo besedilo '.repeat(20)}{{member}}: {{facts.offences}} {{hashtags}}`, short: 'Kratko {{member}}' },
    'cb-2': { text: 'Pregledano {{member}}', reviewedBy: 'Ana' },
  } }),
};
const { templates } = loadTemplateSet(writeTemplatesFolder(files), campaign);

describe('messagePreviews', () => {
  it('renders the message for each member using the locale, on each of its networks, with its facts and the length against the limit', () => {
    const [slovenia] = messagePreviews(campaign, templates!, 'cb-1', 'sl');
    expect(slovenia).toMatchObject({ member: 'SI', memberName: 'Slovenija', date: '2021-10-25' });
    const [x, facebook] = slovenia.networks;
    // Over X's 280: the short form goes out there; Facebook takes the long one, facts and hashtags in.
    expect(x).toMatchObject({ network: 'x', variant: 'short', text: 'Kratko Slovenija', length: 16, limit: 280, over: false });
    expect(facebook).toMatchObject({ network: 'facebook', variant: 'text', limit: 63206, over: false });
    expect(facebook.text).toMatch(/Slovenija: 29 #EndImpunity$/);
    expect(facebook.length).toBe(facebook.text.length);
  });

  it('shows only the members that use the locale, and nothing for a message no theme uses', () => {
    expect(messagePreviews(campaign, templates!, 'cb-1', 'hr').map((p) => [p.member, p.networks.map((n) => n.network)])).toEqual([['HR', ['mastodon']]]);
    expect(messagePreviews(campaign, templates!, 'nope', 'sl')).toEqual([]);
  });
});

describe('messageEntries', () => {
  it('lists every message in every locale, the default first, with review state and fallback', () => {
    const entries = messageEntries(campaign, templates!, []);
    expect(entries).toHaveLength(KEYS.length * 3);
    const state = (key: string, locale: string) => entries.find((e) => e.key === key && e.locale === locale)!;
    expect(state('cb-1', 'en')).toMatchObject({ review: 'source', fallback: false, revision: 0 });
    expect(state('cb-1', 'sl')).toMatchObject({ review: 'needs-review', translation: { short: 'Kratko {{member}}' } });
    expect(state('cb-2', 'sl')).toMatchObject({ review: 'reviewed', reviewedBy: 'Ana', reviewedAt: null });
    expect(state('cb-3', 'sl')).toMatchObject({ review: 'fallback', fallback: true, translation: null, source: { text: 'cb-3 in {{member}} {{hashtags}}', short: null } });
  });
});
