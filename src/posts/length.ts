import { parseTweet } from 'twitter-text';

export const NETWORKS = ['x', 'facebook', 'instagram', 'linkedin', 'mastodon', 'bluesky'] as const;
export type Network = (typeof NETWORKS)[number];

/** Each network's own limit, in its own unit (domain.md "Networks and what they count"). */
export const NETWORK_LIMITS: Record<Network, number> = {
  x: 280,
  mastodon: 500,
  bluesky: 300,
  instagram: 2200,
  linkedin: 3000,
  facebook: 63206,
};

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

function countGraphemes(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

/**
 * The length as the network counts it: X weighs characters and counts every URL (bare domains too)
 * as 23 (twitter-text); Bluesky counts graphemes; Mastodon counts code points (every URL as 23, which
 * this does not model: our texts carry no links); the others count UTF-16 units.
 */
export function countLength(network: Network, text: string): number {
  switch (network) {
    case 'x':
      return parseTweet(text).weightedLength;
    case 'bluesky':
      return countGraphemes(text);
    case 'mastodon':
      return [...text].length;
    default:
      return text.length;
  }
}

export function isNetwork(value: unknown): value is Network {
  return typeof value === 'string' && (NETWORKS as readonly string[]).includes(value);
}
