import type { ObjectReader } from '../common/object-reader';
import { isNetwork, Network, NETWORKS } from '../posts/length';

/**
 * `utm:` in a campaign: the tags every http(s) link of a post gets. Each value may name the post's
 * `{member}`, `{locale}`, `{network}` or `{theme}`; `source` may instead give one value per network.
 */
export interface UtmDefinition {
  /** One value for every network, or one per network (a network not listed uses its own name). */
  source: string | Partial<Record<Network, string>>;
  medium: string;
  campaign: string;
  content?: string;
}

/** What a post's tags may name. */
export interface UtmPost {
  member: string;
  locale: string;
  network: Network;
  theme: string;
}

const PLACEHOLDERS = ['member', 'locale', 'network', 'theme'] as const;
const PLACEHOLDER = /\{([^{}]*)\}/g;

/** A tag value: non-empty, one line, and only the placeholders a post can fill. */
function readValue(reader: ObjectReader, key: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (/[\r\n]/.test(value)) return void reader.error(key, 'must be one line');
  const unknown = [...value.matchAll(PLACEHOLDER)].map((m) => m[1]).filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0) return void reader.error(key, `unknown placeholder {${unknown[0]}} (expected ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`);
  return value;
}

function readSource(utm: ObjectReader): UtmDefinition['source'] | undefined {
  const raw = (utm.value as Record<string, unknown>).source;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return readValue(utm, 'source', utm.string('source'));
  const map = utm.child('source');
  const source: Partial<Record<Network, string>> = {};
  for (const network of Object.keys(raw)) {
    if (!isNetwork(network)) {
      map.error(network, `is not a network (expected one of ${NETWORKS.join(', ')})`);
      continue;
    }
    const value = readValue(map, network, map.string(network));
    if (value !== undefined) source[network] = value;
  }
  if (Object.keys(raw).length === 0) utm.error('source', 'must name at least one network');
  return source;
}

/** Reads `utm:` of the campaign; every error names its field (`utm.source.x`, `utm.medium`). */
export function readUtm(owner: ObjectReader): UtmDefinition | undefined {
  const value = (owner.value as Record<string, unknown>).utm;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return void owner.error('utm', 'must be a map of source, medium, campaign and content');
  const utm = owner.child('utm');
  const source = readSource(utm);
  const medium = readValue(utm, 'medium', utm.string('medium'));
  const campaign = readValue(utm, 'campaign', utm.string('campaign'));
  const content = readValue(utm, 'content', utm.optionalString('content'));
  utm.rejectUnknown(['source', 'medium', 'campaign', 'content']);
  if (source === undefined || medium === undefined || campaign === undefined) return undefined;
  return { source, medium, campaign, ...(content !== undefined ? { content } : {}) };
}

function fill(value: string, post: UtmPost): string {
  return value.replace(PLACEHOLDER, (_, name: (typeof PLACEHOLDERS)[number]) => post[name]);
}

/** The utm_* parameters of one post's links, in the order they are appended. */
export function utmParameters(utm: UtmDefinition, post: UtmPost): [string, string][] {
  const source = typeof utm.source === 'string' ? utm.source : (utm.source[post.network] ?? post.network);
  const params: [string, string][] = [
    ['utm_source', fill(source, post)],
    ['utm_medium', fill(utm.medium, post)],
    ['utm_campaign', fill(utm.campaign, post)],
  ];
  if (utm.content !== undefined) params.push(['utm_content', fill(utm.content, post)]);
  return params;
}
