import { readGraphFigures, readGraphInsight, withViews, type InsightReading } from './facebook-figures';
import { count, type Reading } from './mastodon-figures';

/*
 * Instagram media figures, Instagram API with Facebook Login, Graph API v26.0 (developers.facebook.com,
 * "IG User Media" and "IG Media" references, read 2026-11-30): an IG Media has `like_count` and
 * `comments_count`. A post is read by the media id the publisher records (issue 14). Posts published
 * before that have only the `permalink` (https://www.instagram.com/p/<shortcode>/), whose shortcode is
 * not the media id, so for them the account's media edge is read instead:
 * `GET /{ig-user-id}/media?fields=id,permalink,timestamp,like_count,comments_count&limit=100` (newest first,
 * `paging.cursors.after` / `paging.next`): one call answers many posts, which GET /{ig-media-id} would
 * ask one by one. A post published since the page's oldest media yet absent from it was deleted.
 * Impressions: the Instagram Media Insights reference (updated 2026-06-18, read 2026-11-30) retired
 * `impressions` (v22.0, then every version from 2025-04-21) for `views` (FEED, STORY and REELS; organic
 * only): `GET /{ig-media-id}/insights?metric=views` → `{data: [{name: 'views', period: 'lifetime',
 * values: [{value}], title, description, id}]}`, an empty `data` when there is none yet, code 10 "Not
 * enough viewers for the media to show insights", and a refusal without instagram_manage_insights. One
 * call per media rather than `insights.metric(views)` on the media list: one media with too few viewers
 * would fail the whole list, likes included. Whatever is refused stays null, never zero.
 */
/** The figures of one media, read by its id (`GET /{ig-media-id}?fields=`). */
export const INSTAGRAM_FIGURE_FIELDS = 'like_count,comments_count';
export const INSTAGRAM_MEDIA_FIELDS = `id,permalink,timestamp,${INSTAGRAM_FIGURE_FIELDS}`;
/** The most the media edge gives in one page. */
export const INSTAGRAM_PAGE_LIMIT = 100;
export const INSTAGRAM_VIEWS_METRIC = 'views';

/** A media's views from IG Media Insights, with the Page token its figures were read with. */
export function readInstagramViews(graphUrl: string, mediaId: string, token: string, timeoutMs: number, now: () => number): Promise<InsightReading> {
  return readGraphInsight(`${graphUrl}/${encodeURIComponent(mediaId)}/insights`, { metric: INSTAGRAM_VIEWS_METRIC }, token, timeoutMs, now);
}

/**
 * One media by the id media_publish gave (`GET /{ig-media-id}?fields=like_count,comments_count`), then its
 * views, like a Page post (readFacebookPost): views refused never cost the likes and comments.
 */
export async function readInstagramMediaById(graphUrl: string, mediaId: string, token: string, timeoutMs: number, now: () => number): Promise<Reading> {
  const reading = await readGraphFigures(`${graphUrl}/${encodeURIComponent(mediaId)}`, INSTAGRAM_FIGURE_FIELDS, token, instagramFigures, timeoutMs, now);
  if (reading.kind !== 'figures') return reading;
  return withViews(reading, await readInstagramViews(graphUrl, mediaId, token, timeoutMs, now));
}

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
 * the readings it settles, the media id of each found (for its insights), and whether the next page is
 * still needed. A post is deleted when the page reaches back past its publication (or is the last page) without it.
 */
export function settleInstagramPage(
  wanted: Map<string, number>, page: { data?: Record<string, unknown>[]; paging?: { next?: unknown } },
): { readings: Map<string, Reading>; mediaIds: Map<string, string>; more: boolean } {
  const readings = new Map<string, Reading>();
  const mediaIds = new Map<string, string>();
  const data = Array.isArray(page.data) ? page.data : [];
  for (const media of data) {
    const key = typeof media.permalink === 'string' ? instagramPermalinkKey(media.permalink) : null;
    if (!key || !wanted.has(key)) continue;
    readings.set(key, instagramFigures(media));
    if (typeof media.id === 'string') mediaIds.set(key, media.id);
  }
  const last = typeof page.paging?.next !== 'string' || data.length === 0;
  const oldest = Math.min(...data.map((m) => instant(m.timestamp)).filter((t) => !Number.isNaN(t)));
  for (const [key, publishedAt] of wanted) {
    // A minute's slack: Instagram's timestamp and our publishedAt are taken on either side of media_publish.
    if (!readings.has(key) && (last || oldest < publishedAt - 60_000)) readings.set(key, { kind: 'refused', error: 'deleted' });
  }
  return { readings, mediaIds, more: readings.size < wanted.size };
}
