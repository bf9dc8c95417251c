import type { CampaignDefinition, MemberDefinition, ThemeDefinition } from '../campaigns/campaign-definition';
import { eachDate, resolveLocalTime, Weekday, weekdayOf } from '../time/local-time';
import type { MessageRenderer, RenderedText } from '../templates/message-renderer';
import type { Network } from './length';

/** One posting slot of one member: a local date and wall time, and the message it carries. */
export interface PlannedSlot {
  member: MemberDefinition;
  theme: ThemeDefinition;
  message: string;
  slotDate: string;
  /** 1-based position of the slot among the member's slots on that date. */
  slotOrdinal: number;
  localTime: string;
  scheduledAt: Date;
}

export interface PlannedPost extends RenderedText {
  member: string;
  /** The member's approval steps, in order. */
  approvalSteps: string;
  network: Network;
  locale: string;
  theme: string;
  message: string;
  slotDate: string;
  slotOrdinal: number;
  localTime: string;
  timezone: string;
  scheduledAt: Date;
  /** The message's images, each with its alt text in this post's locale. */
  media: PlannedMedia[];
}

/** An image of a planned post: `image` is the template file's content hash; the planner maps it to a stored image. */
export interface PlannedMedia {
  image: string;
  alt: string;
}

/** The images a message carries in a locale (named in the templates). */
export type MessageMedia = (message: string, locale: string) => PlannedMedia[];
const NO_MEDIA: PlannedMedia[] = [];
export const NO_MESSAGE_MEDIA: MessageMedia = () => NO_MEDIA;

/**
 * Networks that publish no post without an image: an Instagram feed post is an image with a caption.
 * A message has an image when its templates name one (`media:` in the default-locale file).
 */
export const IMAGE_NETWORKS: ReadonlySet<Network> = new Set<Network>(['instagram']);

/** Whether a message has an image (by message key). */
export type ImageLookup = (message: string) => boolean;
export const NO_IMAGES: ImageLookup = () => false;

/** A channel carries a slot's message only if its network can publish it: with an image where it needs one. */
export function channelCanCarry(network: Network, message: string, hasImage: ImageLookup = NO_IMAGES): boolean {
  return !IMAGE_NETWORKS.has(network) || hasImage(message);
}

export interface PlanWarning {
  field: string;
  message: string;
}

/**
 * What the plan leaves out and why, naming the channel (`members[9].channels[2]`), so that the campaign's
 * author sees it at validation and import rather than wondering where a network's posts went.
 */
export function planWarnings(campaign: CampaignDefinition, hasImage: ImageLookup = NO_IMAGES): PlanWarning[] {
  const messages = [...new Set(campaign.themes.flatMap((t) => t.messages))];
  const warnings: PlanWarning[] = [];
  campaign.members.forEach((member, i) => {
    member.channels.forEach((channel, j) => {
      const without = messages.filter((m) => !channelCanCarry(channel.network, m, hasImage));
      if (without.length === 0) return;
      const which = without.length === messages.length ? 'the messages have images' : `${without.join(', ')} ${without.length === 1 ? 'has an image' : 'have images'}`;
      warnings.push({ field: `members[${i}].channels[${j}]`, message: `${channel.network} needs an image; no post planned until ${which}` });
    });
  });
  return warnings;
}

/** A post's identity across re-plans (contract: member, network, locale, slot date and ordinal). */
export function postKey(p: { member: string; network: string; locale: string; slotDate: string; slotOrdinal: number }): string {
  return `${p.member}|${p.network}|${p.locale}|${p.slotDate}|${p.slotOrdinal}`;
}

const daysOf = new WeakMap<CampaignDefinition, { date: string; theme: ThemeDefinition | undefined; weekday: Weekday }[]>();

/** The campaign's dates with their theme and weekday, worked out once for all its members (luxon's date parsing is slow). */
function campaignDays(campaign: CampaignDefinition) {
  let days = daysOf.get(campaign);
  if (!days) {
    days = [...eachDate(campaign.start, campaign.end)].map((date) => ({
      date, theme: campaign.themes.find((t) => t.start <= date && date <= t.end), weekday: weekdayOf(date),
    }));
    daysOf.set(campaign, days);
  }
  return days;
}

/**
 * The member's slots in date order. Blackout dates and dates outside every theme have none; the n-th
 * slot of a theme carries `messages[(n-1) mod len]`.
 */
export function* planMemberSlots(
  campaign: CampaignDefinition,
  member: MemberDefinition,
  resolve: (local: string, timezone: string) => Date = resolveLocalTime,
): Generator<PlannedSlot> {
  const slots = [...(member.slots ?? campaign.slots)].sort((a, b) => a.time.localeCompare(b.time));
  const blackout = new Set(member.blackout);
  const slotsInTheme = new Map<string, number>();
  for (const { date, theme, weekday } of campaignDays(campaign)) {
    if (!theme || blackout.has(date)) continue;
    let ordinal = 0;
    for (const slot of slots) {
      if (!slot.days.includes(weekday)) continue;
      ordinal++;
      const n = (slotsInTheme.get(theme.key) ?? 0) + 1;
      slotsInTheme.set(theme.key, n);
      const localTime = `${date}T${slot.time}`;
      yield {
        member,
        theme,
        message: theme.messages[(n - 1) % theme.messages.length],
        slotDate: date,
        slotOrdinal: ordinal,
        localTime,
        scheduledAt: resolve(localTime, member.timezone),
      };
    }
  }
}

/** Every post of the campaign: one per slot, channel and locale of each member. */
export function* planPosts(campaign: CampaignDefinition, renderer: MessageRenderer, hasImage: ImageLookup = NO_IMAGES, mediaOf: MessageMedia = NO_MESSAGE_MEDIA): Generator<PlannedPost> {
  // Members share zones and slot times: resolve each (zone, wall time) once per plan.
  const instants = new Map<string, Date>();
  const resolve = (local: string, timezone: string) => {
    const key = `${timezone}|${local}`;
    let instant = instants.get(key);
    if (!instant) instants.set(key, (instant = resolveLocalTime(local, timezone)));
    return instant;
  };
  for (const member of campaign.members) {
    for (const slot of planMemberSlots(campaign, member, resolve)) {
      for (const locale of member.locales) {
        for (const channel of member.channels) {
          if (!channelCanCarry(channel.network, slot.message, hasImage)) continue;
          const rendered = renderer.render({
            member,
            locale,
            message: slot.message,
            theme: slot.theme.key,
            date: slot.slotDate,
            network: channel.network,
          });
          // Fields copied one by one: an object spread here made planning ten times slower (V8).
          yield {
            text: rendered.text,
            length: rendered.length,
            limit: rendered.limit,
            variant: rendered.variant,
            fallback: rendered.fallback,
            needsReview: rendered.needsReview,
            member: member.code,
            approvalSteps: member.approval.join(','),
            network: channel.network,
            locale,
            theme: slot.theme.key,
            message: slot.message,
            slotDate: slot.slotDate,
            slotOrdinal: slot.slotOrdinal,
            localTime: slot.localTime,
            timezone: member.timezone,
            scheduledAt: slot.scheduledAt,
            media: mediaOf(slot.message, locale),
          };
        }
      }
    }
  }
}
