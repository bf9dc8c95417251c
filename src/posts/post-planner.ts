import { hash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Database } from '../database/database';
import { changePosts, PostChange } from './post-changes';
import { appendPlannedEvents } from './post-events';
import { postKey, PlannedPost } from './plan';
import { PostStatus, REPLANNABLE_STATUSES } from './post-status';

export interface PlanSummary {
  created: number;
  updated: number;
  unchanged: number;
  cancelled: number;
  /** Unchanged posts that keep the approvals they had. */
  approvalsKept: number;
  /** Posts whose text, time or approval steps moved, losing the approvals they had. */
  approvalsReset: number;
  /**
   * Posts the plan would change or cancel but leaves alone: being sent or already sent, failed or
   * missed (see REPLANNABLE_STATUSES), or changed by someone else while the plan was written.
   */
  skippedPosts: number;
  /** The first 100 of them. */
  skippedPostIds: number[];
}

export type PlanProgress = (done: number, total: number) => void;

/**
 * Rendering runs without awaiting, so a SIGTERM could not even be noticed: yield to the event loop,
 * then stop (the caller's transaction rolls back) if shutdown has begun.
 */
async function checkpoint(signal?: AbortSignal): Promise<void> {
  if (!signal) return;
  await new Promise((resolve) => setImmediate(resolve));
  signal.throwIfAborted();
}

interface ExistingPost {
  id: number;
  post_key: string;
  planned_hash: string;
  status: PostStatus;
  revision: number;
  approved_steps: number;
}

const sha256 = (text: string) => hash('sha256', text, 'hex');

export function textHash(text: string): string {
  return sha256(text);
}

/** What the plan decides for a post: equal hashes mean the re-plan leaves the post alone. */
export function plannedHash(post: Pick<PlannedPost, 'text' | 'localTime' | 'theme' | 'message' | 'approvalSteps'>): string {
  return sha256(`${post.localTime}\0${post.theme}\0${post.message}\0${post.approvalSteps}\0${post.text}`);
}

const POST_COLUMNS = [
  'campaign_id', 'member', 'network', 'locale', 'theme', 'message', 'slot_date', 'slot_ordinal', 'local_time',
  'timezone', 'scheduled_at', 'text', 'text_hash', 'length', 'max_length', 'variant', 'fallback', 'needs_review',
  'planned_hash', 'status', 'revision', 'created_at', 'updated_at', 'approval_steps',
];
// SQLite allows 32,766 bound values per statement; PostgreSQL 65,535.
const BATCH = 1000;

/**
 * Writes a plan into the database inside the caller's transaction: inserts new posts, rewrites those
 * whose planned text or time moved (back to draft, approvals reset), cancels posts whose slot is gone,
 * and leaves everything else untouched: an unchanged re-plan writes no row. It changes only posts
 * not yet handed to the dispatcher, each at the revision it read (changePosts): a post claimed, sent
 * or edited meanwhile is reported skipped, never overwritten.
 */
export class PostPlanner {
  /** Existing posts that have at least one approval. */
  private readonly withApprovals = new Set<number>();

  constructor(
    private readonly db: Database,
    private readonly manager: EntityManager,
    private readonly campaignId: number,
    private readonly now: string,
    private readonly actor: { name: string; id: number | null },
  ) {}

  async apply(planned: Iterable<PlannedPost>, total: number, progress?: PlanProgress, signal?: AbortSignal): Promise<PlanSummary> {
    const existing = await this.loadExisting();
    const summary: PlanSummary = { created: 0, updated: 0, unchanged: 0, cancelled: 0, approvalsKept: 0, approvalsReset: 0, skippedPosts: 0, skippedPostIds: [] };
    const seen = new Set<number>();
    let batch: PlannedPost[] = [];
    let rewrites: PostChange[] = [];
    let done = 0;
    // One batch of inserts in flight while the next is rendered (the driver works off the main thread).
    // Nothing else may reach the connection meanwhile: every other write, and the way out, settles it first.
    let writing: Promise<number> = Promise.resolve(0);
    const settle = async () => {
      summary.created += await writing;
      writing = Promise.resolve(0);
    };
    const flush = async () => {
      await settle();
      writing = this.insert(batch);
      writing.catch(() => undefined); // handled at the next settle(), not an unhandled rejection meanwhile
      batch = [];
    };
    const flushRewrites = async () => {
      await settle();
      await this.change(rewrites, summary, 'updated');
      rewrites = [];
    };
    try {
      for (const post of planned) {
        const current = existing.get(postKey(post));
        const hash = plannedHash(post);
        if (!current) {
          batch.push(post);
          if (batch.length >= BATCH) await flush();
        } else {
          seen.add(current.id);
          if (current.planned_hash === hash && current.status !== 'cancelled') {
            summary.unchanged++;
            if (Number(current.approved_steps) > 0) summary.approvalsKept++;
          } else {
            rewrites.push(this.rewrite(current, post, hash));
            if (rewrites.length >= BATCH) await flushRewrites();
          }
        }
        if (++done % BATCH === 0) {
          await checkpoint(signal);
          if (done % 5000 === 0) progress?.(done, total);
        }
      }
      await flush();
      await flushRewrites();
    } catch (error) {
      await writing.catch(() => undefined); // the caller rolls back: not while an insert still runs
      throw error;
    }
    const gone = [...existing.values()].filter((post) => !seen.has(post.id) && post.status !== 'cancelled');
    for (let i = 0; i < gone.length; i += BATCH) await this.change(gone.slice(i, i + BATCH).map((post) => this.cancel(post)), summary, 'cancelled');
    progress?.(done, total);
    return summary;
  }

