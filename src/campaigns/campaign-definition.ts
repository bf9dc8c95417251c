import { isValidTimeZone, isWallClock, WEEKDAYS, Weekday } from '../time/local-time';
import { isNetwork, Network, networkName, NETWORKS } from '../posts/length';
import { isSupportedLocale } from '../templates/locales';
import { FieldError, ObjectReader } from '../common/object-reader';
import { PUBLISHER_SECRET_PREFIX } from '../publishing/secrets';
import { ACCOUNT_NAME } from '../accounts/account-access';
import { HolidayBlackout, hasHolidayCalendar, HOLIDAYS_KEYWORD, MAX_HOLIDAY_YEARS, publicHolidays, yearsSpanned } from './holidays';
import { readUtm, UtmDefinition } from './utm-definition';

export const ROLES = ['secretariat', 'coordinator', 'comms'] as const;
export type Role = (typeof ROLES)[number];

export interface SlotDefinition {
  time: string;
  days: Weekday[];
}

export interface ThemeDefinition {
  key: string;
  start: string;
  end: string;
  messages: string[];
}

export type PublisherDefinition =
  | { type: 'manual' }
  | { type: 'webhook'; url: string; secretEnv: string }
  | { type: 'mastodon'; instance: string; tokenEnv: string }
  | { type: 'bluesky'; service: string; handle: string; passwordEnv: string }
  /** A connected account (issue 14), by name; that it exists and is the member's is checked at import against the database. */
  | { type: 'x' | 'facebook' | 'instagram' | 'linkedin'; account: string };

/** Publishers that post through a connected account (issue 14); each publishes only to its own network. */
export const ACCOUNT_PUBLISHERS = ['x', 'facebook', 'instagram', 'linkedin'] as const;
/** Every publisher a channel may name: the import's list, and the settings form's. */
export const PUBLISHER_TYPES = ['manual', 'webhook', 'mastodon', 'bluesky', ...ACCOUNT_PUBLISHERS] as const;

export interface ChannelDefinition {
  network: Network;
  publisher: PublisherDefinition;
}

export interface MemberDefinition {
  code: string;
  name: Record<string, string>;
  timezone: string;
  locales: string[];
  channels: ChannelDefinition[];
  approval: Role[];
  slots?: SlotDefinition[];
  /**
   * Local dates with no posts: the member's own, the campaign's and, with the `holidays` keyword (the
   * member's or the campaign's), its public holidays within the campaign. Expanded here, once, so
   * that planning, counting and previews all see plain dates.
   */
  blackout: string[];
  facts: Record<string, string | number>;
}

export interface CampaignDefinition {
  slug: string;
  name: string;
  start: string;
  end: string;
  defaultLocale: string;
  hashtags: string[];
  /** Folder under templates/ holding `<locale>.yaml`; defaults to the slug. */
  templates: string;
  /** Approvers are reminded when a post is still pending this long before its time (default 24). */
  approvalLeadHours: number;
  slots: SlotDefinition[];
  themes: ThemeDefinition[];
  members: MemberDefinition[];
  /** The public holidays that black out a member's date (`blackout: [holidays]`), in member and date order. */
  holidays: HolidayBlackout[];
  /** Tags added to every http(s) link of a post's text (utm_source, utm_medium…); none when absent. */
  utm?: UtmDefinition;
  /** Members whose facts an edition copied from an earlier year: shown until someone checks them. */
  factsToReview?: string[];
  /** Posts whose text comes from a translation not yet nationally reviewed cannot be submitted (issue 12 #3). */
  requireReview: boolean;
}

export type ValidationResult =
  | { ok: true; campaign: CampaignDefinition }
  | { ok: false; errors: FieldError[] };

