import type { Network } from '../posts/length';
import { countGraphemes } from '../posts/length';
import type { ImageMime } from './media-types';

/** What a network takes of the images of one post. */
export interface NetworkMediaRules {
  minCount: number;
  maxCount: number;
  /** Per image, in bytes, after any copy the service makes. */
  maxBytes: number;
  types: readonly ImageMime[];
  maxAlt: number;
  /** Bluesky counts alt text in graphemes (what a reader sees as one character), the others in code points. */
  altUnit: 'graphemes' | 'characters';
  /** Width ÷ height the network shows uncropped. */
  aspect?: { min: number; max: number; label: string };
}

const ALL_TYPES: readonly ImageMime[] = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
const MB = 1024 * 1024;

/**
 * Per network (issue 13 #3; README "Media" lists them). X, Bluesky, Mastodon and Instagram as their
 * documentation states; Facebook and LinkedIn as the limits their page APIs document for photos
 * (Facebook: photos under 4 MB, 10 in a multi-photo post; LinkedIn: 9 images shown in one post,
 * altText up to 4,086 characters), rounded down where they differ by type.
 */
export const MEDIA_RULES: Record<Network, NetworkMediaRules> = {
  x: { minCount: 0, maxCount: 4, maxBytes: 5 * MB, types: ALL_TYPES, maxAlt: 1000, altUnit: 'characters' },
  // The app view refuses images over 1,000,000 bytes (976.56 KB); the PDS itself takes 5 MiB.
  bluesky: { minCount: 0, maxCount: 4, maxBytes: 1_000_000, types: ALL_TYPES, maxAlt: 2000, altUnit: 'graphemes' },
  // mastodon.social's defaults (16 MB images); description up to 1,500 characters.
  mastodon: { minCount: 0, maxCount: 4, maxBytes: 16 * MB, types: ALL_TYPES, maxAlt: 1500, altUnit: 'characters' },
  instagram: { minCount: 1, maxCount: 10, maxBytes: 8 * MB, types: ['image/jpeg'], maxAlt: 1000, altUnit: 'characters', aspect: { min: 4 / 5, max: 1.91, label: '4:5 to 1.91:1' } },
  facebook: { minCount: 0, maxCount: 10, maxBytes: 4 * MB, types: ALL_TYPES, maxAlt: 1000, altUnit: 'characters' },
  linkedin: { minCount: 0, maxCount: 9, maxBytes: 5 * MB, types: ['image/png', 'image/jpeg', 'image/gif'], maxAlt: 4086, altUnit: 'characters' },
};

export interface MediaFacts {
  mime: ImageMime;
  width: number;
  height: number;
  bytes: number;
  alt: string;
}

export type MediaRule = 'count' | 'size' | 'type' | 'aspect' | 'alt-length' | 'alt-missing';

export interface MediaProblem {
  rule: MediaRule;
  /** The image concerned (0-based, as in `media[i]`), null for the post as a whole. */
  index: number | null;
  message: string;
}

/**
 * The rules an edit must meet. Size and type are left out: the service makes a conforming copy
 * (conformingTarget) instead of refusing. Missing alt text and too few images are allowed while
 * the post is a draft and refused on submit (submitProblems).
 */
export function editProblems(network: Network, media: MediaFacts[]): MediaProblem[] {
  const rules = MEDIA_RULES[network];
  const problems: MediaProblem[] = [];
  if (media.length > rules.maxCount) {
    problems.push({ rule: 'count', index: null, message: `${network} takes at most ${rules.maxCount} images; this post has ${media.length}` });
  }
  media.forEach((item, index) => {
    const length = rules.altUnit === 'graphemes' ? countGraphemes(item.alt) : [...item.alt].length;
    if (length > rules.maxAlt) {
      problems.push({ rule: 'alt-length', index, message: `alt text of ${length} ${rules.altUnit} is over ${network}'s ${rules.maxAlt}` });
    }
    if (rules.aspect && item.height > 0) {
      const ratio = item.width / item.height;
      // A hair of tolerance: 1080×1350 is exactly 4:5, and so are its rounded resizes.
      if (ratio < rules.aspect.min - 0.005 || ratio > rules.aspect.max + 0.005) {
        problems.push({ rule: 'aspect', index, message: `${item.width}×${item.height} is outside ${network}'s aspect ratios ${rules.aspect.label}; crop it` });
      }
    }
  });
  return problems;
}

/** Everything an edit checks, and what only a post going to review must have: alt text, enough images. */
export function submitProblems(network: Network, media: MediaFacts[]): MediaProblem[] {
  const rules = MEDIA_RULES[network];
  const problems = editProblems(network, media);
  if (media.length < rules.minCount) {
    problems.push({ rule: 'count', index: null, message: `${network} needs at least ${rules.minCount} image${rules.minCount === 1 ? '' : 's'}; this post has ${media.length}` });
  }
  media.forEach((item, index) => {
    if (item.alt.trim() === '') problems.push({ rule: 'alt-missing', index, message: 'has no alt text: describe the image for people who cannot see it' });
    if (item.bytes > rules.maxBytes) problems.push({ rule: 'size', index, message: `${item.bytes} bytes is over ${network}'s ${rules.maxBytes}` });
    if (!rules.types.includes(item.mime)) problems.push({ rule: 'type', index, message: `${network} does not take ${item.mime}` });
  });
  return problems;
}

/** The copy to make so an image fits the network: null when it already does. */
export function conformingTarget(network: Network, item: Pick<MediaFacts, 'mime' | 'bytes'>): { maxBytes: number; mime: ImageMime } | null {
  const rules = MEDIA_RULES[network];
  if (item.bytes <= rules.maxBytes && rules.types.includes(item.mime)) return null;
  // A type the network does not take becomes JPEG, which every network takes (PNG for transparency is lost).
  return { maxBytes: rules.maxBytes, mime: rules.types.includes(item.mime) ? item.mime : 'image/jpeg' };
}

/** `media[2]: has no alt text…`: how a problem reads in a 400 or 409. */
export function describeProblem(problem: MediaProblem, ids?: number[]): string {
  if (problem.index === null) return `media: ${problem.message}`;
  const id = ids?.[problem.index];
  return `media[${problem.index}]${id !== undefined ? ` (image ${id})` : ''}: ${problem.message}`;
}