  private async loadExisting(): Promise<Map<string, ExistingPost>> {
    // The key is built by the database (the same shape as postKey()): one string per row to hand over.
    const rows: ExistingPost[] = await this.manager.query(
      this.db.sql(`select id, member || '|' || network || '|' || locale || '|' || slot_date || '|' || slot_ordinal as post_key,
        planned_hash, status, revision, approved_steps from posts where campaign_id = ?`),
      [this.campaignId],
    );
    for (const row of rows) if (Number(row.approved_steps) > 0) this.withApprovals.add(Number(row.id));
    return new Map(rows.map((r) => [r.post_key, r]));
  }

  private async insert(posts: PlannedPost[]): Promise<number> {
    if (posts.length === 0) return 0;
    const rows = posts.map((p) => [
      this.campaignId, p.member, p.network, p.locale, p.theme, p.message, p.slotDate, p.slotOrdinal, p.localTime,
      p.timezone, p.scheduledAt.toISOString(), p.text, textHash(p.text), p.length, p.limit, p.variant, p.fallback,
      p.needsReview, plannedHash(p), 'draft', 1, this.now, this.now, p.approvalSteps,
    ]);
    const inserted = await this.db.insertReturning<{ id: number }>(this.manager, 'posts', POST_COLUMNS, rows, ['id']);
    await appendPlannedEvents(this.db, this.manager, inserted.map((p) => Number(p.id)), this.now, this.actor);
    return inserted.length;
  }

  /** The plan moved this post: new text or time, so every approval is void and it starts over as a draft. */
  private rewrite(current: ExistingPost, post: PlannedPost, hash: string): PostChange {
    return {
      id: current.id, expected: { revision: Number(current.revision), status: current.status }, from: REPLANNABLE_STATUSES,
      set: {
        theme: post.theme, message: post.message, localTime: post.localTime, scheduledAt: post.scheduledAt.toISOString(), text: post.text,
        textHash: textHash(post.text), length: post.length, limit: post.limit, variant: post.variant, fallback: post.fallback,
        needsReview: post.needsReview, plannedHash: hash, approvalSteps: post.approvalSteps, status: 'draft', approvedSteps: 0,
        awaitingRole: null, approvedRevision: null,
      },
      event: { action: 'replanned' },
    };
  }

  private cancel(current: ExistingPost): PostChange {
    return {
      id: current.id, expected: { revision: Number(current.revision), status: current.status }, from: REPLANNABLE_STATUSES,
      set: { status: 'cancelled', approvedSteps: 0, awaitingRole: null, approvedRevision: null },
      event: { action: 'cancelled', comment: 'its slot is no longer in the plan' },
    };
  }

  /** Applies rewrites or cancellations; posts that are (being) sent or were changed meanwhile are skipped. */
  private async change(changes: PostChange[], summary: PlanSummary, counter: 'updated' | 'cancelled'): Promise<void> {
    if (changes.length === 0) return;
    const { changed, skipped } = await changePosts(this.db, this.manager, { at: this.now, actor: this.actor.name, actorId: this.actor.id }, changes);
    summary[counter] += changed.length;
    summary.skippedPosts += skipped.length;
    summary.skippedPostIds.push(...skipped.slice(0, 100 - summary.skippedPostIds.length));
    const ids = changed.map((c) => c.id);
    if (counter === 'updated') summary.approvalsReset += ids.filter((id) => this.withApprovals.has(id)).length;
    for (let i = 0; i < ids.length; i += BATCH) {
      const chunk = ids.slice(i, i + BATCH);
      await this.manager.query(this.db.sql(`delete from approvals where post_id in (${chunk.map(() => '?').join(', ')})`), chunk);
    }
  }
}
