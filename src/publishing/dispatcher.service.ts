import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { In, IsNull, Not } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database } from '../database/database';
import { Metrics } from '../health/metrics';
import { Mailer } from '../mail/mailer';
import { appendPostEvents } from '../posts/post-events';
import { PostEntity } from '../posts/post.entity';
import type { PostStatus } from '../posts/post-status';
import { Clock } from '../time/clock';
import { UserEntity } from '../users/user.entity';
import { failureAlert } from './alerts';
import { claimDuePosts } from './claims';
import { inActiveCampaign } from '../campaigns/campaign-life';
import { idempotencyKey, PublishOutcome, retryDelayMs } from './publisher';
import { PublisherRegistry } from './publisher-registry';

export interface DispatchReport {
  missed: number;
  interrupted: number;
  claimed: number;
  published: number;
  handedOver: number;
  retrying: number;
  failed: number;
}

/** A manual post handed to comms stays `publishing` until they mark it: its lease never expires. */
export const HANDED_OVER_UNTIL = '9999-12-31T23:59:59.999Z';
const CLAIM_BATCH = 50;

/**
 * Publishes every approved post exactly once, at its time, through its channel's publisher.
 * A tick: due posts older than the grace period become missed (never a burst of late posts), posts
 * left by a dead dispatcher long ago fail for a person to check, then due posts are claimed in
 * batches under a lease and sent, a few at a time.
 */