/** Where each read theme or member stood in the input, so cross-checks name the right index. */
const position = new WeakMap<object, number>();
/** Where a member's `holidays` keyword stood in its blackout list (to name it in errors). */
const holidayKeyword = new WeakMap<object, number>();
const at = (item: object, fallback: number) => position.get(item) ?? fallback;

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const KEY = /^[a-z0-9]+([._-][a-z0-9]+)*$/;
const MEMBER_CODE = /^[A-Z]{2,3}$/;
const HASHTAG = /^[\p{L}\p{N}_]+$/u;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
/** A Bluesky handle is a domain name (atproto "Handle" spec): labels of letters, digits and dashes. */
const HANDLE = /^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/**
 * Checks a campaign object (from YAML or the API) and returns every error at once, each naming its
 * field (`members[3].timezone: …`). `secrets` holds the publisher secrets that exist (SecretStore:
 * SECRETS_FILE and PUBLISHER_SECRET_* variables only, never the whole environment).
 */
export function validateCampaign(input: unknown, secrets: NodeJS.ProcessEnv = {}): ValidationResult {
  const errors: FieldError[] = [];
  const root = new ObjectReader(input, '', errors);
  const slug = root.string('slug', { pattern: SLUG, hint: 'lowercase letters, digits and single dashes' });
  const start = root.date('start');
  const end = root.date('end');
  if (start && end && end < start) root.error('end', `${end} is before start ${start}`);
  const campaign: CampaignDefinition = {
    slug: slug ?? '',
    name: root.string('name') ?? '',
    start: start ?? '',
    end: end ?? '',
    defaultLocale: root.locale('defaultLocale') ?? 'en',
    hashtags: root.optionalList('hashtags', (r, i) => r.itemString(i, { pattern: HASHTAG, hint: 'letters, digits and _ without "#"' })) ?? [],
    templates: root.optionalString('templates', { pattern: SLUG }) ?? slug ?? '',
    approvalLeadHours: root.optionalNumber('approvalLeadHours', { min: 0, max: 24 * 60 }) ?? 24,
    slots: root.optionalList('slots', readSlot) ?? [],
    themes: root.list('themes', readTheme) ?? [],
    members: root.list('members', (r, i) => readMember(r, i, secrets, { start, end })) ?? [],
    holidays: [],
    requireReview: root.optionalBoolean('requireReview') ?? false,
  };
  const holidaysForAll = readCampaignBlackout(root);
  const utm = root.has('utm') ? readUtm(root) : undefined;
  if (utm) campaign.utm = utm;
  const factsToReview = root.optionalList('factsToReview', (r, i) => r.itemString(i, { pattern: MEMBER_CODE }), { unique: true });
  if (factsToReview) campaign.factsToReview = factsToReview;
  root.rejectUnknown(['slug', 'name', 'start', 'end', 'defaultLocale', 'hashtags', 'templates', 'approvalLeadHours', 'slots', 'themes', 'members', 'factsToReview', 'blackout', 'utm', 'requireReview']);
  if (start && end) checkThemesWithin(campaign, root);
  checkMembers(campaign, root);
  checkFactsToReview(campaign, root);
  if (errors.length === 0) expandHolidays(campaign, holidaysForAll, root);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, campaign };
}

function readSlot(list: ObjectReader, index: number): SlotDefinition | undefined {
  const slot = list.item(index);
  if (!slot) return undefined;
  const time = slot.string('time', { test: isWallClock, hint: 'HH:mm, 24-hour local wall clock' });
  const days = slot.optionalList('days', (r, i) => r.itemEnum(i, WEEKDAYS)) ?? [...WEEKDAYS];
  slot.rejectUnknown(['time', 'days']);
  return time ? { time, days: days as Weekday[] } : undefined;
}

function readTheme(list: ObjectReader, index: number): ThemeDefinition | undefined {
  const theme = list.item(index);
  if (!theme) return undefined;
  const key = theme.string('key', { pattern: KEY });
  const start = theme.date('start');
  const end = theme.date('end');
  if (start && end && end < start) theme.error('end', `${end} is before start ${start}`);
  const messages = theme.list('messages', (r, i) => r.itemString(i, { pattern: KEY })) ?? [];
  theme.rejectUnknown(['key', 'start', 'end', 'messages']);
  if (!key || !start || !end) return undefined;
  const result = { key, start, end, messages };
  position.set(result, index);
  return result;
}

type DateRange = { start?: string; end?: string };

