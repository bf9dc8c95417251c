import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database } from '../database/database';
import { PublisherRegistry } from '../publishing/publisher-registry';
import { Clock } from '../time/clock';
import { COLLECT_FOR_MS, nextCollectionAt } from './collection-schedule';
import { mastodonStatusId, readMastodonStatus, Reading } from './mastodon-figures';

/** Posts read per run: network calls stay bounded whatever the backlog; the rest wait for the next run. */
export const COLLECT_BATCH = 50;

export interface CollectionReport { due: number; collected: number; refused: number; waiting: number }

/** The run under way per database: SQLite has one process, so runs queue here instead of on a lock. */
const runs = new WeakMap<Database, Promise<unknown>>();

interface DueRow { id: number; campaign_id: number; member: string; network: string; published_url: string; published_at: string }

/**
 * Reads the response figures of published posts that are due (collection-schedule.ts) and appends one
 * `post_metrics` row per read. Mastodon only for now: Bluesky's counts come from the AppView
 * (`app.bsky.feed.getPosts`), which a PDS alone does not answer. A network that rate-limits or is down
 * is left alone until it says (Retry-After, X-RateLimit-Reset), in memory: a restart merely asks once more.
 */
@Injectable()
export class ResponseCollector {
  private readonly pausedUntil = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly registry: PublisherRegistry,
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
    for (const post of due) {
      // A secret gone since the import (a restart without it) must not stop the other posts' reads.
      const reading = await this.read(post).catch((error: Error): Reading => ({ kind: 'wait', retryAtMs: 0, error: error.message }));
      if (reading.kind === 'wait') {
        report.waiting++;
        continue;
      }
      await this.record(post, reading, this.clock.now());
      report[reading.kind === 'figures' ? 'collected' : 'refused']++;
    }
    return report;
  }

  /** Published Mastodon posts never read or whose next read has come, the longest waiting first. */
  private due(now: Date, limit: number): Promise<DueRow[]> {
    const sql = `select p.id as id, p.campaign_id as campaign_id, p.member as member, p.network as network,
        p.published_url as published_url, p.published_at as published_at
      from posts p
      left join (select post_id, max(id) as last_id from post_metrics group by post_id) l on l.post_id = p.id
      left join post_metrics m on m.id = l.last_id
      where p.status = 'published' and p.network = 'mastodon' and p.published_url is not null and p.published_at >= ?
        and (m.id is null or (m.next_due_at is not null and m.next_due_at <= ?))
      order by coalesce(m.next_due_at, p.published_at), p.id
      limit ?`;
    return this.db.manager.query(this.db.sql(sql), [new Date(now.getTime() - COLLECT_FOR_MS).toISOString(), now.toISOString(), limit]);
  }

  /**
   * One read. A post this service cannot read (sent by another publisher, or no status id in its URL)
   * is recorded once as "not collected", so it neither blocks the batch nor counts as zero.
   */
  private async read(post: DueRow): Promise<Reading> {
    const { definition, secret } = await this.registry.channel(post.campaign_id, post.member, post.network);
    const statusId = mastodonStatusId(post.published_url);
    if (definition.type !== 'mastodon' || !statusId) return { kind: 'refused', error: 'not collected' };
    const pauseKey = `mastodon ${definition.instance}`;
    const now = () => this.clock.now().getTime();
    if ((this.pausedUntil.get(pauseKey) ?? 0) > now()) return { kind: 'wait', retryAtMs: this.pausedUntil.get(pauseKey)!, error: 'paused' };
    const reading = await readMastodonStatus(definition.instance, secret(definition.tokenEnv), statusId, this.config.publishing.timeoutMs, now);
    if (reading.kind === 'wait') this.pausedUntil.set(pauseKey, reading.retryAtMs);
    return reading;
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
