import { Inject, Injectable } from '@nestjs/common';
import { AccountsService, AccountUnusable } from '../accounts/accounts.service';
import { APP_CONFIG, AppConfig, graphUrlOf, linkedinApiOf } from '../config/config';
import { Database } from '../database/database';
import { PublisherRegistry } from '../publishing/publisher-registry';
import { Clock } from '../time/clock';
import { COLLECT_FOR_MS, nextCollectionAt } from './collection-schedule';
import { blueskyPostRef, GET_POSTS_MAX, postAtUri, PUBLIC_APPVIEW, readBlueskyPosts, resolveBlueskyHandle } from './bluesky-figures';
import { mastodonStatusId, readMastodonStatus, Reading } from './mastodon-figures';
import { readXPosts, X_LOOKUP_MAX, xPostId } from './x-figures';
import { facebookPostId, graphRefusalReading, readFacebookPost, withViews } from './facebook-figures';
import { INSTAGRAM_MEDIA_FIELDS, INSTAGRAM_PAGE_LIMIT, instagramPermalinkKey, readInstagramMediaById, readInstagramViews, settleInstagramPage } from './instagram-figures';
import { blueskyAtUriRef, networkPostId } from './published-post-id';
import { graphCall } from '../publishing/publishers/graph-api';
import { linkedinPostUrn, readLinkedInShareStatistics, readLinkedInSocialActions } from './linkedin-figures';

/** Posts read per run: network calls stay bounded whatever the backlog; the rest wait for the next run. */
export const COLLECT_BATCH = 50;
/** Media-list pages read per Instagram account and run (100 media each: months of a campaign's posts). */
const INSTAGRAM_PAGES = 5;

export interface CollectionReport { due: number; collected: number; refused: number; waiting: number }

/** Adds an item to its account's batch. */
function append<T>(batches: Map<string, T[]>, account: string, item: T): void {
  const batch = batches.get(account);
  if (batch) batch.push(item);
  else batches.set(account, [item]);
}

/** The run under way per database: SQLite has one process, so runs queue here instead of on a lock. */
const runs = new WeakMap<Database, Promise<unknown>>();

/** `published_id`: the network's id of the post (issue 14); null for posts published before it, then the URL says. */
interface DueRow { id: number; campaign_id: number; member: string; network: string; published_id: string | null; published_url: string | null; published_at: string }

/** A Bluesky post by its DID (recorded in its at:// URI) or by the handle of its bsky.app page (older rows). */
type BlueskyRef = { rkey: string } & ({ did: string } | { handle: string });

/**
 * Reads the response figures of published posts that are due (collection-schedule.ts) and appends one
 * `post_metrics` row per read: Mastodon one status at a time, Bluesky from the AppView
 * (`app.bsky.feed.getPosts`, 25 posts a call; a PDS alone does not count), X 100 posts a lookup, Instagram
 * one media and its views a call, Facebook a post and its views, LinkedIn an organisation's share statistics
 * then each post's social actions, each with its connected account's token. A network that rate-limits or is down
 * is left alone until it says (Retry-After, X-RateLimit-Reset), in memory: a restart merely asks once more.
 * Posts are read by the network's id their publisher recorded; older rows by what their URL carries
 * (published-post-id.ts), Instagram ones without a media id from the account's media list (then each
 * found media's views).
 */
@Injectable()
export class ResponseCollector {
  private readonly pausedUntil = new Map<string, number>();
  /** Handles resolved to DIDs (a DID never changes; a handle rarely does, and a restart asks again). */
  private readonly dids = new Map<string, string | null>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly registry: PublisherRegistry,
    private readonly accounts: AccountsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * One run. Runs take turns (in this process, and across PostgreSQL replicas by an advisory lock),
   * so a post due once is read once: the next run finds its new snapshot and skips it.
   */
  collect(limit = COLLECT_BATCH): Promise<CollectionReport> {
    const run = (runs.get(this.db) ?? Promise.resolve()).then(() => this.db.exclusively('response-collection', () => this.run(limit)));
    runs.set(this.db, run.catch(() => undefined));
    return run;
  }

