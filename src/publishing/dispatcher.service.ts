import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { IsNull, Not } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database } from '../database/database';
import { Metrics } from '../health/metrics';
import { Mailer } from '../mail/mailer';
import { inActiveCampaign } from '../campaigns/campaign-life';
import { claimDuePostsNow } from '../posts/post-claims';
import { changePosts, PostChange, PostColumns } from '../posts/post-changes';
import { GroupCommit } from '../posts/group-commit';
import { Batcher } from '../common/batcher';
import { loadImagesToSend } from '../posts/post-media';
import type { ImageMime } from '../media/media-types';
import { PostEntity } from '../posts/post.entity';
import { MediaService } from '../media/media.service';
import type { PostStatus } from '../posts/post-status';
import { Clock } from '../time/clock';
import { UserEntity } from '../users/user.entity';
import { failureAlert } from './alerts';
import { idempotencyKey, PublishMedia, PublishOutcome, retryDelayMs } from './publisher';
import { PublisherRegistry } from './publisher-registry';

export interface DispatchReport {
  missed: number;
  interrupted: number;
  claimed: number;
  published: number;
  handedOver: number;
  retrying: number;
  failed: number;
  /** Sent with an unknown outcome that could not be checked: a person confirms or sends again. */
  unconfirmed: number;
  /** Claimed posts not sent because another dispatcher took them over when the lease ran out. */
  leaseLost: number;
}

/** A manual post handed to comms stays `publishing` until they mark it: its lease never expires. */
export const HANDED_OVER_UNTIL = '9999-12-31T23:59:59.999Z';
/** A claimed post as read right before its send. */
interface HeldRow {
  id: number | string;
  status: PostStatus;
  revision: number | string;
  lease_owner: string | null;
  lease_until: string | null;
  campaign_updated_at: string;
}

/** A claimed post and its images, read with the claim (they belong to the approved revision). */
interface ClaimedForSend {
  post: PostEntity;
  media: PublishMedia[];
}

/** Time for the database work around one send (recording its outcome), beyond the send's timeout. */
const LEASE_MARGIN_MS = 1000;
/**
 * The next batch is claimed once fewer than this many rounds of sends wait in the queue. Under load a
 * claim (a transaction queued behind the group commits) takes longer than a round of sends: claimed
 * with one round left, the workers spent a fifth of their time waiting for it (bench). A batch may then
 * wait two more rounds before its sends: a lease about to end is renewed first (`holdLease`).
 */
