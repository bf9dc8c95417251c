import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { AccountCredentials } from '../../accounts/accounts.service';
import { parseRetryAfter, Publisher, PublishMedia, PublishOutcome, PublishRequest } from '../publisher';
import { lookBeforeResending, RecentPostsReader, settleUnknownOutcome } from '../unknown-outcome';
import { accountOrOutcome, AccountTokens, failedSend, refusedBeforePosting, refusedToken, SendAnswer } from './account-sends';

/*
 * X API v2 as documented at docs.x.com (read 2026-11-30): POST /2/tweets `{text}` with the user's
 * OAuth 2.0 bearer token → 201 `{data: {id, text}}`; 401 when the token is no longer valid; 429 with
 * `x-rate-limit-reset` (epoch seconds); 403 "duplicate content" for a text the account already posted;
 * GET /2/users/:id/tweets?start_time=… lists the account's recent posts. X takes no idempotency key.
 * Images (docs.x.com "Media upload", X API v2, read 2026-11-30; OAuth 2.0 scope media.write): each one
 * POST /2/media/upload multipart (`media` the bytes, `media_category` tweet_image) → `{data: {id, media_key}}`,
 * its alt text POST /2/media/metadata `{id, metadata: {alt_text: {text}}}` (at most 1,000 characters),
 * then the tweet carries `media: {media_ids}` (at most four).
 */

/** X answers 403 to an upload with a token connected before media.write was asked for. */
const MEDIA_WRITE_MISSING = 'the account may lack the media.write permission: reconnect it';

/** X's limit on an image's alt text. */
const ALT_TEXT_MAX = 1000;

type TweetAnswer = SendAnswer<{ id: string }>;

