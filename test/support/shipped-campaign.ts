import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './test-app';

/** The shipped 2021 campaign as a plain object (a fresh copy each call), as a client would send it. */
export function shippedCampaign(): Record<string, any> {
  return parse(readFileSync(join(ROOT, 'campaigns/natc-see-2021.yaml'), 'utf8'));
}

/** A second campaign on the shipped templates, with the members given (default SI and HR). */
export function campaignOnShippedTemplates(slug: string, members = ['SI', 'HR']): Record<string, any> {
  const campaign = shippedCampaign();
  return { ...campaign, slug, templates: 'natc-see-2021', members: campaign.members.filter((m: { code: string }) => members.includes(m.code)) };
}
