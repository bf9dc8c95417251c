import { readFile } from 'node:fs/promises';
import type { AccountCredentials } from '../../accounts/accounts.service';
import { linkedinHeaders } from '../../accounts/linkedin-oauth';
import type { LinkedInEndpoints } from '../../config/config';
import { parseRetryAfter, Publisher, PublishMedia, PublishOutcome, PublishRequest } from '../publisher';
import { lookBeforeResending, RecentPostsReader, settleUnknownOutcome } from '../unknown-outcome';
import { accountOrOutcome, AccountTokens, failedSend, refusedBeforePosting, refusedToken, SendAnswer } from './account-sends';
import { linkedinCommentary } from './linkedin-commentary';

/*
 * LinkedIn Posts API and Images API (Community Management API), as documented at
 * learn.microsoft.com/linkedin/marketing/community-management/shares (read 2026-11-30, version 202511):
 * POST /rest/posts `{author, commentary, visibility, distribution, lifecycleState, isReshareDisabledByAuthor,
 * content?}` → 201 with the post's URN in the `x-restli-id` header and no body; one image is
 * `content.media {id, altText}`, several `content.multiImage.images[]`; each image first
 * POST /rest/images?action=initializeUpload `{initializeUploadRequest: {owner}}` → `{value: {uploadUrl, image}}`,
 * then PUT the bytes to uploadUrl. 401 when the token is expired or revoked, 429 when throttled, 422 for
 * a duplicate of a post already there. GET /rest/posts?author=…&q=author lists the organisation's posts.
 * LinkedIn takes no idempotency key: an unknown outcome is settled by reading the posts back.
 */

/** LinkedIn's throttles are daily and it sends no Retry-After: wait at least this long before trying again. */
const RATE_LIMIT_WAIT_MS = 60_000;

type PostAnswer = SendAnswer<{ urn: string }>;

export class LinkedInPublisher implements Publisher {
  constructor(
    private readonly accountName: string,
    private readonly accounts: AccountTokens,
    private readonly endpoints: Pick<LinkedInEndpoints, 'apiUrl' | 'version'>,
    private readonly timeoutMs: number,
  ) {}

  async publish(request: PublishRequest): Promise<PublishOutcome> {
    const account = await accountOrOutcome(this.accounts, this.accountName);
    if ('kind' in account) return account;
    if (!account.externalId) return { kind: 'permanent', error: `needs-reconnect: account ${account.name} names no LinkedIn organisation` };
    const commentary = linkedinCommentary(request.text);
    if (request.mayHaveBeenSent) {
      const found = await lookBeforeResending(this.reader(account), commentary, new Date(request.scheduledAt), new Date());
      if (found) return found;
    }
    // Images go up first: nothing is posted until they are all there, so a failure here is safe to retry.
    const images: { id: string; altText: string }[] = [];
    for (const image of request.media) {
      const uploaded = await this.upload(account, image);
      if (typeof uploaded !== 'string') return uploaded;
      images.push({ id: uploaded, altText: image.alt });
    }
    const sentAt = new Date();
    const answer = await this.createPost(account, postBody(account.externalId, commentary, images));
    if (answer.kind === 'created') return { kind: 'published', url: postUrl(answer.urn), id: answer.urn };
    if (answer.kind === 'outcome') return answer.outcome;
    return settleUnknownOutcome(this.reader(account), commentary, sentAt, new Date(), `LinkedIn: ${answer.why}`);
  }

