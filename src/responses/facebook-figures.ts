import { classifyGraphRefusal, graphCall, type GraphAnswer } from '../publishing/publishers/graph-api';
import { count, UNAVAILABLE_PAUSE_MS, type Reading } from './mastodon-figures';

/*
 * Facebook Page post figures, Graph API v26.0 (developers.facebook.com, "Page Post" reference and
 * "Handling Errors", read 2026-11-30): `GET /{page-id}_{post-id}?fields=reactions.summary(total_count).limit(0),
 * comments.summary(total_count).limit(0),shares` with the Page token → `{id, reactions: {data: [],
 * summary: {total_count}}, comments: {data: [], summary: {total_count}}, shares?: {count}}`; `shares` is
 * absent while nobody has shared the post (then 0, not unknown). A post that no longer exists answers
 * code 100 subcode 33; code 190 a token expired or revoked; 4, 17, 32, 613, 80001 rate limits.
 * Facebook gives no quotes. Impressions come from Page Post Insights ("Page Insights" reference and the
 * "Deprecated Page Insights Metrics" list, updated 2026-03-02, and the blog "Page Insights API Updates",
 * 2025-08-15, all read 2026-11-30): `post_impressions` is gone on every version since 2025-11-15, replaced by
 * the views metric `post_media_view`: `GET /{page-post-id}/insights?metric=post_media_view&period=lifetime`
 * → `{data: [{name, period: 'lifetime', values: [{value}], title, description, id}]}`, an empty `data` while
 * there is none yet (Pages under 100 likes, the first day). It needs a Page token with read_insights
 * (a person who can ANALYZE the Page); without it Graph refuses and impressions stay null, not zero.
 */
export const FACEBOOK_FIELDS = 'reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),shares';
/** The Page post metric that replaced post_impressions. */
export const FACEBOOK_VIEWS_METRIC = 'post_media_view';

/**
 * The Graph id `<page>_<post>` of a post from the URL the Facebook publisher records: its
 * `permalink_url` (`https://www.facebook.com/<page>/posts/<post>`) or the fallback
 * `https://www.facebook.com/<page>_<post>`. Only for posts published before the id was recorded (issue
 * 14): null for an address that does not carry it (a `pfbid…` permalink, a link entered by hand).
 */
export function facebookPostId(publishedUrl: string): string | null {
  let path: string;
  try {
    path = new URL(publishedUrl).pathname;
  } catch {
    return null;
  }
  const permalink = /^\/(\d+)\/posts\/(\d+)\/?$/.exec(path);
  if (permalink) return `${permalink[1]}_${permalink[2]}`;
  const id = /^\/(\d+_\d+)\/?$/.exec(path);
  return id ? id[1] : null;
}

const summary = (edge: unknown): number | null => count((edge as { summary?: { total_count?: unknown } } | undefined)?.summary?.total_count);

/** Reactions (all kinds) → likes, comments → replies, shares → reposts. */
export function facebookFigures(post: Record<string, unknown>): Reading {
  const shares = post.shares === undefined ? 0 : count((post.shares as { count?: unknown } | null)?.count);
  return { kind: 'figures', likes: summary(post.reactions), reposts: shares, replies: summary(post.comments), quotes: null, impressions: null };
}

/**
 * One Graph object's fields read as a Reading: a missing object (100/33) is deleted, a refused token is
 * "token refused", a rate limit waits as long as X-Business-Use-Case-Usage says (else the default).
 */
export async function readGraphFigures(
  url: string, fields: string, token: string, map: (body: Record<string, unknown>) => Reading, timeoutMs: number, now: () => number,
): Promise<Reading> {
  const answer = await graphCall(url, { method: 'GET', params: { fields, access_token: token } }, timeoutMs);
  return answer.kind === 'ok' ? map(answer.body) : graphRefusalReading(answer, now);
}

/**
 * A Page post's figures, then its views from Post Insights with the same Page token: one call each, so
 * that insights refused (no read_insights) never cost the likes, comments and shares.
 */
export async function readFacebookPost(graphUrl: string, postId: string, token: string, timeoutMs: number, now: () => number): Promise<Reading> {
  const object = `${graphUrl}/${encodeURIComponent(postId)}`;
  const reading = await readGraphFigures(object, FACEBOOK_FIELDS, token, facebookFigures, timeoutMs, now);
  if (reading.kind !== 'figures') return reading;
  const views = await readGraphInsight(`${object}/insights`, { metric: FACEBOOK_VIEWS_METRIC, period: 'lifetime' }, token, timeoutMs, now);
  return withViews(reading, views);
}

/** A figures reading with the views read after it as its impressions; a wait there makes the whole read wait. */
export function withViews(reading: Extract<Reading, { kind: 'figures' }>, views: InsightReading): Reading {
  return views.kind === 'wait' ? views : { ...reading, impressions: views.value };
}

/** What an insights read gave: the metric's value (null when not given or not granted), or a wait. */
export type InsightReading = { kind: 'value'; value: number | null } | Extract<Reading, { kind: 'wait' }>;

/** The lifetime value of `metric` in a Graph insights answer; null when Graph gave none (an empty `data`). */
export function insightValue(body: Record<string, unknown>, metric: string): number | null {
  const data = Array.isArray(body.data) ? body.data as { name?: unknown; values?: { value?: unknown }[] }[] : [];
  const entry = data.find((d) => d?.name === metric);
  return count(Array.isArray(entry?.values) ? entry.values[0]?.value : undefined);
}

/**
 * One Graph object's insights metric (Page post or IG media). A rate limit or an outage waits like the
 * figures read; any other refusal — the permission not granted (code 10/200), "not enough viewers"
 * (code 10), a metric Meta retired (code 100) — leaves the value null: not given, never zero.
 */
export async function readGraphInsight(url: string, params: Record<string, string>, token: string, timeoutMs: number, now: () => number): Promise<InsightReading> {
  const answer = await graphCall(url, { method: 'GET', params: { ...params, access_token: token } }, timeoutMs);
  if (answer.kind === 'ok') return { kind: 'value', value: insightValue(answer.body, params.metric) };
  if (answer.kind !== 'refused') return { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: answer.why };
  const verdict = classifyGraphRefusal('Graph insights', answer.status, answer.error, answer.headers);
  if (verdict.kind === 'rate-limited') return { kind: 'wait', retryAtMs: now() + verdict.retryAfterMs, error: verdict.error };
  if (verdict.kind === 'maybe-created') return { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: verdict.error };
  return { kind: 'value', value: null };
}

/** A Graph answer that is not 200 as a Reading (see readGraphFigures). */
export function graphRefusalReading(answer: Exclude<GraphAnswer, { kind: 'ok' }>, now: () => number): Reading {
  if (answer.kind !== 'refused') return { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: answer.why };
  if (answer.error.code === 100 && answer.error.subcode === 33) return { kind: 'refused', error: 'deleted' };
  const verdict = classifyGraphRefusal('Graph', answer.status, answer.error, answer.headers);
  if (verdict.kind === 'reconnect') return { kind: 'refused', error: 'token refused' };
  if (verdict.kind === 'rate-limited') return { kind: 'wait', retryAtMs: now() + verdict.retryAfterMs, error: verdict.error };
  return { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: verdict.error };
}
