import {
  buildCampaign,
  buildMember,
  defineCampaign,
  RawMember,
  SHIPPED_CAMPAIGN_FILE,
  SHIPPED_TEMPLATES_ROOT,
} from '../../test/factories/campaign';
import { readCampaignFile } from '../campaigns/campaign-file';
import type { CampaignDefinition } from '../campaigns/campaign-definition';
import { MessageRenderer, MessageRequest, RenderedText } from '../templates/message-renderer';
import { loadTemplateSet } from '../templates/template-set';
import { channelCanCarry, planMemberSlots, planPosts, planWarnings, postKey } from './plan';
import { countPlannedPosts } from './plan-size';

/** The built campaign with one member: 25 Oct – 7 Nov 2021, themes cb (3 messages) and va (2). */
function campaignWith(member: RawMember = {}): CampaignDefinition {
  return defineCampaign(buildCampaign({ members: [buildMember(member)] }));
}

const slotsOf = (campaign: CampaignDefinition) => [...planMemberSlots(campaign, campaign.members[0])];

/** Stands in for the template set: the text names what was asked for, so the plan can be read back. */
const echoRenderer = {
  render: (r: MessageRequest): RenderedText => ({
    text: `${r.message}|${r.locale}|${r.date}`,
    length: 1,
    limit: 280,
    variant: 'text',
    fallback: false,
    needsReview: false,
  }),
} as unknown as MessageRenderer;

