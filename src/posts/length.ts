import { extractUrlsWithIndices, parseTweet } from 'twitter-text';

export const NETWORKS = ['x', 'facebook', 'instagram', 'linkedin', 'mastodon', 'bluesky'] as const;
export type Network = (typeof NETWORKS)[number];

/** The networks' own names, the same in every language (pages, mails, import errors). */
const NETWORK_NAMES: Record<Network, string> = {
  x: 'X', facebook: 'Facebook', instagram: 'Instagram', linkedin: 'LinkedIn', mastodon: 'Mastodon', bluesky: 'Bluesky',
};

export function networkName(network: string): string {
  return NETWORK_NAMES[network as Network] ?? network;
}

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

/**
 * Scripts where every code point is its own grapheme: Latin, Greek and Cyrillic letters without
 * combining marks, common punctuation and currency. No joiners, emoji, combining marks or surrogates.
 */
const ONE_CODE_POINT_PER_GRAPHEME = /^[\u0000-\u02FF\u0370-\u0482\u048A-\u052F\u2010-\u2027\u2030-\u205E\u20A0-\u20BF]*$/;

export function countGraphemes(text: string): number {
  // Intl.Segmenter is exact but slow; most campaign text needs no segmentation at all.
  if (ONE_CODE_POINT_PER_GRAPHEME.test(text)) return text.length - (text.match(/\r\n/g)?.length ?? 0);
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

/**
 * Mastodon counts code points, every http(s) link as 23 whatever its length (its StatusLengthValidator
 * uses the twitter-text extractor without bare domains): utm-tagged links must not count in full.
 */
function mastodonLength(text: string): number {
  let length = [...text].length;
  if (!/https?:\/\//i.test(text)) return length;
  for (const { url } of extractUrlsWithIndices(text, { extractUrlsWithoutProtocol: false })) {
    if (/^https?:\/\//i.test(url)) length += 23 - [...url].length;
  }
  return length;
}

/**
 * The length as the network counts it: X weighs characters and counts every URL (bare domains too)
 * as 23 (twitter-text); Bluesky counts graphemes; Mastodon counts code points and every http(s) URL
 * as 23; the others count UTF-16 units.
 */
export function countLength(network: Network, text: string): number {
  switch (network) {
    case 'x':
      return parseTweet(text).weightedLength;
    case 'bluesky':
      return countGraphemes(text);
    case 'mastodon':
      return mastodonLength(text);
    default:
      return text.length;
  }
}

export function isNetwork(value: unknown): value is Network {
  return typeof value === 'string' && (NETWORKS as readonly string[]).includes(value);
}
