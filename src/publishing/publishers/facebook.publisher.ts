import { Publisher, PublishOutcome, PublishRequest } from '../publisher';
import { RecentPostsReader, settleUnknownOutcome } from '../unknown-outcome';
import { graphCall } from './graph-api';
import { GraphAccount, GraphCredentials } from './graph-publishing';
import type { AccountTokens } from './account-sends';

/*
 * Facebook Pages API with Graph API v26.0 (developers.facebook.com, "Pages API: Posts", read 2026-11-30):
 * `POST /{page-id}/feed` `message` with the Page token → `{id: "<page>_<post>"}`; several photos are each
 * uploaded `POST /{page-id}/photos` `url`, `published=false` (an unpublished photo is nobody's post) and
 * attached as `attached_media[i]={"media_fbid": id}`; `alt_text_custom` carries the alt text.
 * `GET /{page-id}/published_posts?fields=message,created_time,permalink_url&since&until` reads the Page
 * back; `GET /{post-id}?fields=permalink_url` gives a new post's address. Facebook takes no idempotency key: unknown outcomes are settled by reading the Page.
 */

export class FacebookPublisher implements Publisher {
  private readonly graph: GraphAccount;

  constructor(
    accountName: string,
    accounts: AccountTokens,
    private readonly graphUrl: string,
    private readonly timeoutMs: number,
  ) {
    this.graph = new GraphAccount('Facebook', accountName, accounts);
  }

  async publish(request: PublishRequest): Promise<PublishOutcome> {
    const started = await this.graph.begin(request, (credentials) => this.reader(credentials));
    if ('outcome' in started) return started.outcome;
    const page = started.account;
    const attached: Record<string, string> = {};
    for (const [index, image] of request.media.entries()) {
      const uploaded = await this.graph.preparatory(await this.call(page, 'photos', { url: image.url, published: 'false', alt_text_custom: image.alt }), `image ${index + 1} of ${request.media.length}`);
      if ('outcome' in uploaded) return uploaded.outcome;
      if (typeof uploaded.body.id !== 'string') return { kind: 'transient', error: `Facebook image ${index + 1}: the answer named no id` };
      attached[`attached_media[${index}]`] = JSON.stringify({ media_fbid: uploaded.body.id });
    }
    const sentAt = new Date();
    const answer = await this.call(page, 'feed', { message: request.text, ...attached });
    const created = await this.graph.publishing(answer, (why) => settleUnknownOutcome(this.reader(page), request.text, sentAt, new Date(), why));
    return 'outcome' in created ? created.outcome : { kind: 'published', url: await this.permalink(page, created.id), id: created.id };
  }

  /** The post's `permalink_url`; when Facebook would not say, the id's own address (it redirects to the post). */
  private async permalink(page: GraphCredentials, postId: string): Promise<string> {
    const answer = await graphCall(`${this.graphUrl}/${encodeURIComponent(postId)}`, { method: 'GET', params: { fields: 'permalink_url', access_token: page.accessToken } }, this.timeoutMs);
    return answer.kind === 'ok' && typeof answer.body.permalink_url === 'string' ? answer.body.permalink_url : postUrl(postId);
  }

  private call(page: GraphCredentials, edge: 'feed' | 'photos', params: Record<string, string>) {
    return graphCall(`${this.graphUrl}/${encodeURIComponent(page.externalId)}/${edge}`, { method: 'POST', params: { ...params, access_token: page.accessToken } }, this.timeoutMs);
  }

  private reader(page: GraphCredentials): RecentPostsReader {
    return {
      recentPosts: async (from, to) => {
        const params = {
          fields: 'id,message,created_time,permalink_url', since: String(Math.floor(from.getTime() / 1000)), until: String(Math.ceil(to.getTime() / 1000)),
          limit: '100', access_token: page.accessToken,
        };
        const answer = await graphCall(`${this.graphUrl}/${encodeURIComponent(page.externalId)}/published_posts`, { method: 'GET', params }, this.timeoutMs);
        if (answer.kind !== 'ok' || !Array.isArray(answer.body.data)) return 'unreadable';
        return (answer.body.data as { id: string; message?: string; permalink_url?: string }[])
          .map((post) => ({ id: post.id, text: post.message ?? '', url: post.permalink_url ?? postUrl(post.id) }));
      },
    };
  }
}

/** `https://www.facebook.com/<page>_<post>`: the id the feed edge returns, as an address. */
export function postUrl(id: string): string {
  return `https://www.facebook.com/${id}`;
}