  private async run(limit: number): Promise<CollectionReport> {
    const now = this.clock.now();
    const due = await this.due(now, limit);
    const report: CollectionReport = { due: due.length, collected: 0, refused: 0, waiting: 0 };
    const readings = await this.readAll(due);
    for (const post of due) {
      const reading = readings.get(post.id) ?? { kind: 'wait', retryAtMs: 0, error: 'not read' };
      if (reading.kind === 'wait') {
        report.waiting++;
        continue;
      }
      await this.record(post, reading, this.clock.now());
      report[reading.kind === 'figures' ? 'collected' : 'refused']++;
    }
    return report;
  }

  /** Published Mastodon, Bluesky, X, Facebook, Instagram and LinkedIn posts never read or whose next read has come, the longest waiting first. */
  private due(now: Date, limit: number): Promise<DueRow[]> {
    const sql = `select p.id as id, p.campaign_id as campaign_id, p.member as member, p.network as network,
        p.published_id as published_id, p.published_url as published_url, p.published_at as published_at
      from posts p
      left join (select post_id, max(id) as last_id from post_metrics group by post_id) l on l.post_id = p.id
      left join post_metrics m on m.id = l.last_id
      where p.status = 'published' and p.network in ('mastodon', 'bluesky', 'x', 'facebook', 'instagram', 'linkedin') and (p.published_id is not null or p.published_url is not null) and p.published_at >= ?
        and (m.id is null or (m.next_due_at is not null and m.next_due_at <= ?))
      order by coalesce(m.next_due_at, p.published_at), p.id
      limit ?`;
    return this.db.manager.query(this.db.sql(sql), [new Date(now.getTime() - COLLECT_FOR_MS).toISOString(), now.toISOString(), limit]);
  }

  /**
   * The readings of a batch, by post id. A post this service cannot read (sent by another publisher,
   * or no id recorded nor in its URL) is recorded once as "not collected", so it neither blocks the
   * batch nor counts as zero. A secret gone since the import (a restart without it) must not stop the
   * other posts' reads.
   */
  private async readAll(due: DueRow[]): Promise<Map<number, Reading>> {
    const readings = new Map<number, Reading>();
    const bluesky: { post: DueRow; ref: BlueskyRef }[] = [];
    const xByAccount = new Map<string, { post: DueRow; id: string }[]>();
    const instagramByAccount = new Map<string, { post: DueRow; key: string }[]>();
    const linkedinByAccount = new Map<string, { post: DueRow; urn: string }[]>();
    for (const post of due) {
      const fail = (error: Error): Reading => ({ kind: 'wait', retryAtMs: 0, error: error.message });
      const channel = await this.registry.channel(post.campaign_id, post.member, post.network).catch(fail);
      const type = 'kind' in channel ? null : channel.definition.type;
      const facebookId = type === 'facebook' ? networkPostId(post, facebookPostId) : null;
      const linkedinUrn = type === 'linkedin' ? networkPostId(post, linkedinPostUrn) : null;
      const xId = type === 'x' ? networkPostId(post, xPostId) : null;
      // Instagram permalinks carry a shortcode, not the media id: older rows are found in the media list.
      const instagramKey = type === 'instagram' && !post.published_id && post.published_url ? instagramPermalinkKey(post.published_url) : null;
      const blueskyRef = type === 'bluesky' ? this.blueskyRef(post) : null;
      if ('kind' in channel) readings.set(post.id, channel);
      else if (channel.definition.type === 'mastodon') {
        readings.set(post.id, await this.readMastodon(post, channel.definition.instance, () => channel.secret((channel.definition as { tokenEnv: string }).tokenEnv)).catch(fail));
      } else if (channel.definition.type === 'facebook' && facebookId) {
        readings.set(post.id, await this.readFacebook(channel.definition.account, facebookId).catch(fail));
      } else if (channel.definition.type === 'instagram' && post.published_id) {
        readings.set(post.id, await this.readInstagramMedia(channel.definition.account, post.published_id).catch(fail));
      } else if (channel.definition.type === 'instagram' && instagramKey) {
        append(instagramByAccount, channel.definition.account, { post, key: instagramKey });
      } else if (channel.definition.type === 'linkedin' && linkedinUrn) {
        append(linkedinByAccount, channel.definition.account, { post, urn: linkedinUrn });
      } else if (channel.definition.type === 'x' && xId) {
        append(xByAccount, channel.definition.account, { post, id: xId });
      } else if (blueskyRef) {
        bluesky.push({ post, ref: blueskyRef });
      } else readings.set(post.id, { kind: 'refused', error: 'not collected' });
    }
    // A batch read that throws (a database or programming error, not a network's answer) leaves its
    // posts waiting, as a single read's .catch(fail) does, instead of losing the whole run's readings.
    const settle = async (batch: { post: DueRow }[], read: () => Promise<Map<number, Reading>>) => {
      try {
        for (const [id, reading] of await read()) readings.set(id, reading);
      } catch (error) {
        for (const { post } of batch) readings.set(post.id, { kind: 'wait', retryAtMs: 0, error: (error as Error).message });
      }
    };
    for (const [account, posts] of xByAccount) {
      for (let i = 0; i < posts.length; i += X_LOOKUP_MAX) {
        const batch = posts.slice(i, i + X_LOOKUP_MAX);
        await settle(batch, () => this.readX(account, batch));
      }
    }
    for (const [account, posts] of instagramByAccount) await settle(posts, () => this.readInstagram(account, posts));
    for (const [account, posts] of linkedinByAccount) await settle(posts, () => this.readLinkedIn(account, posts));
    for (let i = 0; i < bluesky.length; i += GET_POSTS_MAX) {
      const batch = bluesky.slice(i, i + GET_POSTS_MAX);
      await settle(batch, () => this.readBluesky(batch));
    }
    return readings;
  }

