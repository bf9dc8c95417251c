import type { CampaignDefinition, MemberDefinition, SlotDefinition, ThemeDefinition } from '../campaigns/campaign-definition';
import { WEEKDAYS } from '../time/local-time';
import { channelCanCarry, ImageLookup, NO_IMAGES } from './plan';

const DAY = 86_400_000;

/** Days since 1970-01-01 of a local date `YYYY-MM-DD` (any year 0000–9999; Date.UTC would map 0–99 to 19xx). */
function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY;
}

/** 0 = Monday … 6 = Sunday; 1970-01-01 was a Thursday. */
function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** How many of each weekday the dates from..to (inclusive) hold, without walking them. */
function weekdaysBetween(from: number, to: number): number[] {
  const counts = new Array<number>(7).fill(0);
  const days = to - from + 1;
  if (days <= 0) return counts;
  const weeks = Math.floor(days / 7);
  for (let i = 0; i < 7; i++) counts[i] = weeks;
  for (let i = 0; i < days % 7; i++) counts[(weekdayIndex(from) + i) % 7]++;
  return counts;
}

/** Themes in date order, clipped to the campaign: the only dates with slots (themes do not overlap). */
function themedRanges(campaign: CampaignDefinition): { from: number; to: number }[] {
  const start = dayNumber(campaign.start);
  const end = dayNumber(campaign.end);
  return campaign.themes
    .map((theme: ThemeDefinition) => ({ from: Math.max(start, dayNumber(theme.start)), to: Math.min(end, dayNumber(theme.end)) }))
    .filter((range) => range.from <= range.to)
    .sort((a, b) => a.from - b.from);
}

function isThemed(day: number, ranges: { from: number; to: number }[]): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (day < ranges[mid].from) high = mid - 1;
    else if (day > ranges[mid].to) low = mid + 1;
    else return true;
  }
  return false;
}

function slotsPerWeekday(slots: SlotDefinition[]): number[] {
  return WEEKDAYS.map((weekday) => slots.filter((slot) => slot.days.includes(weekday)).length);
}

function memberSlots(campaign: CampaignDefinition, member: MemberDefinition, themedWeekdays: number[], ranges: { from: number; to: number }[]): number {
  const perWeekday = slotsPerWeekday(member.slots ?? campaign.slots);
  let slots = themedWeekdays.reduce((sum, count, weekday) => sum + count * perWeekday[weekday], 0);
  for (const date of new Set(member.blackout)) {
    const day = dayNumber(date);
    if (isThemed(day, ranges)) slots -= perWeekday[weekdayIndex(day)];
  }
  return slots;
}

/**
 * How many posts planning a valid campaign makes: per member, its slots on themed dates that are
 * not blacked out, times its channels and locales (what planPosts yields). Arithmetic over weekdays,
 * never a walk over the dates: a 25 KB campaign can span 9,999 years and ask for 316 million posts,
 * and must be refused before anything is generated or written.
 */
export function countPlannedPosts(campaign: CampaignDefinition, hasImage: ImageLookup = NO_IMAGES): number {
  const ranges = themedRanges(campaign);
  // A channel that can carry none of the messages (Instagram without images) plans nothing; one that
  // can carry some would make this an upper bound, which is what a limit needs.
  const messages = [...new Set(campaign.themes.flatMap((theme) => theme.messages))];
  const channels = (member: MemberDefinition) => member.channels.filter((c) => messages.some((m) => channelCanCarry(c.network, m, hasImage))).length;
  const themedWeekdays = new Array<number>(7).fill(0);
  for (const range of ranges) weekdaysBetween(range.from, range.to).forEach((count, i) => (themedWeekdays[i] += count));
  return campaign.members.reduce(
    (total, member) => total + memberSlots(campaign, member, themedWeekdays, ranges) * channels(member) * member.locales.length,
    0,
  );
}

/** The 400 for a campaign over MAX_POSTS_PER_CAMPAIGN, naming the limit and the count; none when within. */
export function planSizeError(count: number, max: number): { field: string; message: string } | undefined {
  if (count <= max) return undefined;
  return {
    field: 'MAX_POSTS_PER_CAMPAIGN',
    message: `the campaign would plan ${count} posts (members × channels × locales × slots over its dates, without blackouts); MAX_POSTS_PER_CAMPAIGN allows ${max}`,
  };
}
