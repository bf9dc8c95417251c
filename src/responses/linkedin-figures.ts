import { linkedinHeaders } from '../accounts/linkedin-oauth';
import type { LinkedInEndpoints } from '../config/config';
import { count, retryAt, UNAVAILABLE_PAUSE_MS, type Reading } from './mastodon-figures';

/*
 * LinkedIn Community Management API, "Network Update Social Actions" (learn.microsoft.com/linkedin/
 * marketing/community-management/shares/network-update-social-actions, read 2026-11-30, written against
 * LinkedIn-Version 202511 as the publisher is): `GET /rest/socialActions/{url-encoded share or ugcPost
 * URN}` with the organisation token (r_organization_social), `LinkedIn-Version` and
 * `X-Restli-Protocol-Version: 2.0.0` → `{target, likesSummary: {totalLikes, likedByCurrentUser,
 * selectedLikes}, commentsSummary: {aggregatedTotalComments, totalFirstLevelComments, selectedComments}}`.
 * 404: the post is gone; 401: the token is expired or revoked; 429: throttled (daily quotas, usually no
 * Retry-After). Reshares and impressions come only from "Organization Share Statistics" (same site,
 * community-management/organizations/share-statistics, view li-lms-2025-11, read 2026-11-30): `GET
 * /rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity={org URN}
 * &shares=List({share URN},…)` (or `&ugcPosts=List(…)`), URNs URL-encoded inside the Rest.li 2.0 List,
 * without timeIntervals for lifetime figures → `{paging, elements: [{organizationalEntity, share | ugcPost,
 * totalShareStatistics: {impressionCount, uniqueImpressionsCount, shareCount, likeCount, commentCount,
 * clickCount, engagement}}]}`; organic only, posts of the last 12 months. It needs rw_organization_admin
 * and the ADMINISTRATOR role: a 403 leaves reposts and impressions null, never zero, and socialActions'
 * likes and comments stand.
 */

/** The post's URN from the URL the LinkedIn publisher records (`https://www.linkedin.com/feed/update/<urn>`). */
export function linkedinPostUrn(publishedUrl: string): string | null {
  try {
    const m = /^\/feed\/update\/(urn:li:(?:share|ugcPost):[\w-]+)\/?$/.exec(decodeURIComponent(new URL(publishedUrl).pathname));
    return m ? m[1] : null;
  } catch {
    return null;
  }
}

/** A post's reshares and impressions from the share statistics. */
export interface ShareStatistics { reposts: number | null; impressions: number | null }

/**
 * totalLikes → likes (LinkedIn counts every reaction as a like here), aggregatedTotalComments (replies
 * included) → replies; shareCount → reposts and impressionCount → impressions when the statistics were granted.
 */
export function linkedinFigures(socialActions: Record<string, any>, statistics?: ShareStatistics): Reading {
  return {
    kind: 'figures', likes: count(socialActions.likesSummary?.totalLikes), reposts: statistics?.reposts ?? null,
    replies: count(socialActions.commentsSummary?.aggregatedTotalComments), quotes: null, impressions: statistics?.impressions ?? null,
  };
}

/** URNs per statistics call: the reference names no maximum; twenty keep the address near 1 KB. */
export const LINKEDIN_STATISTICS_MAX = 20;

/**
 * The query of one statistics call for posts of one kind (all shares or all ugcPosts), in the Rest.li 2.0
 * form: the List's parentheses and commas literal, each URN encoded (`urn%3Ali%3Ashare%3A…`).
 */
export function shareStatisticsQuery(organization: string, urns: string[]): string {
  const list = urns[0]?.startsWith('urn:li:ugcPost:') ? 'ugcPosts' : 'shares';
  return `q=organizationalEntity&organizationalEntity=${encodeURIComponent(organization)}&${list}=List(${urns.map(encodeURIComponent).join(',')})`;
}

