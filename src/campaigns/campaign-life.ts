import { DateTime } from 'luxon';

/** `active`: jobs run and posts change; `archived`: imported after its last date, read-only for good. */
export type CampaignState = 'active' | 'archived';
export const CAMPAIGN_STATES: CampaignState[] = ['active', 'archived'];

/**
 * The state a campaign is imported in. Its last date has passed once the day after `end` has begun
 * in every member's zone (the westernmost zone is the last to get there): importing it any earlier
 * could still publish something, importing it later as active would let the deadline job turn
 * every post `missed` within a minute, a change nobody could undo.
 */
export function stateAtImport(end: string, timezones: string[], now: Date): CampaignState {
  const zones = timezones.length > 0 ? timezones : ['UTC'];
  const over = zones.every((zone) => DateTime.fromISO(end, { zone }).plus({ days: 1 }).startOf('day').toMillis() <= now.getTime());
  return over ? 'archived' : 'active';
}

export function archivedReason(slug: string): string {
  return `campaign "${slug}" is archived (its last date had passed when it was imported): its posts are read-only`;
}

/** SQL condition keeping an archived campaign's posts out of every job's query. */
export function inActiveCampaign(campaignIdColumn: string): string {
  return `${campaignIdColumn} not in (select id from campaigns where state = 'archived')`;
}
