import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CampaignDefinition, validateCampaign } from '../../src/campaigns/campaign-definition';
import { formatFieldError } from '../../src/common/object-reader';

/** Plain input objects, as a campaign file or an API body holds them (tests may put wrong values in). */
export type RawSlot = { time?: unknown; days?: unknown; [extra: string]: unknown };
export type RawTheme = { key?: unknown; start?: unknown; end?: unknown; messages?: unknown; [extra: string]: unknown };
export type RawMember = {
  code?: unknown;
  name?: unknown;
  timezone?: unknown;
  locales?: unknown;
  channels?: unknown;
  approval?: unknown;
  slots?: RawSlot[];
  blackout?: unknown;
  facts?: unknown;
  [extra: string]: unknown;
};
export type RawCampaign = {
  slug?: unknown;
  name?: unknown;
  start?: unknown;
  end?: unknown;
  defaultLocale?: unknown;
  hashtags?: unknown;
  templates?: unknown;
  slots?: RawSlot[];
  themes?: RawTheme[];
  members?: RawMember[];
  [extra: string]: unknown;
};

export const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const SLOVENIA_FACTS = { year: 2020, offences: 29, perpetrators: 27 };

/** Slovenia, posting at the campaign's default slots: Europe/Ljubljana changes at 01:00Z on 31 Oct 2021. */
export function buildMember(overrides: RawMember = {}): RawMember {
  return {
    code: 'SI',
    name: { en: 'Slovenia', sl: 'Slovenija' },
    timezone: 'Europe/Ljubljana',
    locales: ['sl'],
    channels: [{ network: 'x' }, { network: 'facebook' }],
    facts: { ...SLOVENIA_FACTS },
    ...overrides,
  };
}

/**
 * Two weeks around the end of EU summer time (Sunday 31 Oct 2021): capacity building 25–31 Oct with
 * three messages, victim assistance 1–7 Nov with two; one daily 10:00 slot; one member, Slovenia.
 */
export function buildCampaign(overrides: RawCampaign = {}): RawCampaign {
  return {
    slug: 'test-campaign',
    name: 'End impunity (test)',
    start: '2021-10-25',
    end: '2021-11-07',
    defaultLocale: 'en',
    hashtags: ['EndImpunity'],
    slots: [{ time: '10:00', days: [...EVERY_DAY] }],
    themes: [
      { key: 'capacity-building', start: '2021-10-25', end: '2021-10-31', messages: ['cb-1', 'cb-2', 'cb-3'] },
      { key: 'victim-assistance', start: '2021-11-01', end: '2021-11-07', messages: ['va-1', 'va-2'] },
    ],
    members: [buildMember()],
    ...overrides,
  };
}

/** A validated campaign: throws with every field error when the input is not valid. */
export function defineCampaign(input: RawCampaign = buildCampaign(), env: NodeJS.ProcessEnv = {}): CampaignDefinition {
  const result = validateCampaign(input, env);
  if (!result.ok) throw new Error(`invalid test campaign:\n${result.errors.map(formatFieldError).join('\n')}`);
  return result.campaign;
}

export const REPO_ROOT = join(__dirname, '..', '..');
export const SHIPPED_CAMPAIGN_FILE = join(REPO_ROOT, 'campaigns', 'natc-see-2021.yaml');
export const SHIPPED_TEMPLATES_ROOT = join(REPO_ROOT, 'templates');

export function shippedCampaignSource(): string {
  return readFileSync(SHIPPED_CAMPAIGN_FILE, 'utf8');
}

/** The shipped campaign file as a plain object (YAML dates become Date, as when imported). */
export function shippedCampaignInput(): RawCampaign {
  return parse(shippedCampaignSource()) as RawCampaign;
}