const ROUNDS_CLAIMED_AHEAD = 2;

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
  /** Posts this dispatcher took over from another whose lease ran out: their send may have gone through. */
  private readonly takenOver = new Set<number>();
  private ticking?: Promise<DispatchReport>;
  /** Outcomes of sends, many to a transaction. */
  private readonly outcomes: GroupCommit;
  /** The pre-send reads of posts (and their campaign's version), many to a query. */
  private readonly held: Batcher<number, HeldRow | undefined>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly publishers: PublisherRegistry,
    private readonly metrics: Metrics,
    private readonly mailer: Mailer,
    private readonly media: MediaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.outcomes = new GroupCommit(db, () => this.actor(), { delayMs: config.publishing.commitDelayMs, maxBatch: config.publishing.commitBatch });
    this.held = new Batcher(async (ids) => {
      // Committed rows only, read beside the writer: on SQLite the group commits and claims keep its connection busy.
      const rows = await db.read<HeldRow>(`select p.id, p.status, p.revision, p.lease_owner, p.lease_until, c.updated_at as campaign_updated_at
        from posts p join campaigns c on c.id = p.campaign_id where p.id in (${ids.map(() => '?').join(', ')})`, ids);
      const byId = new Map(rows.map((row) => [Number(row.id), row]));
      return ids.map((id) => byId.get(id));
    }, { delayMs: 0, maxBatch: 100 });
  }

  /** Overlapping calls share the run in progress. */
  tick(): Promise<DispatchReport> {
    this.ticking ??= this.run().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /** SIGTERM: stop claiming, let the sends in flight finish and record, hand back what was not started. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.ticking?.catch(() => undefined);
    await this.outcomes.drain();
    const released = await this.db.write(async (m) => {
      const held = await m.find(PostEntity, { where: { status: 'publishing', leaseOwner: this.owner } });
      const { changed } = await changePosts(this.db, m, this.actor(), held.map((post) => this.mine(post, {
        set: { status: 'approved', leaseOwner: null, leaseUntil: null }, event: { action: 'released', comment: 'not sent before shutdown' },
      })));
      return changed.length;
    });
    if (released) this.logger.log(`released ${released} claimed post(s) on shutdown`);
  }

  /** The audit actor of this dispatcher's changes, at the clock's now. */
  private actor() {
    return { at: this.clock.now().toISOString(), actor: `dispatcher ${this.owner}`, actorId: null };
  }

  /** A change of a post this dispatcher claimed: only while it still holds the lease at the claimed revision. */
  private mine(post: PostEntity, change: Pick<PostChange, 'set' | 'event' | 'bumpRevision'>): PostChange {
    return { id: post.id, expected: { revision: post.revision, status: 'publishing' }, guard: { leaseOwner: this.owner }, ...change };
  }

  private async run(): Promise<DispatchReport> {
    const report: DispatchReport = { missed: 0, interrupted: 0, claimed: 0, published: 0, handedOver: 0, retrying: 0, failed: 0, unconfirmed: 0, leaseLost: 0 };
    if (this.stopping) return report;
    const now = this.clock.now();
    this.lastTickAt = now;
    this.metrics.lastTick.set(now.getTime() / 1000);
    report.missed = await this.settleStale(now, 'approved', 'missed', 'due more than the grace period ago: not published late');
    report.interrupted = await this.settleStale(now, 'publishing', 'failed', 'interrupted long ago: it may or may not have gone out; check the network before retrying');
    report.failed += report.interrupted;
    await this.publishDue(report);
    if (report.claimed || report.missed || report.interrupted) this.logger.log({ message: 'dispatch tick', owner: this.owner, ...report });
    return report;
  }

  /**
   * Claims a batch (the claim writes who took what from whom into the audit log) in one transaction,
   * on PostgreSQL a single statement, then reads the batch's images in one query (committed rows, beside the writer).
   */
  private async claim(at: Date): Promise<ClaimedForSend[]> {
    const claimed = await claimDuePostsNow(this.db, {
      owner: this.owner,
      now: at.toISOString(),
      notBefore: new Date(at.getTime() - this.config.publishing.graceSeconds * 1000).toISOString(),
      leaseUntil: this.leaseFrom(at),
      limit: this.config.publishing.claimBatch,
    });
    if (claimed.length === 0) return [];
    // A lease that ran out under a dispatcher (not a retry's waiting time, which has no owner) may hide a send.
    for (const c of claimed) if (c.previousStatus === 'publishing' && c.previousOwner && c.previousOwner !== 'manual') this.takenOver.add(c.id);
    const images = await loadImagesToSend(this.db, claimed.map((c) => c.id));
    return claimed.map(({ post }) => ({
      post,
      media: (images.get(post.id) ?? []).map(({ sha256, mime, alt, width, height }) => {
        const stored = { sha256, mime: mime as ImageMime };
        return { url: this.media.url(stored), mime, alt, width, height, file: this.media.pathOf(stored) };
      }),
    }));
  }

  private leaseFrom(at: Date): string {
    return new Date(at.getTime() + this.config.publishing.leaseSeconds * 1000).toISOString();
  }

  /**
   * Right before a send: is the post still ours, at the claimed revision, with enough lease left to
   * cover the send and its record? A post taken over when the lease ran out (or marked published by
   * hand) is not sent: its new holder sends it under the same Idempotency-Key. A lease about to end
   * is renewed first (a guarded write); usually it is only read, so a send costs no extra write.
   * The sends starting together share that read (one query), which also brings the campaign's
   * version, so the publisher's definition needs no query of its own.
   */
  private async holdLease(post: PostEntity): Promise<{ campaignUpdatedAt: string } | undefined> {
    const row = await this.held.add(post.id);
    if (!row || row.status !== 'publishing' || row.lease_owner !== this.owner || Number(row.revision) !== post.revision) return undefined;
    const held = { campaignUpdatedAt: row.campaign_updated_at };
    // The send, then its outcome waiting for its group commit.
    const needed = this.config.publishing.timeoutMs + this.config.publishing.commitDelayMs + LEASE_MARGIN_MS;
    if (Date.parse(row.lease_until!) - this.clock.now().getTime() > needed) return held;
    return this.db.write(async (m) => {
      const change = this.mine(post, { set: { leaseUntil: this.leaseFrom(this.clock.now()) }, bumpRevision: false, event: null });
      return (await changePosts(this.db, m, this.actor(), [change])).changed.length === 1 ? held : undefined;
    });
  }

  /**
   * Claims and sends until nothing is due. `concurrency` sends are in flight; the next batch is
   * claimed while the last rounds of the current one are still to go, so sends rarely wait for a claim;
   * a send's outcome is recorded in a group commit while its worker goes on to the next post, as
   * long as fewer than `commitBatch` outcomes await their commit: what a crash sends again (under
   * the same key) is at most the sends in flight and those outcomes. On shutdown the workers stop
   * taking new posts (what stays claimed is released).
   */
  private async publishDue(report: DispatchReport): Promise<void> {
    const { claimBatch, concurrency, commitBatch } = this.config.publishing;
    const queue: ClaimedForSend[] = [];
    const recording: Promise<void>[] = [];
    const uncommitted = new Set<Promise<void>>();
    let claiming: Promise<void> | undefined;
    let exhausted = false;
    let claimError: unknown;
    const refill = () => {
      if (claiming || exhausted || this.stopping || queue.length >= ROUNDS_CLAIMED_AHEAD * concurrency) return;
      claiming = this.claim(this.clock.now()).then((posts) => {
        report.claimed += posts.length;
        queue.push(...posts);
        if (posts.length < claimBatch) exhausted = true;
      }, (error) => {
        claimError = error;
        exhausted = true;
      }).finally(() => (claiming = undefined));
    };
    const worker = async () => {
      for (;;) {
        if (this.stopping) return;
        while (uncommitted.size >= commitBatch) await Promise.race([...uncommitted]);
        refill();
        const next = queue.shift();
        if (next) {
          const { post } = next;
          const sent = await this.send(next, report);
          if (!sent) continue;
          const recorded = this.record(post, sent.attempt, sent.outcome, sent.campaign, report);
          recording.push(recorded);
          const settled = recorded.catch(() => undefined).finally(() => uncommitted.delete(settled));
          uncommitted.add(settled);
        } else if (claiming) await claiming;
        else return;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const failed = (await Promise.allSettled(recording)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (claimError) throw claimError;
    if (failed) throw failed.reason;
  }

  /** Sends one claimed post (if still held); undefined when the lease was lost first. */
  private async send({ post, media }: ClaimedForSend, report: DispatchReport): Promise<{ attempt: number; outcome: PublishOutcome; campaign: string } | undefined> {
    const held = await this.holdLease(post);
    if (!held) {
      report.leaseLost++;
      this.logger.warn({ message: 'lease lost before sending: not sent', postId: post.id, owner: this.owner });
      return undefined;
    }
    const attempt = post.attempts + 1;
    const started = process.hrtime.bigint();
    let outcome: PublishOutcome;
    let campaign = '';
    try {
      const found = await this.publishers.forPost(post, held.campaignUpdatedAt);
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
        mayHaveBeenSent: this.takenOver.delete(post.id),
        media,
      });
    } catch (error) {
      outcome = { kind: 'transient', error: (error as Error).message };
    }
    this.metrics.publishDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    this.metrics.publishAttempts.inc({ network: post.network, outcome: outcome.kind.replace('-', '_') });
    const log = { message: 'publish attempt', postId: post.id, campaign, member: post.member, network: post.network, attempt, outcome: outcome.kind };
    if (outcome.kind === 'transient' || outcome.kind === 'permanent' || outcome.kind === 'unconfirmed') this.logger.warn({ ...log, error: outcome.error });
    else this.logger.log(log);
    return { attempt, outcome, campaign };
  }

  /** Records an outcome in the next group commit; counted (and alerted) only once committed. */
  private async record(post: PostEntity, attempt: number, outcome: PublishOutcome, campaign: string, report: DispatchReport): Promise<void> {
    const now = this.clock.now();
    const giveUp = outcome.kind === 'permanent' || (outcome.kind === 'transient' && attempt >= this.config.publishing.maxAttempts);
    const recorded = await this.outcomes.record(this.mine(post, this.outcomeChange(outcome, attempt, giveUp, now)));
    if (!recorded) {
      this.logger.warn({ message: 'lease lost before the outcome was recorded', postId: post.id, outcome: outcome.kind });
      return;
    }
    if (outcome.kind === 'published') {
      report.published++;
      this.metrics.publishDelay.observe(Math.max(0, (now.getTime() - Date.parse(post.scheduledAt)) / 1000));
    } else if (outcome.kind === 'handed-over') report.handedOver++;
    else if (outcome.kind === 'unconfirmed') {
      report.unconfirmed++;
      await this.alert(post, campaign, outcome.error, 'unconfirmed');
    } else if (giveUp) {
      report.failed++;
      await this.alert(post, campaign, outcome.error);
    } else report.retrying++;
  }

  /** What an outcome changes in the post this dispatcher holds. */
  private outcomeChange(outcome: PublishOutcome, attempt: number, giveUp: boolean, now: Date): Pick<PostChange, 'set' | 'event' | 'bumpRevision'> {
    const at = now.toISOString();
    switch (outcome.kind) {
      case 'published':
        return { set: { status: 'published', publishedAt: at, publishedUrl: outcome.url, publishedId: outcome.id, leaseOwner: null, leaseUntil: null, lastError: null, attempts: attempt }, event: { action: 'published', comment: outcome.url } };
      case 'unconfirmed':
        return { set: { status: 'unconfirmed', leaseOwner: null, leaseUntil: null, lastError: outcome.error, attempts: attempt }, event: { action: 'unconfirmed', comment: outcome.error } };
      case 'handed-over':
        return { set: { leaseOwner: 'manual', leaseUntil: HANDED_OVER_UNTIL, attempts: attempt, lastError: null }, bumpRevision: false, event: { action: 'handed over', comment: outcome.detail } };
      default: {
        if (giveUp) {
          const error = `${outcome.error}${outcome.kind === 'transient' ? ` (after ${attempt} attempts)` : ''}`;
          return { set: { status: 'failed', leaseOwner: null, leaseUntil: null, lastError: error, attempts: attempt }, event: { action: 'failed', comment: error } };
        }
        // Transient: the lease now ends when the next attempt is due, so any dispatcher retries it then.
        const retryAfterMs = outcome.kind === 'transient' ? outcome.retryAfterMs : undefined;
        const delay = retryDelayMs(attempt, { baseMs: this.config.publishing.retryBaseMs, capMs: 5 * 60_000, retryAfterMs });
        const columns: PostColumns = { leaseOwner: null, leaseUntil: new Date(now.getTime() + delay).toISOString(), lastError: outcome.error, attempts: attempt };
        return { set: columns, bumpRevision: false, event: null };
      }
    }
  }

  /** Moves every post of `from` whose time is older than the grace period to `to`, with an event each. */
  private async settleStale(now: Date, from: 'approved' | 'publishing', to: PostStatus, comment: string): Promise<number> {
    const before = new Date(now.getTime() - this.config.publishing.graceSeconds * 1000).toISOString();
    const qb = this.db.manager.createQueryBuilder(PostEntity, 'p').where('p.status = :from AND p.scheduledAt < :before', { from, before })
      .andWhere(inActiveCampaign('p.campaign_id'));
    if (from === 'publishing') qb.andWhere('p.leaseUntil < :now', { now: now.toISOString() });
    const stale = await qb.take(1000).getMany();
    if (stale.length === 0) return 0;
    const settled = await this.db.write(async (m) => {
      const { changed } = await changePosts(this.db, m, { ...this.actor(), at: now.toISOString() }, stale.map((post) => ({
        id: post.id, expected: { revision: post.revision, status: from },
        // A lease renewed meanwhile means its dispatcher is alive and sending: not stale after all.
        guard: from === 'publishing' ? { leaseExpiredBefore: now.toISOString() } : undefined,
        set: { status: to, leaseOwner: null, leaseUntil: null, ...(to === 'failed' ? { lastError: comment } : {}) },
        event: { action: to, comment },
      })));
      const done = new Set(changed.map((c) => c.id));
      return stale.filter((post) => done.has(post.id));
    });
    if (settled.length) this.logger.warn({ message: `${settled.length} post(s) ${to}`, reason: comment, postIds: settled.map((p) => p.id).slice(0, 50) });
    if (to === 'failed') for (const post of settled) await this.alert(post, '', comment);
    return settled.length;
  }

  /** Tells the secretariat and the member's comms (those with an e-mail address). */
  private async alert(post: PostEntity, campaign: string, error: string, kind: 'failure' | 'unconfirmed' = 'failure'): Promise<void> {
    if (!this.mailer.enabled) return;
    const users = await this.db.manager.find(UserEntity, { where: { deletedAt: IsNull(), email: Not(IsNull()) } });
    const recipients = users.filter((u) => u.role === 'secretariat' || (u.role === 'comms' && u.member === post.member));
    for (const user of recipients) {
      await this.mailer.send(failureAlert({ name: user.name, email: user.email!, locale: user.uiLocale }, post, campaign, error, this.config.publicUrl, kind))
        .catch((e) => this.logger.error(`failure alert to user ${user.id} not sent: ${(e as Error).message}`));
    }
  }
}
