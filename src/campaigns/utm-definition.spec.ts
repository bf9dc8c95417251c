import { buildCampaign, defineCampaign } from '../../test/factories/campaign';
import { validateCampaign } from './campaign-definition';
import { utmParameters } from './utm-definition';

const errorsOf = (utm: unknown) => {
  const result = validateCampaign(buildCampaign({ utm }));
  return result.ok ? [] : result.errors;
};

describe('utm in a campaign', () => {
  it('reads source per network, medium, campaign and content', () => {
    const utm = { source: { x: 'twitter', facebook: 'facebook' }, medium: 'social', campaign: 'natc-see-2027', content: '{member}-{locale}' };
    expect(defineCampaign(buildCampaign({ utm })).utm).toEqual(utm);
  });

  it('is absent when the campaign has none', () => {
    expect(defineCampaign(buildCampaign()).utm).toBeUndefined();
  });

  it.each([
    ['a missing medium', { source: 'social', campaign: 'c' }, 'utm.medium', 'is required'],
    ['a missing campaign', { source: 'social', medium: 'm' }, 'utm.campaign', 'is required'],
    ['a missing source', { medium: 'm', campaign: 'c' }, 'utm.source', 'is required'],
    ['an unknown key', { source: 's', medium: 'm', campaign: 'c', term: 't' }, 'utm.term', 'unknown field (expected one of: source, medium, campaign, content)'],
    ['an unknown network in source', { source: { twitter: 't' }, medium: 'm', campaign: 'c' }, 'utm.source.twitter', 'is not a network (expected one of x, facebook, instagram, linkedin, mastodon, bluesky)'],
    ['an empty source map', { source: {}, medium: 'm', campaign: 'c' }, 'utm.source', 'must name at least one network'],
    ['an empty value', { source: { x: '' }, medium: 'm', campaign: 'c' }, 'utm.source.x', 'must be a non-empty string, got ""'],
    ['an unknown placeholder', { source: 's', medium: 'm', campaign: 'c', content: '{member}-{country}' }, 'utm.content', 'unknown placeholder {country} (expected {member}, {locale}, {network}, {theme})'],
    ['a value on two lines', { source: 's', medium: 'social\nmedia', campaign: 'c' }, 'utm.medium', 'must be one line'],
    ['a list', ['source'], 'utm', 'must be a map of source, medium, campaign and content'],
  ])('refuses %s, naming the field', (_, utm, path, message) => {
    expect(errorsOf(utm)).toContainEqual({ path, message });
  });
});

describe('utmParameters', () => {
  const post = { member: 'HR', locale: 'hr', network: 'x' as const, theme: 'policy' };

  it('fills the placeholders and takes the network’s source', () => {
    const utm = { source: { x: 'twitter' }, medium: 'social', campaign: 'natc-{theme}', content: '{member}-{locale}-{network}' };
    expect(utmParameters(utm, post)).toEqual([
      ['utm_source', 'twitter'], ['utm_medium', 'social'], ['utm_campaign', 'natc-policy'], ['utm_content', 'HR-hr-x'],
    ]);
  });

  it('uses the network’s own name for a network the source map leaves out, and one source for all', () => {
    expect(utmParameters({ source: { x: 'twitter' }, medium: 'm', campaign: 'c' }, { ...post, network: 'mastodon' })[0]).toEqual(['utm_source', 'mastodon']);
    expect(utmParameters({ source: 'social-{network}', medium: 'm', campaign: 'c' }, post)).toEqual([['utm_source', 'social-x'], ['utm_medium', 'm'], ['utm_campaign', 'c']]);
  });
});