function readMember(list: ObjectReader, index: number, secrets: NodeJS.ProcessEnv, campaign: DateRange): MemberDefinition | undefined {
  const member = list.item(index);
  if (!member) return undefined;
  const code = member.string('code', { pattern: MEMBER_CODE, hint: 'ISO 3166-1 alpha-2 (XK for Kosovo), or a 3-letter regional code' });
  const timezone = member.string('timezone', { test: isValidTimeZone, hint: 'not an IANA time zone' });
  const locales = member.list('locales', (r, i) => r.itemLocale(i), { unique: true }) ?? [];
  const name = member.stringMap('name', { keyTest: isSupportedLocale }) ?? {};
  const channels = member.list('channels', (r, i) => readChannel(r, i, secrets), { uniqueBy: (c) => c.network }) ?? [];
  const approval = member.optionalList('approval', (r, i) => r.itemEnum(i, ROLES)) ?? ['coordinator'];
  const slots = member.optionalList('slots', readSlot);
  const blackout = readBlackout(member, campaign);
  const facts = member.optionalScalarMap('facts', /^[A-Za-z][A-Za-z0-9_]*$/) ?? {};
  member.rejectUnknown(['code', 'name', 'timezone', 'locales', 'channels', 'approval', 'slots', 'blackout', 'facts']);
  if (!code || !timezone) return undefined;
  const result = { code, name, timezone, locales, channels, approval: approval as Role[], slots, blackout: blackout.dates, facts };
  position.set(result, index);
  if (blackout.holidaysAt !== undefined) holidayKeyword.set(result, blackout.holidaysAt);
  return result;
}

/**
 * The campaign's own `blackout` holds only the keyword, for every member: dates copied into each
 * member would multiply (members × dates) past what a 1 MB body should cost; dates go on members.
 */
function readCampaignBlackout(root: ObjectReader): number | undefined {
  const entries = root.optionalList('blackout', (r, i) => r.itemString(i, { test: (v) => v === HOLIDAYS_KEYWORD, hint: `at the top level only ${HOLIDAYS_KEYWORD}; dates go in each member's blackout` })) ?? [];
  const at = entries.indexOf(HOLIDAYS_KEYWORD);
  return at >= 0 ? at : undefined;
}

/**
 * A member's blackout list: local dates within the campaign, and at most once the keyword `holidays` (where
 * it stood, for errors).
 */
function readBlackout(owner: ObjectReader, campaign: DateRange): { dates: string[]; holidaysAt?: number } {
  const entries = owner.optionalList('blackout', (r, i) => ((r.value as unknown[])[i] === HOLIDAYS_KEYWORD ? HOLIDAYS_KEYWORD : readBlackoutDate(r, i, campaign))) ?? [];
  const holidaysAt = entries.indexOf(HOLIDAYS_KEYWORD);
  return { dates: entries.filter((entry) => entry !== HOLIDAYS_KEYWORD), holidaysAt: holidaysAt >= 0 ? holidaysAt : undefined };
}

function readBlackoutDate(list: ObjectReader, index: number, campaign: DateRange): string | undefined {
  const value = (list.value as unknown[])[index];
  if (typeof value === 'string' && !/^\d/.test(value)) return void list.error(index, `"${value.slice(0, 40)}" is neither a date (YYYY-MM-DD) nor ${HOLIDAYS_KEYWORD}`);
  const date = list.itemDate(index);
  if (date && campaign.start && campaign.end && (date < campaign.start || date > campaign.end)) {
    list.error(index, `${date} is outside the campaign (${campaign.start} – ${campaign.end})`);
  }
  return date;
}

function readChannel(list: ObjectReader, index: number, secrets: NodeJS.ProcessEnv): ChannelDefinition | undefined {
  const channel = list.item(index);
  if (!channel) return undefined;
  const network = channel.string('network', { test: isNetwork, hint: `one of ${NETWORKS.join(', ')}` });
  const publisher = channel.has('publisher') ? readPublisher(channel.child('publisher'), secrets) : { type: 'manual' as const };
  channel.rejectUnknown(['network', 'publisher']);
  if (publisher && 'account' in publisher && network && network !== publisher.type) {
    channel.error('publisher', `type ${publisher.type} publishes to ${networkName(publisher.type)} only; this channel is ${network}`);
  }
  return network && publisher ? { network: network as Network, publisher } : undefined;
}