  private now = () => this.clock.now().getTime();

  /** The pause a network asked for, as the reading of every post it would have answered. */
  private paused(key: string): Reading | null {
    const until = this.pausedUntil.get(key) ?? 0;
    return until > this.now() ? { kind: 'wait', retryAtMs: until, error: 'paused' } : null;
  }

  /** The recorded at:// URI names the DID, so no handle needs resolving; older rows have only the bsky.app page. */
  private blueskyRef(post: DueRow): BlueskyRef | null {
    const byUri = post.published_id ? blueskyAtUriRef(post.published_id) : null;
    return byUri ?? (post.published_url ? blueskyPostRef(post.published_url) : null);
  }

  private async readMastodon(post: DueRow, instance: string, token: () => string): Promise<Reading> {
    const statusId = networkPostId(post, mastodonStatusId);
    if (!statusId) return { kind: 'refused', error: 'not collected' };
    const pauseKey = `mastodon ${instance}`;
    const paused = this.paused(pauseKey);
    if (paused) return paused;
    const reading = await readMastodonStatus(instance, token(), statusId, this.config.publishing.timeoutMs, this.now);
    if (reading.kind === 'wait') this.pausedUntil.set(pauseKey, reading.retryAtMs);
    return reading;
  }

  /**
   * Up to 100 posts of one connected X account in one lookup, with the account's token (refreshed by
   * AccountsService when near expiry). An account that needs reconnecting, or a 401, is "token refused".
   */
  private async readX(account: string, batch: { post: DueRow; id: string }[]): Promise<Map<number, Reading>> {
    const apiUrl = this.config.accounts?.x.apiUrl ?? 'https://api.x.com';
    const pauseKey = `x ${account}`; // X's limits are per user token
    const every = (reading: Reading) => new Map(batch.map(({ post }) => [post.id, reading]));
    const paused = this.paused(pauseKey);
    if (paused) return every(paused);
    const token = await this.token(account);
    if (typeof token !== 'string') return every(token);
    const answer = await readXPosts(apiUrl, token, batch.map((b) => b.id), this.config.publishing.timeoutMs, this.now);
    if (answer.kind === 'wait') this.pausedUntil.set(pauseKey, answer.retryAtMs);
    if (answer.kind !== 'posts') return every(answer);
    return new Map(batch.map(({ post, id }) => [post.id, answer.byId.get(id)!]));
  }

  /** A connected account's token (refreshed by AccountsService), or the reading of each post it would have read. */
  private async token(account: string): Promise<string | Reading> {
    const credentials = await this.credentials(account);
    return 'kind' in credentials ? credentials : credentials.accessToken;
  }

  private async credentials(account: string): Promise<{ accessToken: string; externalId: string | null } | Reading> {
    try {
      return await this.accounts.credentials(account);
    } catch (error) {
      if (error instanceof AccountUnusable) return { kind: 'refused', error: 'token refused' };
      return { kind: 'wait', retryAtMs: 0, error: (error as Error).message };
    }
  }

