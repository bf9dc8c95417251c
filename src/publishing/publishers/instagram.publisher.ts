import { Publisher, PublishOutcome, PublishRequest } from '../publisher';
import { RecentPostsReader, settleUnknownOutcome } from '../unknown-outcome';
import { graphCall } from './graph-api';
import { GraphAccount, GraphCredentials } from './graph-publishing';
import type { AccountTokens } from './account-sends';

/*
 * Instagram API with Facebook Login, "Content Publishing" (developers.facebook.com, read 2026-11-30),
 * Graph API v26.0: `POST /{ig-user-id}/media` `image_url` (a public URL Meta fetches), `caption`,
 * `alt_text` → a container id; several images: one container per image with `is_carousel_item=true`,
 * then `media_type=CAROUSEL`, `children=<ids>`, `caption`; `GET /{container-id}?fields=status_code`
 * (IN_PROGRESS, FINISHED, PUBLISHED, ERROR, EXPIRED); `POST /{ig-user-id}/media_publish` `creation_id` →
 * the media id; `GET /{ig-user-id}/media?fields=caption,timestamp,permalink` reads the account back. A
 * carousel holds at most 10 items. Containers not published expire after 24 hours.
 *
 * Never twice: a container is not a post, so anything that fails before media_publish is simply retried
 * (with new containers). When media_publish's outcome is unknown (timeout, 5xx, not JSON) the account's
 * media are read back; a caption found there is the post. Not found is not yet proof (the list may lag
 * behind the publish), so the container itself is asked: PUBLISHED → published; FINISHED, ERROR or
 * EXPIRED → it was not published, send again (new containers: the old one expires unseen); anything
 * else (unreadable, still IN_PROGRESS) → `unconfirmed`, a person decides.
 */
const MAX_CAROUSEL = 10;
/** How often, and how many times, a container still IN_PROGRESS is asked again before publishing. */
const STATUS_POLL_MS = 500;
const STATUS_POLLS = 6;


export class InstagramPublisher implements Publisher {
  private readonly graph: GraphAccount;

  constructor(
    accountName: string,
    accounts: AccountTokens,
    private readonly graphUrl: string,
    private readonly timeoutMs: number,
  ) {
    this.graph = new GraphAccount('Instagram', accountName, accounts);
  }

  async publish(request: PublishRequest): Promise<PublishOutcome> {
    if (!request.media.length) return { kind: 'permanent', error: 'Instagram publishes only posts with an image, and this post has none: add one, or post this channel by hand' };
    if (request.media.length > MAX_CAROUSEL) return { kind: 'permanent', error: `Instagram takes at most ${MAX_CAROUSEL} images in one post; this one has ${request.media.length}` };
    const started = await this.graph.begin(request, (credentials) => this.reader(credentials));
    if ('outcome' in started) return started.outcome;
    const account = started.account;
    const container = await this.container(account, request);
    if (typeof container !== 'string') return container;
    const ready = await this.waitUntilFinished(account, container);
    if (ready) return ready;
    const sentAt = new Date();
    const answer = await this.post(account, 'media_publish', { creation_id: container });
    const created = await this.graph.publishing(answer, (why) => this.settle(account, container, request.text, sentAt, why));
    if ('outcome' in created) return created.outcome;
    return { kind: 'published', url: await this.permalink(account, created.id), id: created.id };
  }

  /** One container for one image; for several, one per image and a carousel container holding them. */
  private async container(account: GraphCredentials, request: PublishRequest): Promise<string | PublishOutcome> {
    if (request.media.length === 1) {
      const [image] = request.media;
      return this.created(account, { image_url: image.url, caption: request.text, alt_text: image.alt }, 'image container');
    }
    const children: string[] = [];
    for (const [index, image] of request.media.entries()) {
      const child = await this.created(account, { image_url: image.url, is_carousel_item: 'true', alt_text: image.alt }, `image ${index + 1} of ${request.media.length}`);
      if (typeof child !== 'string') return child;
      children.push(child);
    }
    return this.created(account, { media_type: 'CAROUSEL', children: children.join(','), caption: request.text }, 'carousel container');
  }

