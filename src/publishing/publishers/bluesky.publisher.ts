import type { AppBskyEmbedImages, AtpAgent } from '@atproto/api';
import { readFile } from 'node:fs/promises';
import { Publisher, PublishMedia, PublishOutcome, PublishRequest } from '../publisher';
import { blueskyPostRecord, classifyBlueskyFailure, POST_COLLECTION, toXrpcFailure } from './bluesky-post';
import { blueskyPostUrl, blueskyRecordKey } from './bluesky-record-key';
import { BlueskySessions } from './bluesky-sessions';

export interface BlueskyAccount {
  /** The account's PDS or entryway, e.g. https://bsky.social. */
  service: string;
  handle: string;
  /** An app password (Settings → App passwords), never the account password. */
  password: string;
}

/**
 * Creates the post as an `app.bsky.feed.post` record under its one record key (blueskyRecordKey):
 * however many attempts, take-overs or replicas send it, the repository holds one record. The PDS
 * refuses a second record at the same key with HTTP 500 (pitfalls.md §11), so every refusal is
 * checked with getRecord: a record there with our text and time means an earlier attempt got through,
 * and the post is published.
 */
export class BlueskyPublisher implements Publisher {
  constructor(
    private readonly account: BlueskyAccount,
    private readonly sessions: BlueskySessions,
    private readonly timeoutMs: number,
  ) {}

  async publish(request: PublishRequest): Promise<PublishOutcome> {
    const rkey = blueskyRecordKey(request.postId, request.approvedRevision);
    let agent: AtpAgent;
    try {
      agent = await this.sessions.agent(this.account, this.timeoutMs);
    } catch (error) {
      return this.loginFailed(error);
    }
    let images: AppBskyEmbedImages.Image[];
    try {
      images = await this.uploadImages(agent, request.media);
    } catch (error) {
      this.sessions.dropIfSignedOut(this.account, agent);
      const outcome = classifyBlueskyFailure(toXrpcFailure(error), Date.now());
      return { ...outcome, error: `image upload: ${outcome.error}` };
    }
    const record = await blueskyPostRecord(request.text, request.locale, request.scheduledAt, images);
    try {
      await agent.com.atproto.repo.createRecord({ repo: agent.session!.did, collection: POST_COLLECTION, rkey, record });
      return this.published(agent, rkey);
    } catch (error) {
      const refused = toXrpcFailure(error);
      const existing = await this.existingRecord(agent, rkey);
      this.sessions.dropIfSignedOut(this.account, agent);
      if (existing === null || existing === 'unknown') return classifyBlueskyFailure(refused, Date.now());
      // Another database (a reset one, a staging copy) posting to the same account can reuse post ids
      // and revisions: a record is ours only with our text at our time, or the post would be lost.
      if (existing.text !== record.text || existing.createdAt !== record.createdAt) {
        return { kind: 'permanent', error: `Bluesky record ${rkey} of ${this.account.handle} already holds another post (another scheduler database on this account?): not published` };
      }
      return this.published(agent, rkey);
    }
  }

  /**
   * Each image as a blob with its alt text. Uploading again after a crash or a retry is harmless:
   * the same bytes are the same blob (content-addressed), and a blob no record uses is dropped by the PDS.
   */
  private async uploadImages(agent: AtpAgent, media: PublishMedia[]): Promise<AppBskyEmbedImages.Image[]> {
    const images: AppBskyEmbedImages.Image[] = [];
    for (const item of media) {
      const uploaded = await agent.com.atproto.repo.uploadBlob(await readFile(item.file), { encoding: item.mime, signal: AbortSignal.timeout(this.timeoutMs) });
      images.push({ image: uploaded.data.blob, alt: item.alt, aspectRatio: { width: item.width, height: item.height } });
    }
    return images;
  }

  private published(agent: AtpAgent, rkey: string): PublishOutcome {
    return { kind: 'published', url: blueskyPostUrl(this.account.handle, rkey), id: `at://${agent.session!.did}/${POST_COLLECTION}/${rkey}` };
  }

  /** The record at our key: its value, null when the PDS says there is none, 'unknown' when it did not say. */
  private async existingRecord(agent: AtpAgent, rkey: string): Promise<{ text?: unknown; createdAt?: unknown } | null | 'unknown'> {
    if (!agent.session) return 'unknown';
    try {
      const found = await agent.com.atproto.repo.getRecord({ repo: agent.session.did, collection: POST_COLLECTION, rkey });
      return found.data.value as { text?: unknown; createdAt?: unknown };
    } catch (error) {
      const failure = toXrpcFailure(error);
      return failure.status === 400 && failure.error === 'RecordNotFound' ? null : 'unknown';
    }
  }

  /** A refused app password is final (a person must fix the secret); a rate limit or an outage is not. */
  private loginFailed(error: unknown): PublishOutcome {
    const failure = toXrpcFailure(error);
    if (failure.status === 401 || failure.status === 400) {
      return { kind: 'permanent', error: `Bluesky login as ${this.account.handle} at ${this.account.service} refused (${failure.message}): check the app password in its secret` };
    }
    const outcome = classifyBlueskyFailure(failure, Date.now());
    return { ...outcome, error: `Bluesky login as ${this.account.handle}: ${outcome.error}` };
  }
}