  /**
   * One post of a connected Facebook Page, one Graph call (a multi-id read fails whole when one post is
   * gone, which is exactly what must be told apart). A rate limit pauses that Page's reads.
   */
  private async readFacebook(account: string, postId: string): Promise<Reading> {
    const graphUrl = graphUrlOf(this.config);
    return this.readOne(`facebook ${account}`, account, (token) => readFacebookPost(graphUrl, postId, token, this.config.publishing.timeoutMs, this.now));
  }

  /**
   * One media by the id media_publish gave, then its views (instagram-figures.ts), one post at a time like
   * Facebook's: a multi-id read fails whole when one media is gone.
   */
  private async readInstagramMedia(account: string, mediaId: string): Promise<Reading> {
    const graphUrl = graphUrlOf(this.config);
    return this.readOne(`instagram ${account}`, account, (token) => readInstagramMediaById(graphUrl, mediaId, token, this.config.publishing.timeoutMs, this.now));
  }

  /**
   * Posts published before media ids were recorded: the due posts of one connected Instagram account
   * from its media edge, newest first, page after page until each is found or known gone
   * (instagram-figures.ts); at most INSTAGRAM_PAGES calls a run. Each media found then has its views
   * read; a rate limit there leaves the posts not yet read for the next run.
   */
  private async readInstagram(account: string, batch: { post: DueRow; key: string }[]): Promise<Map<number, Reading>> {
    const graphUrl = graphUrlOf(this.config);
    const byKey = new Map(batch.map(({ post, key }) => [key, post.id]));
    const { readings, rest, credentials } = await this.openBatch(`instagram ${account}`, account, batch);
    if (!credentials) return readings;
    if (!credentials.externalId) return rest({ kind: 'refused', error: 'token refused' });
    const wanted = new Map(batch.map(({ post, key }) => [key, Date.parse(post.published_at)]));
    let after: string | undefined;
    for (let page = 0; page < INSTAGRAM_PAGES && wanted.size > 0; page++) {
      const params = { fields: INSTAGRAM_MEDIA_FIELDS, limit: String(INSTAGRAM_PAGE_LIMIT), access_token: credentials.accessToken, ...(after ? { after } : {}) };
      const answer = await graphCall(`${graphUrl}/${encodeURIComponent(credentials.externalId)}/media`, { method: 'GET', params }, this.config.publishing.timeoutMs);
      if (answer.kind !== 'ok') return rest(graphRefusalReading(answer, this.now));
      const settled = settleInstagramPage(wanted, answer.body as Parameters<typeof settleInstagramPage>[1]);
      for (const [key, reading] of settled.readings) {
        const mediaId = settled.mediaIds.get(key);
        const views = reading.kind === 'figures' && mediaId
          ? await readInstagramViews(graphUrl, mediaId, credentials.accessToken, this.config.publishing.timeoutMs, this.now)
          : null;
        if (views?.kind === 'wait') return rest(views);
        readings.set(byKey.get(key)!, views && reading.kind === 'figures' ? withViews(reading, views) : reading);
        wanted.delete(key);
      }
      after = (answer.body.paging as { cursors?: { after?: string } } | undefined)?.cursors?.after;
      if (!settled.more || !after) break;
    }
    // Further back than this run reads: asked again next run rather than called deleted.
    return rest({ kind: 'wait', retryAtMs: 0, error: 'not reached in the media list' });
  }

  /**
   * The due posts of one connected LinkedIn organisation: their share statistics in as few calls as the
   * API allows, then each post's socialActions (no batch read by URN). Statistics refused (403) leave
   * reshares and impressions null; a throttled or failed statistics call leaves every post for the next run.
   */
  private async readLinkedIn(account: string, batch: { post: DueRow; urn: string }[]): Promise<Map<number, Reading>> {
    const endpoints = linkedinApiOf(this.config);
    const timeoutMs = this.config.publishing.timeoutMs;
    const { readings, rest, credentials } = await this.openBatch(`linkedin ${account}`, account, batch);
    if (!credentials) return readings;
    const statistics = credentials.externalId
      ? await readLinkedInShareStatistics(endpoints, credentials.accessToken, credentials.externalId, batch.map((b) => b.urn), timeoutMs, this.now)
      : { kind: 'not-granted' as const };
    if (statistics.kind === 'wait' || statistics.kind === 'refused') return rest(statistics);
    for (const { post, urn } of batch) {
      const ofPost = statistics.kind === 'statistics' ? statistics.byUrn.get(urn) : undefined;
      const reading = await readLinkedInSocialActions(endpoints, credentials.accessToken, urn, timeoutMs, this.now, ofPost);
      if (reading.kind === 'wait') return rest(reading);
      readings.set(post.id, reading);
    }
    return readings;
  }