@Injectable()
export class Dispatcher implements OnApplicationShutdown {
  readonly owner = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  lastTickAt: Date | null = null;
  private readonly logger = new Logger(Dispatcher.name);
  private stopping = false;
  private ticking?: Promise<DispatchReport>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly publishers: PublisherRegistry,
    private readonly metrics: Metrics,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Overlapping calls share the run in progress. */
  tick(): Promise<DispatchReport> {
    this.ticking ??= this.run().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /** SIGTERM: stop claiming, let the sends in flight finish and record, hand back what was not started. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.ticking?.catch(() => undefined);
    const released = await this.db.write((m) => m.createQueryBuilder().update(PostEntity)
      .set({ status: 'approved', leaseOwner: null, leaseUntil: null, revision: () => 'revision + 1', updatedAt: this.clock.now().toISOString() })
      .where("status = 'publishing' AND lease_owner = :owner", { owner: this.owner }).execute());
    if (released.affected) this.logger.log(`released ${released.affected} claimed post(s) on shutdown`);
  }

  private async run(): Promise<DispatchReport> {
    const report: DispatchReport = { missed: 0, interrupted: 0, claimed: 0, published: 0, handedOver: 0, retrying: 0, failed: 0 };
    if (this.stopping) return report;
    const now = this.clock.now();
    this.lastTickAt = now;
    this.metrics.lastTick.set(now.getTime() / 1000);
    report.missed = await this.settleStale(now, 'approved', 'missed', 'due more than the grace period ago: not published late');
    report.interrupted = await this.settleStale(now, 'publishing', 'failed', 'interrupted long ago: it may or may not have gone out; check the network before retrying');
    report.failed += report.interrupted;
    for (;;) {
      if (this.stopping) break;
      const at = this.clock.now();
      const posts = await this.claim(at);
      if (posts.length === 0) break;
      report.claimed += posts.length;
      await this.publishAll(posts, report);
      if (posts.length < CLAIM_BATCH) break;
    }
    if (report.claimed || report.missed || report.interrupted) this.logger.log({ message: 'dispatch tick', owner: this.owner, ...report });
    return report;
  }

  /** Claims a batch and writes who took what from whom into the audit log, in one transaction. */
  private claim(at: Date): Promise<PostEntity[]> {
    const now = at.toISOString();
    return this.db.write(async (m) => {
      const claimed = await claimDuePosts(this.db, m, {
        owner: this.owner,
        now,
        notBefore: new Date(at.getTime() - this.config.publishing.graceSeconds * 1000).toISOString(),
        leaseUntil: new Date(at.getTime() + this.config.publishing.leaseSeconds * 1000).toISOString(),
        limit: CLAIM_BATCH,
      });
      if (claimed.length === 0) return [];
      const posts = await m.find(PostEntity, { where: { id: In(claimed.map((c) => c.id)) }, order: { scheduledAt: 'ASC', id: 'ASC' } });
      const previous = new Map(claimed.map((c) => [c.id, c]));
      await appendPostEvents(this.db, m, posts.map((post) => {
        const from = previous.get(post.id)!;
        return {
          postId: post.id, campaignId: post.campaignId, at: now, actor: `dispatcher ${this.owner}`, actorId: null,
          action: from.previousStatus === 'publishing' ? 'taken over' : 'claimed', fromStatus: from.previousStatus, toStatus: 'publishing',
          comment: from.previousStatus === 'publishing' ? `lease of ${from.previousOwner ?? 'a retry'} expired` : null,
          textHash: post.textHash, scheduledAt: post.scheduledAt, revision: post.revision,
        };
      }));
      return posts;
    });
  }

  /** A few sends at a time; on shutdown the workers stop taking new posts. */
  private async publishAll(posts: PostEntity[], report: DispatchReport): Promise<void> {
    const queue = [...posts];
    const worker = async () => {
      for (let post = queue.shift(); post && !this.stopping; post = queue.shift()) await this.publishOne(post, report);
    };
    await Promise.all(Array.from({ length: Math.min(this.config.publishing.concurrency, posts.length) }, worker));
  }

  private async publishOne(post: PostEntity, report: DispatchReport): Promise<void> {
    const attempt = post.attempts + 1;
    const started = process.hrtime.bigint();
    let outcome: PublishOutcome;
    let campaign = '';
    try {
      const found = await this.publishers.forPost(post);
      campaign = found.campaign;
      outcome = await found.publisher.publish({
        postId: post.id,
        approvedRevision: post.approvedRevision!,
        idempotencyKey: idempotencyKey(post.id, post.approvedRevision!),
        campaign,
        member: post.member,
        network: post.network,
        locale: post.locale,
        text: post.text,
        scheduledAt: post.scheduledAt,
      });
    } catch (error) {
      outcome = { kind: 'transient', error: (error as Error).message };
    }
    this.metrics.publishDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    this.metrics.publishAttempts.inc({ network: post.network, outcome: outcome.kind.replace('-', '_') });
    const log = { message: 'publish attempt', postId: post.id, campaign, member: post.member, network: post.network, attempt, outcome: outcome.kind };
    if (outcome.kind === 'transient' || outcome.kind === 'permanent') this.logger.warn({ ...log, error: outcome.error });
    else this.logger.log(log);
    await this.record(post, attempt, outcome, campaign, report);
  }

  private async record(post: PostEntity, attempt: number, outcome: PublishOutcome, campaign: string, report: DispatchReport): Promise<void> {
    const now = this.clock.now();
    const at = now.toISOString();
    const mine = (m: import('typeorm').EntityManager, set: Record<string, unknown>) => m.createQueryBuilder().update(PostEntity).set(set)
      .where("id = :id AND status = 'publishing' AND lease_owner = :owner", { id: post.id, owner: this.owner }).execute();
    const event = (action: string, to: PostStatus, comment: string | null, revision: number) => ({
      postId: post.id, campaignId: post.campaignId, at, actor: `dispatcher ${this.owner}`, actorId: null, action,
      fromStatus: 'publishing', toStatus: to, comment, textHash: post.textHash, scheduledAt: post.scheduledAt, revision,
    });
    const giveUp = outcome.kind === 'permanent' || (outcome.kind === 'transient' && attempt >= this.config.publishing.maxAttempts);
    const recorded = await this.db.write(async (m) => {
      if (outcome.kind === 'published') {
        const result = await mine(m, { status: 'published', publishedAt: at, publishedUrl: outcome.url, leaseOwner: null, leaseUntil: null, lastError: null, attempts: attempt, revision: () => 'revision + 1', updatedAt: at });
        if (result.affected) await appendPostEvents(this.db, m, [event('published', 'published', outcome.url, post.revision + 1)]);
        return Boolean(result.affected);
      }
      if (outcome.kind === 'handed-over') {
        const result = await mine(m, { leaseOwner: 'manual', leaseUntil: HANDED_OVER_UNTIL, attempts: attempt, lastError: null, updatedAt: at });
        if (result.affected) await appendPostEvents(this.db, m, [event('handed over', 'publishing', outcome.detail, post.revision)]);
        return Boolean(result.affected);
      }
      if (giveUp) {
        const error = `${outcome.error}${outcome.kind === 'transient' ? ` (after ${attempt} attempts)` : ''}`;
        const result = await mine(m, { status: 'failed', leaseOwner: null, leaseUntil: null, lastError: error, attempts: attempt, revision: () => 'revision + 1', updatedAt: at });
        if (result.affected) await appendPostEvents(this.db, m, [event('failed', 'failed', error, post.revision + 1)]);
        return Boolean(result.affected);
      }
      // Transient: the lease now ends when the next attempt is due, so any dispatcher retries it then.
      const delay = retryDelayMs(attempt, { baseMs: this.config.publishing.retryBaseMs, capMs: 5 * 60_000, retryAfterMs: outcome.retryAfterMs });
      const result = await mine(m, { leaseOwner: null, leaseUntil: new Date(now.getTime() + delay).toISOString(), lastError: outcome.error, attempts: attempt, updatedAt: at });
      return Boolean(result.affected);
    });
    if (!recorded) {
      this.logger.warn({ message: 'lease lost before the outcome was recorded', postId: post.id, outcome: outcome.kind });
      return;
    }
    if (outcome.kind === 'published') {
      report.published++;
      this.metrics.publishDelay.observe(Math.max(0, (now.getTime() - Date.parse(post.scheduledAt)) / 1000));
    } else if (outcome.kind === 'handed-over') report.handedOver++;
    else if (giveUp) {
      report.failed++;
      await this.alert(post, campaign, outcome.error);
    } else report.retrying++;
  }

  /** Moves every post of `from` whose time is older than the grace period to `to`, with an event each. */
  private async settleStale(now: Date, from: 'approved' | 'publishing', to: PostStatus, comment: string): Promise<number> {
    const before = new Date(now.getTime() - this.config.publishing.graceSeconds * 1000).toISOString();
    const qb = this.db.manager.createQueryBuilder(PostEntity, 'p').where('p.status = :from AND p.scheduledAt < :before', { from, before })
      .andWhere(inActiveCampaign('p.campaign_id'));
    if (from === 'publishing') qb.andWhere('p.leaseUntil < :now', { now: now.toISOString() });
    const stale = await qb.take(1000).getMany();
    if (stale.length === 0) return 0;
    const at = now.toISOString();
    const settled = await this.db.write(async (m) => {
      const done: PostEntity[] = [];
      for (const post of stale) {
        const result = await m.createQueryBuilder().update(PostEntity)
          .set({ status: to, leaseOwner: null, leaseUntil: null, lastError: to === 'failed' ? comment : post.lastError, revision: () => 'revision + 1', updatedAt: at })
          .where('id = :id AND revision = :revision', { id: post.id, revision: post.revision }).execute();
        if (result.affected) done.push(post);
      }
      await appendPostEvents(this.db, m, done.map((post) => ({
        postId: post.id, campaignId: post.campaignId, at, actor: `dispatcher ${this.owner}`, actorId: null, action: to,
        fromStatus: from, toStatus: to, comment, textHash: post.textHash, scheduledAt: post.scheduledAt, revision: post.revision + 1,
      })));
      return done;
    });
    if (settled.length) this.logger.warn({ message: `${settled.length} post(s) ${to}`, reason: comment, postIds: settled.map((p) => p.id).slice(0, 50) });
    if (to === 'failed') for (const post of settled) await this.alert(post, '', comment);
    return settled.length;
  }

  /** Tells the secretariat and the member's comms (those with an e-mail address). */
  private async alert(post: PostEntity, campaign: string, error: string): Promise<void> {
    if (!this.mailer.enabled) return;
    const users = await this.db.manager.find(UserEntity, { where: { deletedAt: IsNull(), email: Not(IsNull()) } });
    const recipients = users.filter((u) => u.role === 'secretariat' || (u.role === 'comms' && u.member === post.member));
    for (const user of recipients) {
      await this.mailer.send(failureAlert({ name: user.name, email: user.email!, locale: user.uiLocale }, post, campaign, error, this.config.publicUrl))
        .catch((e) => this.logger.error(`failure alert to user ${user.id} not sent: ${(e as Error).message}`));
    }
  }
}