  private async created(account: GraphCredentials, params: Record<string, string>, step: string): Promise<string | PublishOutcome> {
    const answer = await this.graph.preparatory(await this.post(account, 'media', params), step);
    if ('outcome' in answer) return answer.outcome;
    return typeof answer.body.id === 'string' ? answer.body.id : { kind: 'transient', error: `Instagram ${step}: the answer named no id` };
  }

  /**
   * Images are usually FINISHED at once; publishing one still IN_PROGRESS is refused, so wait a little.
   * A status that cannot be read is no reason to stop: media_publish itself refuses an unready container.
   */
  private async waitUntilFinished(account: GraphCredentials, container: string): Promise<PublishOutcome | null> {
    for (let poll = 0; poll < STATUS_POLLS; poll++) {
      const status = await this.status(account, container);
      if (status === 'FINISHED' || status === null) return null;
      if (status === 'ERROR' || status === 'EXPIRED') return { kind: 'permanent', error: `Instagram could not use the image (container ${status}): check that its URL is public and the image meets Instagram's rules` };
      await new Promise((resolve) => setTimeout(resolve, STATUS_POLL_MS));
    }
    return { kind: 'transient', error: `Instagram was still processing the image after ${STATUS_POLLS} checks` };
  }

  private async status(account: GraphCredentials, container: string): Promise<string | null> {
    const answer = await graphCall(`${this.graphUrl}/${encodeURIComponent(container)}`, { method: 'GET', params: { fields: 'status_code', access_token: account.accessToken } }, this.timeoutMs);
    return answer.kind === 'ok' && typeof answer.body.status_code === 'string' ? answer.body.status_code : null;
  }

  private async settle(account: GraphCredentials, container: string, caption: string, sentAt: Date, why: string): Promise<PublishOutcome> {
    const settled = await settleUnknownOutcome(this.reader(account), caption, sentAt, new Date(), why);
    if (settled.kind !== 'transient') return settled;
    const status = await this.status(account, container);
    // The container's id is not the media's, and Instagram names no media id for it: left unknown.
    if (status === 'PUBLISHED') return { kind: 'published', url: null, id: null };
    if (status === 'FINISHED' || status === 'ERROR' || status === 'EXPIRED') return settled;
    return { kind: 'unconfirmed', error: `${why}; not among the account's media, and its container says ${status ?? 'nothing'}: check the account, then confirm or send again` };
  }

  private post(account: GraphCredentials, edge: 'media' | 'media_publish', params: Record<string, string>) {
    return graphCall(`${this.graphUrl}/${encodeURIComponent(account.externalId)}/${edge}`, { method: 'POST', params: { ...params, access_token: account.accessToken } }, this.timeoutMs);
  }

  /** The post's address; null when Instagram would not say (the post is published all the same). */
  private async permalink(account: GraphCredentials, mediaId: string): Promise<string | null> {
    const answer = await graphCall(`${this.graphUrl}/${encodeURIComponent(mediaId)}`, { method: 'GET', params: { fields: 'permalink', access_token: account.accessToken } }, this.timeoutMs);
    return answer.kind === 'ok' && typeof answer.body.permalink === 'string' ? answer.body.permalink : null;
  }

  private reader(account: GraphCredentials): RecentPostsReader {
    return {
      recentPosts: async (from, to) => {
        // The media edge has no time filter: newest first, one page is enough for a window of minutes.
        const params = { fields: 'id,caption,timestamp,permalink', limit: '50', access_token: account.accessToken };
        const answer = await graphCall(`${this.graphUrl}/${encodeURIComponent(account.externalId)}/media`, { method: 'GET', params }, this.timeoutMs);
        if (answer.kind !== 'ok' || !Array.isArray(answer.body.data)) return 'unreadable';
        return (answer.body.data as { id: string; caption?: string; timestamp?: string; permalink?: string }[])
          .filter((media) => !media.timestamp || withinWindow(media.timestamp, from, to))
          .map((media) => ({ id: media.id, text: media.caption ?? '', url: media.permalink ?? `https://www.instagram.com/${account.handle ?? ''}` }));
      },
    };
  }
}

/** Instagram's timestamps look like 2026-11-30T15:04:05+0000 (no colon in the offset). */
export function withinWindow(timestamp: string, from: Date, to: Date): boolean {
  const at = Date.parse(timestamp.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(at) || (at >= from.getTime() && at <= to.getTime());
}
