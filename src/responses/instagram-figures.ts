import { type Reading } from './mastodon-figures';

/*
 * Instagram media figures, Instagram API with Facebook Login, Graph API v26.0 (developers.facebook.com,
 * "IG User Media" and "IG Media" references, read 2026-11-30): an IG Media has `like_count` and
 * `comments_count`. A post is read by the media id the publisher records (issue 14). Posts published
 * before that have only the `permalink` (https://www.instagram.com/p/<shortcode>/), whose shortcode is
 * not the media id, so for them the account's media edge is read instead:
 * `GET /{ig-user-id}/media?fields=id,permalink,timestamp,like_count,comments_count&limit=100` (newest first,
 * `paging.cursors.after` / `paging.next`): one call answers many posts, which GET /{ig-media-id} would
 * ask one by one. A post published since the page's oldest media yet absent from it was deleted.
 * Impressions: left out. The IG Media Insights reference (updated 2026-06) says `impressions` is
 * deprecated since v22.0 for media created after 2024-07-01; its successor `views` needs the
 * instagram_manage_insights permission, which the Instagram connection does not ask for.
 */
/** The figures of one media, read by its id (`GET /{ig-media-id}?fields=`). */
export const INSTAGRAM_FIGURE_FIELDS = 'like_count,comments_count';
export const INSTAGRAM_MEDIA_FIELDS = `id,permalink,timestamp,${INSTAGRAM_FIGURE_FIELDS}`;
/** The most the media edge gives in one page. */
export const INSTAGRAM_PAGE_LIMIT = 100;

const count = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** like_count → likes, comments_count → replies; Instagram gives no reposts or quotes. */
export function instagramFigures(media: Record<string, unknown>): Reading {
  return { kind: 'figures', likes: count(media.like_count), reposts: null, replies: count(media.comments_count), quotes: null, impressions: null };
}

/** A permalink as a key: Instagram's own carry a trailing slash and sometimes a query (`?igsh=`). */
export function instagramPermalinkKey(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (!/(^|\.)instagram\.com$/.test(parsed.hostname)) return null;
    const m = /^\/(?:[\w.]+\/)?(p|reel|tv)\/([\w-]+)\/?$/.exec(parsed.pathname);
    return m ? `${m[1]}/${m[2]}` : null;
  } catch {
    return null;
  }
}

/** Instagram's timestamps look like 2026-11-30T15:04:05+0000 (no colon in the offset). */
const instant = (timestamp: unknown): number => (typeof timestamp === 'string' ? Date.parse(timestamp.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) : Number.NaN);

/**
 * One page of the media edge applied to the posts still looked for (permalink key → published at):
 * the readings it settles, and whether the next page is still needed. A post is deleted when the page
 * reaches back past its publication (or is the last page) without it.
 */
export function settleInstagramPage(
  wanted: Map<string, number>, page: { data?: Record<string, unknown>[]; paging?: { next?: unknown } },
): { readings: Map<string, Reading>; more: boolean } {
  const readings = new Map<string, Reading>();
  const data = Array.isArray(page.data) ? page.data : [];
  for (const media of data) {
    const key = typeof media.permalink === 'string' ? instagramPermalinkKey(media.permalink) : null;
    if (key && wanted.has(key)) readings.set(key, instagramFigures(media));
  }
  const last = typeof page.paging?.next !== 'string' || data.length === 0;
  const oldest = Math.min(...data.map((m) => instant(m.timestamp)).filter((t) => !Number.isNaN(t)));
  for (const [key, publishedAt] of wanted) {
    // A minute's slack: Instagram's timestamp and our publishedAt are taken on either side of media_publish.
    if (!readings.has(key) && (last || oldest < publishedAt - 60_000)) readings.set(key, { kind: 'refused', error: 'deleted' });
  }
  return { readings, more: readings.size < wanted.size };
}
