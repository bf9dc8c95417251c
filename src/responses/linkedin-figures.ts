import { linkedinHeaders } from '../accounts/linkedin-oauth';
import type { LinkedInEndpoints } from '../config/config';
import { retryAt, UNAVAILABLE_PAUSE_MS, type Reading } from './mastodon-figures';

/*
 * LinkedIn Community Management API, "Network Update Social Actions" (learn.microsoft.com/linkedin/
 * marketing/community-management/shares/network-update-social-actions, read 2026-11-30, written against
 * LinkedIn-Version 202511 as the publisher is): `GET /rest/socialActions/{url-encoded share or ugcPost
 * URN}` with the organisation token (r_organization_social), `LinkedIn-Version` and
 * `X-Restli-Protocol-Version: 2.0.0` → `{target, likesSummary: {totalLikes, likedByCurrentUser,
 * selectedLikes}, commentsSummary: {aggregatedTotalComments, totalFirstLevelComments, selectedComments}}`.
 * 404: the post is gone; 401: the token is expired or revoked; 429: throttled (daily quotas, usually no
 * Retry-After). Reshares and impressions come only from organizationalEntityShareStatistics, which this
 * does not read: they stay null.
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

const count = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** totalLikes → likes (LinkedIn counts every reaction as a like here), aggregatedTotalComments (replies included) → replies. */
export function linkedinFigures(socialActions: Record<string, any>): Reading {
  return {
    kind: 'figures', likes: count(socialActions.likesSummary?.totalLikes), reposts: null,
    replies: count(socialActions.commentsSummary?.aggregatedTotalComments), quotes: null, impressions: null,
  };
}

export async function readLinkedInSocialActions(
  endpoints: Pick<LinkedInEndpoints, 'apiUrl' | 'version'>, token: string, urn: string, timeoutMs: number, now: () => number,
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
  return linkedinFigures(body);
}