  /**
   * The start of an account's batch read: its readings so far, `rest` (every post not read yet gets that
   * reading; a wait pauses the account) and the account's credentials — none when the account is paused
   * or unusable, its posts then already settled.
   */
  private async openBatch(pauseKey: string, account: string, batch: { post: DueRow }[]) {
    const readings = new Map<number, Reading>();
    const rest = (reading: Reading) => {
      if (reading.kind === 'wait' && reading.retryAtMs > 0) this.pausedUntil.set(pauseKey, reading.retryAtMs);
      for (const { post } of batch) if (!readings.has(post.id)) readings.set(post.id, reading);
      return readings;
    };
    const credentials = this.paused(pauseKey) ?? await this.credentials(account);
    if ('kind' in credentials) return { readings: rest(credentials), rest, credentials: null };
    return { readings, rest, credentials };
  }

  /** A per-post read with the account's token, left alone while the account's network asked to wait. */
  private async readOne(pauseKey: string, account: string, read: (token: string) => Promise<Reading>): Promise<Reading> {
    const paused = this.paused(pauseKey);
    if (paused) return paused;
    const token = await this.token(account);
    const reading = typeof token === 'string' ? await read(token) : token;
    if (reading.kind === 'wait' && reading.retryAtMs > 0) this.pausedUntil.set(pauseKey, reading.retryAtMs);
    return reading;
  }

  /** Up to 25 Bluesky posts in one getPosts call, their handles resolved to DIDs first (once per handle). */
  private async readBluesky(batch: { post: DueRow; ref: BlueskyRef }[]): Promise<Map<number, Reading>> {
    const appview = this.config.responses?.blueskyAppviewUrl ?? PUBLIC_APPVIEW;
    const pauseKey = `bluesky ${appview}`;
    const readings = new Map<number, Reading>();
    const wait = (reading: Reading) => {
      if (reading.kind === 'wait') this.pausedUntil.set(pauseKey, reading.retryAtMs);
      for (const { post } of batch) if (!readings.has(post.id)) readings.set(post.id, reading);
      return readings;
    };
    const paused = this.paused(pauseKey);
    if (paused) return wait(paused);
    const uris = new Map<string, number>();
    for (const { post, ref } of batch) {
      if ('handle' in ref && !this.dids.has(ref.handle)) {
        const did = await resolveBlueskyHandle(appview, ref.handle, this.config.publishing.timeoutMs, this.now);
        if (did !== null && typeof did === 'object') return wait({ kind: 'wait', ...did });
        this.dids.set(ref.handle, did);
      }
      const did = 'did' in ref ? ref.did : this.dids.get(ref.handle);
      // No such handle any more: the account is gone or renamed; its posts cannot be found by it.
      if (!did) readings.set(post.id, { kind: 'refused', error: 'not collected' });
      else uris.set(postAtUri(did, ref.rkey), post.id);
    }
    if (uris.size === 0) return readings;
    const answer = await readBlueskyPosts(appview, [...uris.keys()], this.config.publishing.timeoutMs, this.now);
    if (answer.kind === 'wait') return wait(answer);
    for (const [uri, reading] of answer.byUri) readings.set(uris.get(uri)!, reading);
    return readings;
  }

  private record(post: DueRow, reading: Exclude<Reading, { kind: 'wait' }>, at: Date): Promise<unknown> {
    const next = nextCollectionAt(new Date(post.published_at), at, { deleted: reading.kind === 'refused' && reading.error !== 'token refused' });
    const figures = reading.kind === 'figures' ? reading : { likes: null, reposts: null, replies: null, quotes: null, impressions: null };
    const sql = `insert into post_metrics (post_id, collected_at, likes, reposts, replies, quotes, impressions, error, next_due_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
    return this.db.write((m) => m.query(this.db.sql(sql), [
      post.id, at.toISOString(), figures.likes, figures.reposts, figures.replies, figures.quotes, figures.impressions,
      reading.kind === 'refused' ? reading.error : null, next?.toISOString() ?? null,
    ]));
  }
}
