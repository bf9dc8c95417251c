import { extractEntitiesWithIndices } from 'twitter-text';
import { Network, networkName } from '../posts/length';

/** A piece of a post's text as a network shows it: plain, a link, a #hashtag or an @mention. */
export interface PreviewSpan {
  kind: 'text' | 'link' | 'tag' | 'mention';
  text: string;
}

/**
 * The post's text cut into spans, for the preview to style links and hashtags the way the networks
 * do. Spans are plain text (the page escapes each one), never HTML: a post containing `<b>` or
 * `&amp;` shows exactly that. Entities are found as X finds them (twitter-text), bare domains
 * included; the other networks link the same ones closely enough for a preview.
 */
export function previewSpans(text: string): PreviewSpan[] {
  const spans: PreviewSpan[] = [];
  let at = 0;
  const entities = extractEntitiesWithIndices(text).sort((a, b) => a.indices[0] - b.indices[0]);
  for (const entity of entities) {
    const [start, end] = entity.indices;
    if (start < at) continue;
    if (start > at) spans.push({ kind: 'text', text: text.slice(at, start) });
    const kind = 'url' in entity ? 'link' : 'hashtag' in entity ? 'tag' : 'mention';
    spans.push({ kind, text: text.slice(start, end) });
    at = end;
  }
  if (at < text.length) spans.push({ kind: 'text', text: text.slice(at) });
  return spans;
}

/** What a network's counter counts (length.ts counts it the same way). */
export type CounterUnit = 'weighted' | 'graphemes' | 'characters';

export interface NetworkCounter {
  /** Whether the network would show a counter at all: those with a long limit only near it. */
  shown: boolean;
  unit: CounterUnit;
  length: number;
  limit: number;
  percent: number;
  over: boolean;
}

/** Networks whose writers watch the counter all the time: the limit is short. */
const ALWAYS_COUNTED: Network[] = ['x', 'bluesky', 'mastodon'];
/** "Near" the limit for the long-form networks: the last tenth. */
const NEAR = 0.9;

/**
 * The counter meaningful for the network: X's weighted length out of 280, Bluesky's graphemes out
 * of 300 and Mastodon's characters out of 500, always; Facebook, LinkedIn and Instagram only near
 * or over their limit (nobody needs "261 / 63206").
 */
export function networkCounter(network: Network, length: number, limit: number): NetworkCounter {
  const unit: CounterUnit = network === 'x' ? 'weighted' : network === 'bluesky' ? 'graphemes' : 'characters';
  const over = length > limit;
  return {
    shown: ALWAYS_COUNTED.includes(network) || length >= limit * NEAR,
    unit, length, limit, over,
    percent: Math.min(100, Math.round((length / limit) * 100)),
  };
}


/** `Hrvatska` → `hrvatska`, `Slovenija` → `slovenija`; a name with no Latin letters gives the member code. */
function handleOf(name: string, code: string): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '');
  return ascii || code.toLowerCase();
}

/**
 * The account line of the preview: the member's name as the account name, its first letter as the
 * avatar, and a handle-like line the way the network writes it. The handle is illustrative (the
 * campaign does not know the accounts' real handles) except for a Mastodon instance the channel names.
 */
export function previewAccount(network: Network, member: { code: string; name: string }, mastodonInstance?: string) {
  const handle = handleOf(member.name, member.code);
  const host = mastodonInstance ? new URL(mastodonInstance).hostname : 'mastodon.social';
  const handles: Record<Network, string | null> = {
    x: `@${handle}`, bluesky: `@${handle}.bsky.social`, mastodon: `@${handle}@${host}`, instagram: handle, facebook: null, linkedin: null,
  };
  return { name: member.name, initial: [...member.name.trim()][0]?.toUpperCase() ?? '?', handle: handles[network], networkName: networkName(network) };
}