export class XPublisher implements Publisher {
  constructor(
    private readonly accountName: string,
    private readonly accounts: AccountTokens,
    private readonly apiUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async publish(request: PublishRequest): Promise<PublishOutcome> {
    const account = await accountOrOutcome(this.accounts, this.accountName);
    if ('kind' in account) return account;
    if (request.mayHaveBeenSent) {
      const found = await lookBeforeResending(this.reader(account), request.text, new Date(request.scheduledAt), new Date());
      if (found) return found;
    }
    // Images go up first: nothing is posted until they are all there, so a failure here is safe to retry.
    const mediaIds: string[] = [];
    for (const image of request.media) {
      const uploaded = await this.uploadImage(account, image);
      if (typeof uploaded !== 'string') return uploaded;
      mediaIds.push(uploaded);
    }
    const sentAt = new Date();
    const answer = await this.createTweet(account, request.text, mediaIds);
    if (answer.kind === 'created') return { kind: 'published', url: this.postUrl(account, answer.id), id: answer.id };
    if (answer.kind === 'outcome') return answer.outcome;
    return settleUnknownOutcome(this.reader(account), request.text, sentAt, new Date(), `X: ${answer.why}`);
  }

  /** POST /2/media/upload, then its alt text: the media id, or why not (nothing was posted yet). */
  private async uploadImage(account: AccountCredentials, image: PublishMedia): Promise<string | PublishOutcome> {
    try {
      const form = new FormData();
      form.append('media', new Blob([await readFile(image.file)], { type: image.mime }), basename(image.file));
      form.append('media_category', 'tweet_image');
      const upload = await fetch(`${this.apiUrl}/2/media/upload`, {
        method: 'POST', headers: { Authorization: `Bearer ${account.accessToken}` }, body: form, redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs),
      });
      const body = await upload.json().catch(() => undefined) as { data?: { id?: unknown } } | undefined;
      if (!upload.ok) return refusedBeforePosting(this.accounts, account, upload, { network: 'X', what: 'media upload', rateLimitWait: (r) => this.rateLimitWait(r), forbidden: MEDIA_WRITE_MISSING });
      const id = body?.data?.id;
      if (typeof id !== 'string') return { kind: 'transient', error: `X media upload: HTTP ${upload.status} without a media id (not JSON?)` };
      if (image.alt) {
        const metadata = await fetch(`${this.apiUrl}/2/media/metadata`, {
          method: 'POST', headers: { Authorization: `Bearer ${account.accessToken}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ id, metadata: { alt_text: { text: [...image.alt].slice(0, ALT_TEXT_MAX).join('') } } }), redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs),
        });
        await metadata.arrayBuffer().catch(() => undefined);
        if (!metadata.ok) return refusedBeforePosting(this.accounts, account, metadata, { network: 'X', what: 'media alt text', rateLimitWait: (r) => this.rateLimitWait(r) });
      }
      return id;
    } catch (error) {
      return { kind: 'transient', error: `X media upload: ${(error as Error).message}` };
    }
  }

  private rateLimitWait(response: Response): number | undefined {
    const reset = Number(response.headers.get('x-rate-limit-reset'));
    return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : parseRetryAfter(response.headers.get('retry-after'), Date.now());
  }

  private async createTweet(account: AccountCredentials, text: string, mediaIds: string[]): Promise<TweetAnswer> {
    let response: Response;
    try {
      response = await fetch(`${this.apiUrl}/2/tweets`, {
        method: 'POST', headers: { Authorization: `Bearer ${account.accessToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(mediaIds.length ? { text, media: { media_ids: mediaIds } } : { text }), redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return failedSend(error, 'X', this.timeoutMs);
    }
    const body = await response.json().catch(() => undefined) as { data?: { id?: unknown }; detail?: unknown; title?: unknown } | undefined;
    if (response.ok) return typeof body?.data?.id === 'string' ? { kind: 'created', id: body.data.id } : { kind: 'unknown', why: `HTTP ${response.status} without a post id (not JSON?)` };
    return this.refused(account, response, body);
  }

  private async refused(account: AccountCredentials, response: Response, body: { detail?: unknown; title?: unknown } | undefined): Promise<TweetAnswer> {
    const detail = typeof body?.detail === 'string' ? body.detail : typeof body?.title === 'string' ? body.title : '';
    const error = `X: HTTP ${response.status}${detail ? ` ${detail}` : ''}`.slice(0, 300);
    // An expired or revoked token: no retry can succeed, a person must reconnect the account.
    if (response.status === 401) return { kind: 'outcome', outcome: await refusedToken(this.accounts, account, 'X', error) };
    if (response.status === 429) return { kind: 'outcome', outcome: { kind: 'transient', error, retryAfterMs: this.rateLimitWait(response) } };
    // X refuses a text the account already posted: perhaps by an earlier attempt of ours, so look.
    if (response.status === 403 && /duplicate/i.test(detail)) return { kind: 'unknown', why: 'refused as a duplicate of a post already there' };
    if (response.status >= 500) return { kind: 'unknown', why: `HTTP ${response.status}` };
    return { kind: 'outcome', outcome: { kind: 'permanent', error } };
  }

  private reader(account: AccountCredentials): RecentPostsReader | null {
    if (!account.externalId) return null;
    return {
      recentPosts: async (from) => {
        const query = new URLSearchParams({
          start_time: from.toISOString().replace(/\.\d{3}Z$/, 'Z'), max_results: '100', 'tweet.fields': 'created_at', exclude: 'replies,retweets',
        });
        const response = await fetch(`${this.apiUrl}/2/users/${encodeURIComponent(account.externalId!)}/tweets?${query}`, {
          headers: { Authorization: `Bearer ${account.accessToken}` }, redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs),
        });
        const body = await response.json().catch(() => undefined) as { data?: { id: string; text: string }[] } | undefined;
        if (!response.ok || !body) return 'unreadable';
        return (body.data ?? []).map((post) => ({ id: post.id, text: post.text, url: this.postUrl(account, post.id) }));
      },
    };
  }

  private postUrl(account: AccountCredentials, id: string): string {
    return `https://x.com/${account.handle ?? 'i/web'}/status/${id}`;
  }
}
