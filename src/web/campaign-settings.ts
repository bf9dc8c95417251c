import { InvalidInput } from '../common/errors';
import { NETWORKS } from '../posts/length';
import { WEEKDAYS } from '../time/local-time';
import { ACCOUNT_PUBLISHERS, PUBLISHER_TYPES } from '../campaigns/campaign-definition';
import { designationFootnotes, memberDisplayName } from '../campaigns/designations';

/**
 * The campaign settings form: themes, default and members' slots, channels and blackouts as plain
 * form fields, named by their path in the campaign object (`members[2].slots[0].time`), so that
 * validateCampaign's errors land on the field that caused them. Everything the form does not show
 * (names, locales, facts, utm…) is kept from the stored object as it is.
 */

export type FormFields = Record<string, string | string[]>;
type Campaign = Record<string, any>;

const HOLIDAYS = 'holidays';
/** The publisher keys behind the form's four generic inputs, per type. */
const PUBLISHER_KEYS: Record<string, { address?: string; handle?: string; secret?: string; account?: string }> = {
  manual: {},
  webhook: { address: 'url', secret: 'secretEnv' },
  mastodon: { address: 'instance', secret: 'tokenEnv' },
  bluesky: { address: 'service', handle: 'handle', secret: 'passwordEnv' },
  // Publishers through a connected account (issue 14): the account's name is all the channel says.
  ...Object.fromEntries(ACCOUNT_PUBLISHERS.map((type) => [type, { account: 'account' }])),
};
const FIELD_MAX = 500;

const FIELD = new RegExp([
  '^(name|start|end|holidays|token)$',
  '^themes\\[\\d{1,3}\\]\\.(key|start|end|messages)$',
  '^slots\\[\\d{1,3}\\]\\.(time|days)$',
  '^members\\[\\d{1,3}\\]\\.(holidays|slots\\[\\d{1,3}\\]\\.(time|days)|channels\\[\\d{1,3}\\]\\.(network|publisher|address|handle|secret|account)|blackout\\[\\d{1,3}\\])$',
].join('|'));

const MEMBER_INDEX = /^members\[(\d+)\]/;

/**
 * Posted fields, each checked: a name the form does not have (a member past the campaign's
 * `memberCount` included), a value given twice or an over-long one is refused by name.
 */
export function readSettingsFields(body: unknown, memberCount = Infinity): FormFields {
  const fields: FormFields = {};
  const errors: { field: string; message: string }[] = [];
  for (const [name, value] of Object.entries(body && typeof body === 'object' ? body : {})) {
    if (name === '_csrf') continue;
    const values = Array.isArray(value) ? value : [value];
    if (!FIELD.test(name) || Number(MEMBER_INDEX.exec(name)?.[1] ?? 0) >= memberCount) errors.push({ field: name, message: 'unknown field' });
    else if (values.some((v) => typeof v !== 'string' || v.length > FIELD_MAX)) errors.push({ field: name, message: `must be text of at most ${FIELD_MAX} characters` });
    else if (values.length > 1 && !name.endsWith('.days')) errors.push({ field: name, message: 'is given more than once' });
    else fields[name] = value as string | string[];
  }
  if (errors.length > 0) throw new InvalidInput(errors);
  return fields;
}

