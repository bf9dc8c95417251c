import { buildCampaign, buildMember } from '../../test/factories/campaign';
import { validateCampaign } from './campaign-definition';

/** Issue 14: a channel publishing from a connected account; that the account exists and is the member's is checked at import (CampaignsService). */
describe('validateCampaign: x publisher', () => {
  const channel = (network: string, publisher: Record<string, unknown>) => buildCampaign({ members: [buildMember({ channels: [{ network, publisher }] })] });

  it('accepts an account name and keeps no secret in the campaign', () => {
    const result = validateCampaign(channel('x', { type: 'x', account: 'si-x' }), {});
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.campaign.members[0].channels[0].publisher).toEqual({ type: 'x', account: 'si-x' });
  });

  it.each([
    ['a missing account', { type: 'x' }, 'x', 'publisher.account'],
    ['an account name with capitals', { type: 'x', account: 'SI-X' }, 'x', 'publisher.account'],
    ['a token in the file', { type: 'x', account: 'si-x', token: 'abc' }, 'x', 'publisher.token'],
    ['an X account on another network', { type: 'x', account: 'si-x' }, 'mastodon', 'publisher'],
  ])('refuses %s, naming the field', (_, publisher, network, field) => {
    const result = validateCampaign(channel(network, publisher), {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toEqual([`members[0].channels[0].${field}`]);
  });
});