describe('planMemberSlots', () => {
  it('gives a member with no slots of its own one post a day at the campaign’s default time', () => {
    const slots = slotsOf(campaignWith());
    expect(slots).toHaveLength(14);
    expect(slots.map((s) => s.localTime).slice(0, 3)).toEqual(['2021-10-25T10:00', '2021-10-26T10:00', '2021-10-27T10:00']);
  });

  it('replaces the default slots with the member’s own', () => {
    const slots = slotsOf(campaignWith({ slots: [{ time: '09:00', days: ['mon'] }, { time: '18:00', days: ['sat', 'sun'] }] }));
    expect(slots.map((s) => s.localTime)).toEqual([
      '2021-10-25T09:00', '2021-10-30T18:00', '2021-10-31T18:00',
      '2021-11-01T09:00', '2021-11-06T18:00', '2021-11-07T18:00',
    ]);
  });

  it('cycles through a theme’s messages: the n-th slot of a theme carries messages[(n-1) mod len]', () => {
    const slots = slotsOf(campaignWith());
    expect(slots.map((s) => `${s.slotDate.slice(5)} ${s.message}`)).toEqual([
      '10-25 cb-1', '10-26 cb-2', '10-27 cb-3', '10-28 cb-1', '10-29 cb-2', '10-30 cb-3', '10-31 cb-1',
      '11-01 va-1', '11-02 va-2', '11-03 va-1', '11-04 va-2', '11-05 va-1', '11-06 va-2', '11-07 va-1',
    ]);
  });

  it('skips blackout dates and continues the message cycle after them', () => {
    const slots = slotsOf(campaignWith({ blackout: ['2021-10-26', '2021-11-01'] }));
    expect(slots.map((s) => `${s.slotDate.slice(5)} ${s.message}`)).toEqual([
      '10-25 cb-1', '10-27 cb-2', '10-28 cb-3', '10-29 cb-1', '10-30 cb-2', '10-31 cb-3',
      '11-02 va-1', '11-03 va-2', '11-04 va-1', '11-05 va-2', '11-06 va-1', '11-07 va-2',
    ]);
  });

  it('counts slots per theme, so each theme starts again at its first message', () => {
    const slots = slotsOf(campaignWith({ slots: [{ time: '08:00', days: ['sun', 'mon'] }, { time: '20:00', days: ['sun'] }] }));
    expect(slots.map((s) => `${s.localTime.slice(5)} ${s.theme.key} ${s.message}`)).toEqual([
      '10-25T08:00 capacity-building cb-1',
      '10-31T08:00 capacity-building cb-2',
      '10-31T20:00 capacity-building cb-3',
      '11-01T08:00 victim-assistance va-1',
      '11-07T08:00 victim-assistance va-2',
      '11-07T20:00 victim-assistance va-1',
    ]);
  });

  it('numbers the slots of a day from 1 in time order, whatever order they are listed in', () => {
    const slots = slotsOf(campaignWith({
      slots: [{ time: '16:30', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }, { time: '11:00', days: ['sat', 'sun'] }, { time: '09:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }],
    }));
    expect(slots.filter((s) => s.slotDate === '2021-10-29').map((s) => [s.localTime, s.slotOrdinal])).toEqual([
      ['2021-10-29T09:00', 1],
      ['2021-10-29T16:30', 2],
    ]);
    expect(slots.filter((s) => s.slotDate === '2021-10-30').map((s) => [s.localTime, s.slotOrdinal])).toEqual([['2021-10-30T11:00', 1]]);
    expect(slots).toHaveLength(24);
  });

  it('schedules the same 10:00 slot one hour later in UTC after 31 Oct 2021', () => {
    const at = (date: string) => slotsOf(campaignWith()).find((s) => s.slotDate === date)!.scheduledAt.toISOString();
    expect([at('2021-10-29'), at('2021-10-30'), at('2021-10-31'), at('2021-11-01')]).toEqual([
      '2021-10-29T08:00:00.000Z',
      '2021-10-30T08:00:00.000Z',
      '2021-10-31T09:00:00.000Z',
      '2021-11-01T09:00:00.000Z',
    ]);
  });

  it('resolves each member’s slots in its own zone (Sofia is an hour ahead of Ljubljana)', () => {
    const sofia = slotsOf(campaignWith({ code: 'BG', name: { en: 'Bulgaria' }, timezone: 'Europe/Sofia', locales: ['bg'] }));
    expect(sofia.find((s) => s.slotDate === '2021-10-29')!.scheduledAt.toISOString()).toBe('2021-10-29T07:00:00.000Z');
    expect(sofia.find((s) => s.slotDate === '2021-11-01')!.scheduledAt.toISOString()).toBe('2021-11-01T08:00:00.000Z');
  });

  it('plans nothing on dates outside every theme', () => {
    const campaign = defineCampaign(buildCampaign({
      themes: [
        { key: 'capacity-building', start: '2021-10-27', end: '2021-10-31', messages: ['cb-1'] },
        { key: 'victim-assistance', start: '2021-11-03', end: '2021-11-05', messages: ['va-1'] },
      ],
    }));
    expect(slotsOf(campaign).map((s) => s.slotDate.slice(5))).toEqual(['10-27', '10-28', '10-29', '10-30', '10-31', '11-03', '11-04', '11-05']);
  });
});

describe('planPosts', () => {
  const campaign = campaignWith({
    locales: ['sl', 'en'],
    channels: [{ network: 'x' }, { network: 'facebook' }, { network: 'linkedin' }],
    blackout: ['2021-10-28'],
  });
  const posts = [...planPosts(campaign, echoRenderer)];

  it('plans one post per slot, locale and channel', () => {
    expect(posts).toHaveLength(13 * 2 * 3);
    expect(new Set(posts.map(postKey)).size).toBe(posts.length);
  });

  it('gives every channel and locale of one slot the same message', () => {
    // 25 cb-1, 26 cb-2, 27 cb-3, 28 blacked out, 29 cb-1.
    const ofSlot = posts.filter((p) => p.slotDate === '2021-10-29');
    expect(ofSlot.map((p) => `${p.network} ${p.text}`)).toEqual([
      'x cb-1|sl|2021-10-29', 'facebook cb-1|sl|2021-10-29', 'linkedin cb-1|sl|2021-10-29',
      'x cb-1|en|2021-10-29', 'facebook cb-1|en|2021-10-29', 'linkedin cb-1|en|2021-10-29',
    ]);
  });

  it('carries the slot’s identity, local time, zone and instant into each post', () => {
    const post = posts.find((p) => p.slotDate === '2021-11-01' && p.network === 'facebook' && p.locale === 'sl')!;
    expect(post).toMatchObject({
      member: 'SI', theme: 'victim-assistance', message: 'va-1', slotOrdinal: 1,
      localTime: '2021-11-01T10:00', timezone: 'Europe/Ljubljana', scheduledAt: new Date('2021-11-01T09:00:00Z'),
    });
  });
});

describe('a channel whose network needs an image (instagram)', () => {
  const withInstagram = campaignWith({ channels: [{ network: 'facebook' }, { network: 'instagram' }] });

  it('carries no message without an image, and any message on other networks', () => {
    expect(channelCanCarry('instagram', 'cb-1')).toBe(false);
    expect(channelCanCarry('instagram', 'cb-1', (m) => m === 'cb-1')).toBe(true);
    expect(channelCanCarry('instagram', 'cb-2', (m) => m === 'cb-1')).toBe(false);
    for (const network of ['x', 'facebook', 'linkedin', 'mastodon', 'bluesky'] as const) expect(channelCanCarry(network, 'cb-1')).toBe(true);
  });

  it('gets no posts while the messages have no images, and the count agrees', () => {
    const posts = [...planPosts(withInstagram, echoRenderer)];
    expect(posts.map((p) => p.network)).toEqual(Array(14).fill('facebook'));
    expect(countPlannedPosts(withInstagram)).toBe(14);
  });

  it('gets the posts of the messages that have an image', () => {
    const posts = [...planPosts(withInstagram, echoRenderer, (m) => m === 'va-1')];
    expect(posts.filter((p) => p.network === 'instagram').map((p) => p.slotDate)).toEqual(['2021-11-01', '2021-11-03', '2021-11-05', '2021-11-07']);
  });

  it('is named in a warning, by member and channel', () => {
    expect(planWarnings(withInstagram)).toEqual([
      { field: 'members[0].channels[1]', message: 'instagram needs an image; no post planned until the messages have images' },
    ]);
    expect(planWarnings(withInstagram, (m) => m !== 'cb-2')).toEqual([
      { field: 'members[0].channels[1]', message: 'instagram needs an image; no post planned until cb-2 has an image' },
    ]);
    expect(planWarnings(campaignWith())).toEqual([]);
  });
});

describe('postKey', () => {
  it('identifies a post by member, network, locale, slot date and ordinal', () => {
    expect(postKey({ member: 'SI', network: 'x', locale: 'sl', slotDate: '2021-10-29', slotOrdinal: 2 })).toBe('SI|x|sl|2021-10-29|2');
  });

  it('does not depend on the slot’s time, so a re-planned time keeps the post', () => {
    const before = slotsOf(campaignWith({ slots: [{ time: '09:00', days: ['fri'] }] }))[0];
    const after = slotsOf(campaignWith({ slots: [{ time: '11:15', days: ['fri'] }] }))[0];
    const key = (s: typeof before) => postKey({ member: 'SI', network: 'x', locale: 'sl', slotDate: s.slotDate, slotOrdinal: s.slotOrdinal });
    expect(key(after)).toBe(key(before));
    expect(after.scheduledAt.getTime() - before.scheduledAt.getTime()).toBe(2.25 * 3600_000);
  });
});

describe('the shipped campaign', () => {
  it('plans 835 posts with no duplicate postKey (none on Serbia’s instagram until the messages have images)', () => {
    const file = readCampaignFile(SHIPPED_CAMPAIGN_FILE, {});
    if (!file.ok) throw new Error(JSON.stringify(file.errors));
    const { templates } = loadTemplateSet(SHIPPED_TEMPLATES_ROOT, file.campaign);
    const posts = [...planPosts(file.campaign, new MessageRenderer(file.campaign, templates!))];
    expect(posts).toHaveLength(835);
    expect(new Set(posts.map(postKey)).size).toBe(835);
    expect(countPlannedPosts(file.campaign)).toBe(835);
    const perMember = posts.reduce<Record<string, number>>((counts, p) => ({ ...counts, [p.member]: (counts[p.member] ?? 0) + 1 }), {});
    expect(perMember).toEqual({ AL: 42, BA: 126, BG: 42, HR: 40, XK: 84, MD: 42, ME: 42, MK: 84, RO: 63, RS: 84, SI: 102, SEE: 84 });
  });
});