const text = (fields: FormFields, name: string): string => {
  const value = fields[name];
  return (Array.isArray(value) ? value[0] : value ?? '').trim();
};
const list = (fields: FormFields, name: string): string[] => {
  const value = fields[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
};
/** The row indices the form posted under `prefix[n].`, in order. */
function rows(fields: FormFields, prefix: string): number[] {
  const escaped = prefix.replace(/[[\].]/g, '\\$&');
  const pattern = new RegExp(`^${escaped}\\[(\\d+)\\][.]?`);
  const found = new Set<number>();
  for (const name of Object.keys(fields)) {
    const m = pattern.exec(name);
    if (m) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

function readSlots(fields: FormFields, prefix: string): { time: string; days: string[] }[] {
  return rows(fields, prefix).flatMap((i) => {
    const time = text(fields, `${prefix}[${i}].time`);
    const days = list(fields, `${prefix}[${i}].days`);
    // A blank row (the one offered for adding) is no slot; a time without days is the validator's to refuse.
    return time ? [{ time, days: WEEKDAYS.filter((d) => days.includes(d)) }] : [];
  });
}

function readThemes(fields: FormFields): Campaign[] {
  return rows(fields, 'themes').flatMap((i) => {
    const at = (key: string) => text(fields, `themes[${i}].${key}`);
    if (!at('key') && !at('start') && !at('end') && !at('messages')) return [];
    return [{ key: at('key'), start: at('start'), end: at('end'), messages: at('messages').split(/[\s,]+/).filter(Boolean) }];
  });
}

function readChannels(fields: FormFields, member: number, before: Campaign[]): Campaign[] {
  const prefix = `members[${member}].channels`;
  return rows(fields, prefix).flatMap((j) => {
    const at = (key: string) => text(fields, `${prefix}[${j}].${key}`);
    const network = at('network');
    if (!network) return [];
    const type = at('publisher') || 'manual';
    const keys = PUBLISHER_KEYS[type];
    const previous = before.find((c) => c.network === network);
    // A manual channel written without `publisher` stays so: an unchanged form must give the same object.
    if (type === 'manual') return [previous && previous.publisher ? { ...previous, network, publisher: { type } } : { ...(previous ?? {}), network }];
    const publisher: Campaign = { type };
    for (const [input, key] of Object.entries(keys ?? {})) publisher[key] = at(input);
    return [{ ...(previous ?? {}), network, publisher }];
  });
}

function readBlackout(fields: FormFields, prefix: string, holidaysField: string, before: unknown): string[] | undefined {
  const dates = rows(fields, prefix).map((k) => text(fields, `${prefix}[${k}]`)).filter(Boolean);
  const blackout = [...dates, ...(text(fields, holidaysField) ? [HOLIDAYS] : [])];
  return blackout.length > 0 || Array.isArray(before) ? blackout : undefined;
}

const setOrDelete = (target: Campaign, key: string, value: unknown) => {
  if (value === undefined) delete target[key];
  else target[key] = value;
};

/** The stored object with the form's settings put in: what the preview and the re-plan are given. */
export function campaignFromSettings(source: Campaign, fields: FormFields): Campaign {
  const campaign: Campaign = structuredClone(source);
  campaign.name = text(fields, 'name');
  campaign.start = text(fields, 'start');
  campaign.end = text(fields, 'end');
  campaign.themes = readThemes(fields);
  const slots = readSlots(fields, 'slots');
  setOrDelete(campaign, 'slots', slots.length > 0 || source.slots ? slots : undefined);
  // The top-level blackout holds only the holidays keyword (dates go on members).
  setOrDelete(campaign, 'blackout', text(fields, 'holidays') ? [HOLIDAYS] : source.blackout ? [] : undefined);
  campaign.members = (campaign.members as Campaign[]).map((member, i) => {
    const own = readSlots(fields, `members[${i}].slots`);
    setOrDelete(member, 'slots', own.length > 0 ? own : undefined);
    member.channels = readChannels(fields, i, source.members[i].channels ?? []);
    setOrDelete(member, 'blackout', readBlackout(fields, `members[${i}].blackout`, `members[${i}].holidays`, source.members[i].blackout));
    return member;
  });
  return campaign;
}

export interface SettingsError { field: string; message: string }

export interface SettingsInput { id: string; name: string; value: string; error: string | null }
export interface SlotRow { time: SettingsInput; days: { day: string; checked: boolean; name: string; id: string }[]; errors: string[] }

/** An element id for a field (`members[2].slots[0].time` → `f-members-2-slots-0-time`). */
export const inputId = (name: string) => `f-${name.replace(/[^a-zA-Z0-9]+/g, '-').replace(/-$/, '')}`;

const dateOnly = (value: unknown) => (typeof value === 'string' ? value : '');

/** The form's errors, each given to its input (a publisher key to the input that carries it) or else its row. */
export function inputNameOf(field: string): string {
  return field
    .replace(/\.publisher\.(url|instance|service)$/, '.address')
    .replace(/\.publisher\.(secretEnv|tokenEnv|passwordEnv)$/, '.secret')
    .replace(/\.publisher\.handle$/, '.handle')
    .replace(/\.publisher\.account$/, '.account')
    .replace(/\.publisher\.type$/, '.publisher')
    .replace(/\.(days|messages)\[\d+\]$/, '.$1');
}

/** The form's model: the object's settings as inputs (with one blank row to add with), errors at their place. */
export function settingsForm(campaign: Campaign, errors: SettingsError[], locale = 'en') {
  const claimed = new Set<SettingsError>();
  const at = (name: string): string | null => {
    const mine = errors.filter((e) => inputNameOf(e.field) === name);
    mine.forEach((e) => claimed.add(e));
    return mine.length > 0 ? mine.map((e) => e.message).join('; ') : null;
  };
  const input = (name: string, value: unknown): SettingsInput => ({ id: inputId(name), name, value: value === undefined || value === null ? '' : String(value), error: at(name) });
  const rowErrors = (path: string) => {
    const mine = errors.filter((e) => !claimed.has(e) && (e.field === path || e.field.startsWith(`${path}.`) || e.field.startsWith(`${path}[`)));
    mine.forEach((e) => claimed.add(e));
    return mine.map((e) => `${e.field}: ${e.message}`);
  };
  const slotRows = (prefix: string, slots: { time: string; days?: string[] }[] | undefined): SlotRow[] =>
    [...(slots ?? []), { time: '', days: [] }].map((slot, i) => {
      const daysError = at(`${prefix}[${i}].days`);
      return {
        time: input(`${prefix}[${i}].time`, slot.time),
        days: WEEKDAYS.map((day) => ({ day, name: `${prefix}[${i}].days`, id: inputId(`${prefix}[${i}].days.${day}`), checked: (slot.days ?? (slot.time ? [...WEEKDAYS] : [])).includes(day) })),
        errors: [...(daysError ? [daysError] : []), ...rowErrors(`${prefix}[${i}]`)],
      };
    });
  const themes = [...(campaign.themes ?? []), { key: '', start: '', end: '', messages: [] }].map((theme: Campaign, i: number) => ({
    key: input(`themes[${i}].key`, theme.key), start: input(`themes[${i}].start`, dateOnly(theme.start)), end: input(`themes[${i}].end`, dateOnly(theme.end)),
    messages: input(`themes[${i}].messages`, Array.isArray(theme.messages) ? theme.messages.join(' ') : ''),
  }));
  const members = (campaign.members ?? []).map((member: Campaign, i: number) => {
    const dates = (Array.isArray(member.blackout) ? member.blackout : []).filter((d: unknown) => d !== HOLIDAYS);
    return {
      code: String(member.code ?? ''), index: i,
      name: typeof member.name === 'object' && member.name ? memberDisplayName({ code: String(member.code ?? ''), name: member.name }, locale) : String(member.code ?? ''),
      slots: slotRows(`members[${i}].slots`, member.slots),
      channels: [...(member.channels ?? []), { network: '' }].map((channel: Campaign, j: number) => {
        const prefix = `members[${i}].channels[${j}]`;
        const type = channel.publisher?.type ?? (channel.network ? 'manual' : '');
        const keys = PUBLISHER_KEYS[type] ?? {};
        return {
          network: { ...input(`${prefix}.network`, channel.network), options: NETWORKS.map((n) => ({ value: n, selected: n === channel.network })) },
          publisher: { ...input(`${prefix}.publisher`, type), options: PUBLISHER_TYPES.map((p) => ({ value: p, selected: p === type })) },
          address: input(`${prefix}.address`, keys.address ? channel.publisher?.[keys.address] : ''),
          handle: input(`${prefix}.handle`, keys.handle ? channel.publisher?.[keys.handle] : ''),
          secret: input(`${prefix}.secret`, keys.secret ? channel.publisher?.[keys.secret] : ''),
          account: input(`${prefix}.account`, keys.account ? channel.publisher?.[keys.account] : ''),
          errors: rowErrors(prefix),
        };
      }),
      blackout: [...dates, '', ''].map((date: unknown, k: number) => input(`members[${i}].blackout[${k}]`, dateOnly(date))),
      holidays: { name: `members[${i}].holidays`, id: inputId(`members[${i}].holidays`), checked: Array.isArray(member.blackout) && member.blackout.includes(HOLIDAYS) },
      errors: [] as string[],
    };
  });
  const form = {
    name: input('name', campaign.name), start: input('start', dateOnly(campaign.start)), end: input('end', dateOnly(campaign.end)),
    holidays: Array.isArray(campaign.blackout) && campaign.blackout.includes(HOLIDAYS),
    themes: themes.map((theme, i) => ({ ...theme, errors: rowErrors(`themes[${i}]`) })),
    slots: slotRows('slots', campaign.slots),
    members: members.map((member: Campaign) => ({
      ...member, errors: rowErrors(`members[${member.index}]`),
      // A member with a problem is shown unfolded, so its message is seen.
      open: errors.some((e) => e.field.startsWith(`members[${member.index}]`)),
    })),
    weekdays: WEEKDAYS,
    // "Kosovo*" is shown in full among the members: its footnote goes with it (domain.md).
    footnotes: designationFootnotes(members.map((m: { name: string }) => m.name), locale),
    // Whatever no input or row took (templates, the plan's size): shown at the top.
    otherErrors: [] as string[],
  };
  form.otherErrors = errors.filter((e) => !claimed.has(e)).map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
  return form;
}