/** The statistics of each post an answer lists, by its share or ugcPost URN; a post not listed has none. */
export function shareStatisticsOf(body: { elements?: unknown }): Map<string, ShareStatistics> {
  const byUrn = new Map<string, ShareStatistics>();
  for (const element of Array.isArray(body.elements) ? body.elements as Record<string, any>[] : []) {
    const urn = element?.share ?? element?.ugcPost;
    const totals = element?.totalShareStatistics ?? {};
    if (typeof urn === 'string') byUrn.set(urn, { reposts: count(totals.shareCount), impressions: count(totals.impressionCount) });
  }
  return byUrn;
}

/** The URNs of each statistics call: shares and ugcPosts apart (each has its own parameter), twenty at most. */
export function statisticsBatches(urns: string[]): string[][] {
  const batches: string[][] = [];
  for (const kind of ['urn:li:share:', 'urn:li:ugcPost:']) {
    const ofKind = urns.filter((urn) => urn.startsWith(kind));
    for (let i = 0; i < ofKind.length; i += LINKEDIN_STATISTICS_MAX) batches.push(ofKind.slice(i, i + LINKEDIN_STATISTICS_MAX));
  }
  return batches;
}

export type ShareStatisticsRead =
  | { kind: 'statistics'; byUrn: Map<string, ShareStatistics> }
  /** 403: no rw_organization_admin, or the member is not the organisation's ADMINISTRATOR. */
  | { kind: 'not-granted' }
  | { kind: 'refused'; error: 'token refused' }
  | Extract<Reading, { kind: 'wait' }>;

/** The lifetime statistics of an organisation's posts, shares and ugcPosts asked apart, twenty a call. */
export async function readLinkedInShareStatistics(
  endpoints: Pick<LinkedInEndpoints, 'apiUrl' | 'version'>, token: string, organization: string, urns: string[], timeoutMs: number, now: () => number,
): Promise<ShareStatisticsRead> {
  const byUrn = new Map<string, ShareStatistics>();
  for (const batch of statisticsBatches(urns)) {
    let response: Response;
    try {
      response = await fetch(`${endpoints.apiUrl}/rest/organizationalEntityShareStatistics?${shareStatisticsQuery(organization, batch)}`, {
        headers: linkedinHeaders(endpoints, token), redirect: 'error', signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: (error as Error).message };
    }
    if (response.status === 401) return { kind: 'refused', error: 'token refused' };
    if (response.status === 403) return { kind: 'not-granted' };
    if (response.status === 429) return { kind: 'wait', retryAtMs: retryAt(response.headers, now()), error: 'HTTP 429' };
    const body = response.ok ? await response.json().catch(() => null) as { elements?: unknown } | null : null;
    if (!body) return { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: `HTTP ${response.status}` };
    for (const [urn, statistics] of shareStatisticsOf(body)) byUrn.set(urn, statistics);
  }
  return { kind: 'statistics', byUrn };
}

export async function readLinkedInSocialActions(
  endpoints: Pick<LinkedInEndpoints, 'apiUrl' | 'version'>, token: string, urn: string, timeoutMs: number, now: () => number, statistics?: ShareStatistics,
): Promise<Reading> {
  let response: Response;
  try {
    response = await fetch(`${endpoints.apiUrl}/rest/socialActions/${encodeURIComponent(urn)}`, {
      headers: linkedinHeaders(endpoints, token), redirect: 'error', signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: (error as Error).message };
  }
  if (response.status === 404 || response.status === 410) return { kind: 'refused', error: 'deleted' };
  if (response.status === 401) return { kind: 'refused', error: 'token refused' };
  if (response.status === 429) return { kind: 'wait', retryAtMs: retryAt(response.headers, now()), error: 'HTTP 429' };
  const body = response.ok ? await response.json().catch(() => null) as Record<string, unknown> | null : null;
  if (!body) return { kind: 'wait', retryAtMs: now() + UNAVAILABLE_PAUSE_MS, error: `HTTP ${response.status}` };
  return linkedinFigures(body, statistics);
}
