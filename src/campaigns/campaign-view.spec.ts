import { campaignForViewer } from './campaign-view';

describe('campaignForViewer', () => {
  const source = {
    slug: 'c',
    members: [
      {
        code: 'SI', timezone: 'Europe/Ljubljana', facts: { offences: 29 },
        channels: [{ network: 'x', publisher: { type: 'webhook', url: 'https://hooks.example.org/x', secretEnv: 'PUBLISHER_SECRET_X' } }, { network: 'facebook' }],
      },
      { code: 'HR', timezone: 'Europe/Zagreb', facts: { offences: 12 }, channels: [{ network: 'mastodon', publisher: { type: 'mastodon', instance: 'https://m.example', tokenEnv: 'PUBLISHER_SECRET_M' } }] },
    ],
  };

  it('shows the secretariat the campaign as imported', () => {
    expect(campaignForViewer(source, { role: 'secretariat', member: null })).toEqual(source);
  });

  it.each(['coordinator', 'comms'] as const)('shows a %s publisher types only and the facts of their own member only', (role) => {
    expect(campaignForViewer(source, { role, member: 'SI' })).toEqual({
      slug: 'c',
      members: [
        { code: 'SI', timezone: 'Europe/Ljubljana', facts: { offences: 29 }, channels: [{ network: 'x', publisher: { type: 'webhook' } }, { network: 'facebook' }] },
        { code: 'HR', timezone: 'Europe/Zagreb', channels: [{ network: 'mastodon', publisher: { type: 'mastodon' } }] },
      ],
    });
  });

  it('leaves the stored object untouched', () => {
    const copy = JSON.parse(JSON.stringify(source));
    campaignForViewer(source, { role: 'comms', member: 'HR' });
    expect(source).toEqual(copy);
  });
});
