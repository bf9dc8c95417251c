import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ApprovalsService } from '../approvals/approvals.service';
import type { AuthUser } from '../common/auth-user';

const LOCALE_PAIRS = [['sl', 'en'], ['hr', 'sr-Latn'], ['bs', 'sr-Cyrl'], ['mk', 'sq'], ['bg', 'ro'], ['cnr', 'en']];

function code(i: number): string {
  const A = 65;
  return String.fromCharCode(A + Math.floor(i / 676) % 26, A + Math.floor(i / 26) % 26, A + (i % 26));
}

/**
 * The shipped 2021 campaign scaled up: `members` synthetic members, 2 locales and 3 channels each,
 * 4 slots a day over the 21 campaign days = 504 posts per member (200 members → 100,800 posts),
 * rendered from the shipped templates. Every fourth member carries Slovenia's facts.
 */
/**
 * The benches' clock: two weeks before the campaigns they plan (2021), so that those campaigns are
 * imported active, not archived (an archived campaign can be neither re-planned nor approved).
 */
export const BENCH_NOW = new Date('2021-10-01T09:00:00Z');

export function syntheticCampaign(root: string, slug: string, members: number): Record<string, unknown> {
  const shipped = parse(readFileSync(join(root, 'campaigns/natc-see-2021.yaml'), 'utf8'));
  const zones = shipped.members.map((m: { timezone: string }) => m.timezone);
  const facts = shipped.members.find((m: { code: string }) => m.code === 'SI').facts;
  return {
    ...shipped,
    slug,
    templates: 'natc-see-2021',
    slots: [{ time: '08:30' }, { time: '11:00' }, { time: '14:15' }, { time: '18:45' }],
    members: Array.from({ length: members }, (_, i) => ({
      code: code(i),
      name: { en: `Member ${code(i)}` },
      timezone: zones[i % zones.length],
      locales: LOCALE_PAIRS[i % LOCALE_PAIRS.length],
      channels: [{ network: 'x' }, { network: 'facebook' }, { network: i % 2 ? 'mastodon' : 'bluesky' }],
      ...(i % 4 === 0 ? { facts } : {}),
    })),
  };
}

/** Submits and approves the posts through the approvals module, a thousand per bulk request (its limit). */
export async function approveAll(approvals: ApprovalsService, user: AuthUser, posts: { id: number | string; revision: number | string }[]): Promise<void> {
  for (let i = 0; i < posts.length; i += 1000) {
    const submitted = await approvals.bulk(user, 'submit', posts.slice(i, i + 1000).map((p) => ({ id: Number(p.id), revision: Number(p.revision) })));
    await approvals.bulk(user, 'approve', submitted.items.map((p) => ({ id: p.id, revision: p.revision })));
  }
}
