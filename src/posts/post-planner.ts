import { hash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Database } from '../database/database';
import { appendPostEvents } from './post-events';
import { postKey, PlannedPost } from './plan';
import { SETTLED_STATUSES, PostStatus } from './post-status';

export interface PlanSummary {
  created: number;
  updated: number;
  unchanged: number;
  cancelled: number;
  /** Unchanged posts that keep the approvals they had. */
  approvalsKept: number;
  /** Posts whose text, time or approval steps moved, losing the approvals they had. */
  approvalsReset: number;
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
 * and leaves everything else untouched: an unchanged re-plan writes no row.
 */
export class PostPlanner {
  constructor(
    private readonly db: Database,
    private readonly manager: EntityManager,
    private readonly campaignId: number,
    private readonly now: string,
    private readonly actor: { name: string; id: number | null },
  ) {}

  async apply(planned: Iterable<PlannedPost>, total: number, progress?: PlanProgress, signal?: AbortSignal): Promise<PlanSummary> {
    const existing = await this.loadExisting();
    const summary: PlanSummary = { created: 0, updated: 0, unchanged: 0, cancelled: 0, approvalsKept: 0, approvalsReset: 0 };
    const seen = new Set<number>();
    let batch: PlannedPost[] = [];
    let done = 0;
    const flush = async () => {
      summary.created += await this.insert(batch);
      batch = [];
    };
    for (const post of planned) {
      const current = existing.get(postKey(post));
      const hash = plannedHash(post);
      if (!current) {
        batch.push(post);
        if (batch.length >= BATCH) await flush();
      } else {
        seen.add(current.id);
        if ((current.planned_hash === hash && current.status !== 'cancelled') || SETTLED_STATUSES.includes(current.status)) {
          summary.unchanged++;
          if (Number(current.approved_steps) > 0) summary.approvalsKept++;
        } else {
          await this.rewrite(current, post, hash);
          summary.updated++;
          if (Number(current.approved_steps) > 0) summary.approvalsReset++;
        }
      }
      if (++done % BATCH === 0) {
        await checkpoint(signal);
        if (done % 5000 === 0) progress?.(done, total);
      }
    }
    await flush();
    for (const post of existing.values()) {
      if (seen.has(post.id) || post.status === 'cancelled' || SETTLED_STATUSES.includes(post.status)) continue;
      await this.cancel(post);
      summary.cancelled++;
    }
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
    return new Map(rows.map((r) => [r.post_key, r]));
  }

  private async insert(posts: PlannedPost[]): Promise<number> {
    if (posts.length === 0) return 0;
    const rows = posts.map((p) => [
      this.campaignId, p.member, p.network, p.locale, p.theme, p.message, p.slotDate, p.slotOrdinal, p.localTime,
      p.timezone, p.scheduledAt.toISOString(), p.text, textHash(p.text), p.length, p.limit, p.variant, p.fallback,
      p.needsReview, plannedHash(p), 'draft', 1, this.now, this.now, p.approvalSteps,
    ]);
    type Inserted = { id: number; member: string; network: string; locale: string; slot_date: string; slot_ordinal: number; text_hash: string; scheduled_at: string };
    const inserted = await this.db.insertReturning<Inserted>(this.manager, 'posts', POST_COLUMNS, rows, ['id', 'member', 'network', 'locale', 'slot_date', 'slot_ordinal', 'text_hash', 'scheduled_at']);
    await appendPostEvents(this.db, this.manager, inserted.map((p) => ({
      postId: p.id, campaignId: this.campaignId, at: this.now, actor: this.actor.name, actorId: this.actor.id, action: 'planned',
      fromStatus: null, toStatus: 'draft', comment: null, textHash: p.text_hash, scheduledAt: p.scheduled_at, revision: 1,
    })));
    return inserted.length;
  }

  /** The plan moved this post: new text or time, so every approval is void and it starts over as a draft. */
  private async rewrite(current: ExistingPost, post: PlannedPost, hash: string): Promise<void> {
    const hashOfText = textHash(post.text);
    const scheduledAt = post.scheduledAt.toISOString();
    await this.manager.query(
      this.db.sql(`update posts set theme = ?, message = ?, local_time = ?, scheduled_at = ?, text = ?, text_hash = ?, length = ?, max_length = ?,
        variant = ?, fallback = ?, needs_review = ?, planned_hash = ?, approval_steps = ?, status = 'draft', approved_steps = 0,
        awaiting_role = null, approved_revision = null, revision = revision + 1, updated_at = ? where id = ?`),
      [post.theme, post.message, post.localTime, scheduledAt, post.text, hashOfText, post.length, post.limit, post.variant,
        post.fallback, post.needsReview, hash, post.approvalSteps, this.now, current.id],
    );
    await this.manager.query(this.db.sql('delete from approvals where post_id = ?'), [current.id]);
    await this.event(current.id, 'replanned', current.status, 'draft', hashOfText, scheduledAt, current.revision + 1);
  }

  private async cancel(current: ExistingPost): Promise<void> {
    await this.manager.query(
      this.db.sql(`update posts set status = 'cancelled', approved_steps = 0, awaiting_role = null, approved_revision = null,
        revision = revision + 1, updated_at = ? where id = ?`),
      [this.now, current.id],
    );
    await this.manager.query(this.db.sql('delete from approvals where post_id = ?'), [current.id]);
    const [row] = await this.manager.query(this.db.sql('select text_hash, scheduled_at from posts where id = ?'), [current.id]);
    await this.event(current.id, 'cancelled', current.status, 'cancelled', row.text_hash, row.scheduled_at, current.revision + 1, 'its slot is no longer in the plan');
  }

  private async event(postId: number, action: string, from: string, to: string, hash: string, scheduledAt: string, revision: number, comment: string | null = null): Promise<void> {
    await appendPostEvents(this.db, this.manager, [{
      postId, campaignId: this.campaignId, at: this.now, actor: this.actor.name, actorId: this.actor.id, action,
      fromStatus: from, toStatus: to, comment, textHash: hash, scheduledAt, revision,
    }]);
  }
}