/** Where each publisher's URL field names its secret instead. */
const SECRET_KEY_OF: Record<string, string> = { url: 'secretEnv', instance: 'tokenEnv', service: 'passwordEnv' };

function readPublisher(publisher: ObjectReader, secrets: NodeJS.ProcessEnv): PublisherDefinition | undefined {
  const type = publisher.enumValue('type', PUBLISHER_TYPES);
  const envVar = (key: string) => {
    const name = publisher.string(key, { pattern: ENV_NAME, hint: 'an environment variable name' });
    const problem = name === undefined ? undefined : secretProblem(name, secrets);
    if (problem) publisher.error(key, problem);
    return name;
  };
  const url = (key: string) => {
    const value = publisher.string(key, { test: isHttpUrl, hint: 'an http(s) URL' });
    // Never echo it: the user:password part is the secret the file must not hold.
    if (value && hasUserInfo(value)) return void publisher.error(key, `must not carry a user name or password (user:password@); name the secret in ${SECRET_KEY_OF[key]}`);
    return value;
  };
  switch (type) {
    case 'manual':
      publisher.rejectUnknown(['type']);
      return { type };
    case 'webhook': {
      const webhookUrl = url('url');
      const secretEnv = envVar('secretEnv');
      publisher.rejectUnknown(['type', 'url', 'secretEnv']);
      return webhookUrl && secretEnv ? { type, url: webhookUrl, secretEnv } : undefined;
    }
    case 'mastodon': {
      const instance = url('instance');
      const tokenEnv = envVar('tokenEnv');
      publisher.rejectUnknown(['type', 'instance', 'tokenEnv']);
      return instance && tokenEnv ? { type, instance, tokenEnv } : undefined;
    }
    case 'bluesky': {
      const service = url('service');
      const handle = publisher.string('handle', { pattern: HANDLE, hint: 'a Bluesky handle such as natc-hr.bsky.social, without "@"' });
      const passwordEnv = envVar('passwordEnv');
      publisher.rejectUnknown(['type', 'service', 'handle', 'passwordEnv']);
      return service && handle && passwordEnv ? { type, service, handle: handle.toLowerCase(), passwordEnv } : undefined;
    }
    case 'x':
    case 'facebook':
    case 'instagram': {
      const account = publisher.string('account', { pattern: ACCOUNT_NAME, hint: `the name of a connected account, such as si-${type}` });
      publisher.rejectUnknown(['type', 'account']);
      return account ? { type, account } : undefined;
    }
    case 'linkedin': {
      const account = publisher.string('account', { pattern: ACCOUNT_NAME, hint: 'the name of a connected account, such as si-linkedin' });
      publisher.rejectUnknown(['type', 'account']);
      return account ? { type, account } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Why a publisher may not use this secret name, if it may not. A name outside SECRETS_FILE without the
 * PUBLISHER_SECRET_ prefix gets the same answer whether or not such a variable exists, so the refusal
 * tells nothing about the service's environment.
 */
export function secretProblem(name: string, secrets: NodeJS.ProcessEnv): string | undefined {
  if (secrets[name] !== undefined && secrets[name] !== '') return undefined;
  if (!name.startsWith(PUBLISHER_SECRET_PREFIX)) {
    return `${name} cannot be a publisher secret: name an environment variable starting with ${PUBLISHER_SECRET_PREFIX} or a name listed in SECRETS_FILE`;
  }
  return `environment variable ${name} is not set`;
}

function hasUserInfo(value: string): boolean {
  const url = new URL(value);
  return url.username !== '' || url.password !== '';
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function checkThemesWithin(campaign: CampaignDefinition, root: ObjectReader): void {
  const seen = new Map<string, number>();
  campaign.themes.forEach((theme, n) => {
    const i = at(theme, n);
    if (theme.start < campaign.start || theme.end > campaign.end) {
      root.error(`themes[${i}]`, `${theme.key} (${theme.start} – ${theme.end}) is outside the campaign (${campaign.start} – ${campaign.end})`);
    }
    if (seen.has(theme.key)) root.error(`themes[${i}].key`, `"${theme.key}" is already used by themes[${seen.get(theme.key)}]`);
    seen.set(theme.key, i);
  });
  checkThemeOverlaps(campaign.themes, root);
}

/**
 * In start order, a theme overlaps an earlier one exactly when it starts on or before the latest end
 * seen so far: one sort, O(n log n). Comparing every pair took 10 s and a million errors for 1,500
 * themes. Each overlapping theme is named once, with the theme reaching furthest before it.
 */
function checkThemeOverlaps(themes: ThemeDefinition[], root: ObjectReader): void {
  const byStart = themes.map((theme, n) => ({ theme, index: at(theme, n) }))
    .sort((a, b) => a.theme.start.localeCompare(b.theme.start) || a.index - b.index);
  let furthest: (typeof byStart)[number] | undefined;
  for (const current of byStart) {
    if (furthest && current.theme.start <= furthest.theme.end) {
      root.error(`themes[${current.index}]`, `${current.theme.key} overlaps themes[${furthest.index}] (${furthest.theme.key}): a date belongs to one theme`);
    }
    if (!furthest || current.theme.end > furthest.theme.end) furthest = current;
  }
}

function checkMembers(campaign: CampaignDefinition, root: ObjectReader): void {
  const seen = new Map<string, number>();
  campaign.members.forEach((member, n) => {
    const i = at(member, n);
    if (seen.has(member.code)) root.error(`members[${i}].code`, `"${member.code}" is already used by members[${seen.get(member.code)}]`);
    seen.set(member.code, i);
    if (!member.name[campaign.defaultLocale]) {
      root.error(`members[${i}].name`, `needs a name in the default locale (${campaign.defaultLocale})`);
    }
    if ((member.slots ?? campaign.slots).length === 0) {
      root.error(`members[${i}].slots`, 'no posting slots: give the member slots or the campaign default slots');
    }
    if (member.approval.length === 0) root.error(`members[${i}].approval`, 'needs at least one step (default: [coordinator])');
  });
}

/**
 * Adds, where asked (`holidays` on the member or the campaign), the member's public holidays within
 * the campaign to its blackout dates. The campaign's keyword skips members date-holidays has no
 * calendar for (a regional account); a member's own keyword on such a code is an error.
 */
function expandHolidays(campaign: CampaignDefinition, campaignHolidaysAt: number | undefined, root: ObjectReader): void {
  const tooLong = yearsSpanned(campaign.start, campaign.end) > MAX_HOLIDAY_YEARS;
  if (campaignHolidaysAt !== undefined && tooLong) return holidaysTooLong(campaign, `blackout[${campaignHolidaysAt}]`, root);
  campaign.members.forEach((member, n) => {
    const i = at(member, n);
    const ownAt = holidayKeyword.get(member);
    if (ownAt !== undefined && !hasHolidayCalendar(member.code)) {
      return root.error(`members[${i}].blackout[${ownAt}]`, `date-holidays has no public holidays for "${member.code}": list the dates instead`);
    }
    if (ownAt !== undefined && tooLong) return holidaysTooLong(campaign, `members[${i}].blackout[${ownAt}]`, root);
    const wanted = ownAt !== undefined || (campaignHolidaysAt !== undefined && hasHolidayCalendar(member.code));
    const holidays = wanted ? publicHolidays(member, campaign.start, campaign.end) : [];
    campaign.holidays.push(...holidays);
    if (holidays.length > 0) member.blackout = [...new Set([...member.blackout, ...holidays.map((h) => h.date)])].sort();
  });
}

function holidaysTooLong(campaign: CampaignDefinition, field: string, root: ObjectReader): void {
  root.error(field, `public holidays are looked up for campaigns of at most ${MAX_HOLIDAY_YEARS} calendar years; this one spans ${campaign.start} – ${campaign.end}: list the dates instead`);
}

function checkFactsToReview(campaign: CampaignDefinition, root: ObjectReader): void {
  const codes = new Set(campaign.members.map((member) => member.code));
  campaign.factsToReview?.forEach((code, i) => {
    if (!codes.has(code)) root.error(`factsToReview[${i}]`, `"${code}" is not a member of this campaign`);
  });
}
