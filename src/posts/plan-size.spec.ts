import { buildCampaign, buildMember, defineCampaign, EVERY_DAY, RawCampaign, shippedCampaignInput } from '../../test/factories/campaign';
import type { CampaignDefinition } from '../campaigns/campaign-definition';
import { channelCanCarry, planMemberSlots } from './plan';
import { countPlannedPosts, planSizeError } from './plan-size';

/** What planPosts would yield, counted the slow way: every slot of every member, walked date by date. */
function walkedCount(campaign: CampaignDefinition): number {
  const noInstant = () => new Date(0);
  return campaign.members.reduce((total, member) => total + [...planMemberSlots(campaign, member, noInstant)]
    .reduce((n, slot) => n + member.channels.filter((c) => channelCanCarry(c.network, slot.message)).length * member.locales.length, 0), 0);
}

const theme = (key: string, start: string, end: string) => ({ key, start, end, messages: ['m1', 'm2'] });

describe('countPlannedPosts', () => {
  it.each<[string, RawCampaign]>([
    ['the shipped campaign (835 posts: Serbia’s Instagram plans none without images)', shippedCampaignInput()],
    ['the test builder’s campaign', buildCampaign()],
    ['weekday and weekend slots of its own, and blackouts', buildCampaign({
      members: [
        buildMember({ slots: [{ time: '09:00', days: ['mon', 'wed', 'fri'] }, { time: '18:00', days: ['sat'] }, { time: '12:00' }], blackout: ['2021-10-27', '2021-10-30', '2021-11-07'] }),
        buildMember({ code: 'HR', timezone: 'Europe/Zagreb', name: { en: 'Croatia' }, locales: ['hr', 'en'], channels: [{ network: 'x' }, { network: 'facebook' }, { network: 'linkedin' }] }),
      ],
    })],
    ['dates outside every theme, and a blackout on one of them', buildCampaign({
      start: '2021-10-01', end: '2021-12-31',
      themes: [theme('b', '2021-11-10', '2021-11-12'), theme('a', '2021-10-04', '2021-10-20'), theme('c', '2021-12-31', '2021-12-31')],
      members: [buildMember({ blackout: ['2021-10-25', '2021-10-05', '2021-10-05', '2021-12-31'] })],
    })],
    ['the same time listed twice', buildCampaign({ slots: [{ time: '10:00', days: [...EVERY_DAY] }, { time: '10:00', days: ['tue'] }] })],
    ['a leap day across years', buildCampaign({ start: '2019-12-30', end: '2024-03-02', themes: [theme('long', '2019-12-30', '2024-03-02')] })],
  ])('matches the walked plan for %s', (_, input) => {
    const campaign = defineCampaign(input);
    expect(countPlannedPosts(campaign)).toBe(walkedCount(campaign));
  });

  it('counts 316 million posts of a campaign spanning ten thousand years at once', () => {
    const campaign = defineCampaign(buildCampaign({
      start: '0001-01-01', end: '9999-12-31',
      slots: Array.from({ length: 24 }, (_, h) => ({ time: `${String(h).padStart(2, '0')}:00` })),
      themes: [theme('forever', '0001-01-01', '9999-12-31')],
      members: [buildMember({ channels: [{ network: 'x' }, { network: 'facebook' }, { network: 'linkedin' }, { network: 'mastodon' }], locales: ['sl'] })],
    }));
    const started = performance.now();
    const days = 3_652_059; // 0001-01-01 … 9999-12-31 in the proleptic Gregorian calendar
    expect(countPlannedPosts(campaign)).toBe(days * 24 * 4);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('planSizeError', () => {
  it('accepts a plan at the limit', () => {
    expect(planSizeError(250_000, 250_000)).toBeUndefined();
  });

  it('refuses a plan over the limit, naming MAX_POSTS_PER_CAMPAIGN and the count', () => {
    expect(planSizeError(350_593_664, 250_000)).toEqual({
      field: 'MAX_POSTS_PER_CAMPAIGN',
      message: 'the campaign would plan 350593664 posts (members × channels × locales × slots over its dates, without blackouts); MAX_POSTS_PER_CAMPAIGN allows 250000',
    });
  });
});