  /** initializeUpload, then PUT the bytes: the image's URN, or why not (nothing was posted yet). */
  private async upload(account: AccountCredentials, image: PublishMedia): Promise<string | PublishOutcome> {
    try {
      const init = await fetch(`${this.endpoints.apiUrl}/rest/images?action=initializeUpload`, {
        method: 'POST', headers: { ...linkedinHeaders(this.endpoints, account.accessToken), 'Content-Type': 'application/json' },
        body: JSON.stringify({ initializeUploadRequest: { owner: account.externalId } }), redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs),
      });
      const body = await init.json().catch(() => undefined) as { value?: { uploadUrl?: unknown; image?: unknown } } | undefined;
      if (!init.ok) return refusedBeforePosting(this.accounts, account, init, { network: 'LinkedIn', what: 'image upload', rateLimitWait: (r) => this.rateLimitWait(r) });
      const { uploadUrl, image: urn } = body?.value ?? {};
      if (typeof uploadUrl !== 'string' || typeof urn !== 'string') return { kind: 'transient', error: `LinkedIn image upload: HTTP ${init.status} without an upload URL (not JSON?)` };
      if (!trustedUploadUrl(uploadUrl, this.endpoints.apiUrl)) return { kind: 'permanent', error: `LinkedIn image upload: the upload URL is not LinkedIn's (${new URL(uploadUrl, 'http://invalid').host}); the token is not sent there` };
      const put = await fetch(uploadUrl, {
        method: 'PUT', headers: { Authorization: `Bearer ${account.accessToken}`, 'Content-Type': image.mime },
        body: await readFile(image.file), redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs),
      });
      await put.arrayBuffer().catch(() => undefined);
      if (!put.ok) return refusedBeforePosting(this.accounts, account, put, { network: 'LinkedIn', what: 'image upload', rateLimitWait: (r) => this.rateLimitWait(r) });
      return urn;
    } catch (error) {
      return { kind: 'transient', error: `LinkedIn image upload: ${(error as Error).message}` };
    }
  }

  private async createPost(account: AccountCredentials, body: object): Promise<PostAnswer> {
    let response: Response;
    try {
      response = await fetch(`${this.endpoints.apiUrl}/rest/posts`, {
        method: 'POST', headers: { ...linkedinHeaders(this.endpoints, account.accessToken), 'Content-Type': 'application/json' },
        body: JSON.stringify(body), redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return failedSend(error, 'LinkedIn', this.timeoutMs);
    }
    const text = await response.text().catch(() => '');
    const urn = response.headers.get('x-restli-id');
    if (response.ok) return urn ? { kind: 'created', urn } : { kind: 'unknown', why: `HTTP ${response.status} without x-restli-id` };
    let message = '';
    try {
      const parsed = JSON.parse(text) as { message?: unknown };
      if (typeof parsed.message === 'string') message = parsed.message;
    } catch {
      message = 'not JSON';
    }
    const error = `LinkedIn: HTTP ${response.status}${message ? ` ${message}` : ''}`.slice(0, 300);
    if (response.status === 401) return { kind: 'outcome', outcome: await refusedToken(this.accounts, account, 'LinkedIn', error) };
    if (response.status === 429) return { kind: 'outcome', outcome: { kind: 'transient', error, retryAfterMs: this.rateLimitWait(response) } };
    // A duplicate of a post already there: perhaps ours from an earlier attempt, so look.
    if (response.status === 422 && /duplicate/i.test(message)) return { kind: 'unknown', why: 'refused as a duplicate of a post already there' };
    if (response.status >= 500) return { kind: 'unknown', why: `HTTP ${response.status}` };
    return { kind: 'outcome', outcome: { kind: 'permanent', error } };
  }

  private rateLimitWait(response: Response): number {
    return Math.max(RATE_LIMIT_WAIT_MS, parseRetryAfter(response.headers.get('retry-after'), Date.now()) ?? 0);
  }

  /** The organisation's newest posts (GET /rest/posts?q=author), those created within the window. */
  private reader(account: AccountCredentials): RecentPostsReader {
    return {
      recentPosts: async (from, to) => {
        const query = new URLSearchParams({ author: account.externalId!, q: 'author', count: '50', sortBy: 'CREATED' });
        const response = await fetch(`${this.endpoints.apiUrl}/rest/posts?${query}`, {
          headers: linkedinHeaders(this.endpoints, account.accessToken), redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs),
        });
        const body = await response.json().catch(() => undefined) as { elements?: { id?: unknown; commentary?: unknown; createdAt?: unknown }[] } | undefined;
        if (!response.ok || !Array.isArray(body?.elements)) return 'unreadable';
        return body.elements
          .filter((post) => typeof post.id === 'string' && typeof post.createdAt === 'number' && post.createdAt >= from.getTime() && post.createdAt <= to.getTime())
          .map((post) => ({ id: post.id as string, text: typeof post.commentary === 'string' ? post.commentary : '', url: postUrl(post.id as string) }));
      },
    };
  }
}

/** The Posts API body: the organisation's public feed post, with its images (one: media, several: multiImage). */
export function postBody(author: string, commentary: string, images: { id: string; altText: string }[]): object {
  const content = images.length === 1 ? { content: { media: images[0] } } : images.length > 1 ? { content: { multiImage: { images } } } : {};
  return {
    author, commentary, visibility: 'PUBLIC',
    distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
    ...content, lifecycleState: 'PUBLISHED', isReshareDisabledByAuthor: false,
  };
}

/**
 * The upload URL LinkedIn hands out (www.linkedin.com/dms-uploads/…) receives the account's token: only
 * an https URL on linkedin.com or on the configured API's own origin (a loopback fake in tests) gets it.
 */
export function trustedUploadUrl(uploadUrl: string, apiUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(uploadUrl);
  } catch {
    return false;
  }
  if (url.origin === new URL(apiUrl).origin) return true;
  return url.protocol === 'https:' && (url.hostname === 'linkedin.com' || url.hostname.endsWith('.linkedin.com'));
}

export function postUrl(urn: string): string {
  return `https://www.linkedin.com/feed/update/${urn}`;
}
