import { hash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Database } from '../database/database';
import { changePosts, PostChange } from './post-changes';
import { appendPlannedEvents } from './post-events';
import { ExistingPost, ExistingPosts, loadExistingPosts } from './existing-posts';
import { postKey, PlannedMedia, PlannedPost } from './plan';
import { PostMediaEntity } from './post-media.entity';
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

const sha256 = (text: string) => hash('sha256', text, 'hex');

export function textHash(text: string): string {
  return sha256(text);
}

/**
 * plannedHash and textHash for a plan's posts in order. A slot's channels mostly carry the very same
 * text (the renderer hands out one string), so the last post's hashes are reused when what they hash
 * is the same: a third of planning's SHA-256 work, same results.
 */
export class PlanHasher {
  private last: { text: string; localTime: string; theme: string; message: string; approvalSteps: string; media?: PlannedMedia[]; planned: string } | undefined;
  private lastText = '';
  private lastTextHash = '';

  planned(post: Pick<PlannedPost, 'text' | 'localTime' | 'theme' | 'message' | 'approvalSteps'> & { media?: PlannedMedia[] }): string {
    const last = this.last;
    if (last && last.text === post.text && last.localTime === post.localTime && last.theme === post.theme && last.message === post.message
      && last.approvalSteps === post.approvalSteps && last.media === post.media) return last.planned;
    const planned = plannedHash(post);
    this.last = { text: post.text, localTime: post.localTime, theme: post.theme, message: post.message, approvalSteps: post.approvalSteps, media: post.media, planned };
    return planned;
  }

  text(text: string): string {
    if (text !== this.lastText || this.lastTextHash === '') {
      this.lastText = text;
      this.lastTextHash = textHash(text);
    }
    return this.lastTextHash;
  }
}

/**
 * What a re-plan does with one planned post, given the post that holds its key (if any): the one rule
 * that PostPlanner applies and the re-plan preview reports, so the preview cannot say otherwise.
 */
export function replanAction(current: { planned_hash: string; status: PostStatus } | undefined, hash: string): 'create' | 'unchanged' | 'rewrite' {
  if (!current) return 'create';
  return current.planned_hash === hash && current.status !== 'cancelled' ? 'unchanged' : 'rewrite';
}

/** What the plan decides for a post: equal hashes mean the re-plan leaves the post alone. */
export function plannedHash(post: Pick<PlannedPost, 'text' | 'localTime' | 'theme' | 'message' | 'approvalSteps'> & { media?: PlannedMedia[] }): string {
  // Images only when there are some: posts planned before templates named images keep their hash.
  const media = post.media?.length ? `\0media${post.media.map((item) => `\0${item.image}\0${item.alt}`).join('')}` : '';
  return sha256(`${post.localTime}\0${post.theme}\0${post.message}\0${post.approvalSteps}\0${post.text}${media}`);
}

/** What differs from post to post; the campaign, status, revision and timestamps are bound once a batch (POST_SHARED). */
const POST_COLUMNS = [
  'member', 'network', 'locale', 'theme', 'message', 'slot_date', 'slot_ordinal', 'local_time',
  'timezone', 'scheduled_at', 'text', 'text_hash', 'length', 'max_length', 'variant', 'fallback', 'needs_review',
  'planned_hash', 'approval_steps',
];
// SQLite allows 32,766 bound values per statement; PostgreSQL 65,535.
const BATCH = 1000;
/** How often rendering yields while a batch is being written (see apply). */
const WRITE_STEP = 250;

/**
 * One write at a time, started without waiting for it: a plan renders batch N+1 on the main thread
 * while the driver's thread runs batch N's statements. The next write, or any other statement of the
 * plan, first waits for the one in flight (settle), so statements still run in the plan's order.
 */
class WriteAhead {
  private pending: Promise<void> | undefined;

  get busy(): boolean {
    return this.pending !== undefined;
  }

  /** Waits for the write in flight (its error is thrown here), then starts this one. */
  async start(write: () => Promise<void>): Promise<void> {
    await this.settle();
    const pending = write();
    pending.catch(() => undefined); // awaited (and thrown) by the next settle, not an unhandled rejection meanwhile
    this.pending = pending;
  }

  async settle(): Promise<void> {
    const pending = this.pending;
    this.pending = undefined;
    await pending;
  }

  /** Waits for the write in flight whatever its outcome (the caller is already failing). */
  async drain(): Promise<void> {
    await this.pending?.catch(() => undefined);
  }
}

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
  private readonly hasher = new PlanHasher();

  constructor(
    private readonly db: Database,
    private readonly manager: EntityManager,
    private readonly campaignId: number,
    private readonly now: string,
    private readonly actor: { name: string; id: number | null },
    /** The stored image a post of a network gets for a template image (its conforming copy, if any). */
    private readonly mediaIds: (image: string, network: PlannedPost['network']) => number = () => {
      throw new Error('the templates name images but the plan was given none');
    },
  ) {}

  async apply(planned: Iterable<PlannedPost>, total: number, progress?: PlanProgress, signal?: AbortSignal): Promise<PlanSummary> {
    const posts = await loadExistingPosts(this.db, this.manager, this.campaignId);
    for (const post of posts) if (post.approved_steps > 0) this.withApprovals.add(post.id);
    const existing = new ExistingPosts(posts);
    const summary: PlanSummary = { created: 0, updated: 0, unchanged: 0, cancelled: 0, approvalsKept: 0, approvalsReset: 0, skippedPosts: 0, skippedPostIds: [] };
    const writes = new WriteAhead();
    try {
      const done = await this.walk(planned, existing, summary, writes, total, progress, signal);
      const gone = posts.filter((post) => !post.seen && post.status !== 'cancelled');
      for (let i = 0; i < gone.length; i += BATCH) await this.change(gone.slice(i, i + BATCH).map((post) => this.cancel(post)), summary, 'cancelled');
      progress?.(done, total);
      return summary;
    } finally {
      // Stopped early (an error, shutdown): the write in flight ends before the caller rolls back.
      await writes.drain();
    }
  }

  /**
   * Every planned post against the existing ones (each one a planned post holds is marked seen): new
   * posts written a batch behind (WriteAhead), the others rewritten or flagged. Returns the count planned.
   */
  private async walk(planned: Iterable<PlannedPost>, existing: ExistingPosts, summary: PlanSummary, writes: WriteAhead,
    total: number, progress?: PlanProgress, signal?: AbortSignal): Promise<number> {
    let batch: PlannedPost[] = [];
    let batchHashes: string[] = [];
    let rewrites: PostChange[] = [];
    let reviewFlags: PostChange[] = [];
    const rewritten = new Map<number, PlannedPost>();
    let done = 0;
    const flush = async () => {
      const posts = batch;
      const hashes = batchHashes;
      batch = [];
      batchHashes = [];
      if (posts.length) await writes.start(async () => void (summary.created += await this.insert(posts, hashes)));
    };
    const flushRewrites = async () => {
      await writes.settle();
      const changed = await this.change(rewrites, summary, 'updated');
      await this.replaceMedia(changed.map((id) => ({ id, post: rewritten.get(id)! })));
      rewrites = [];
      rewritten.clear();
    };
    const flushFlags = async () => {
      await writes.settle();
      reviewFlags = await this.flag(reviewFlags);
    };
    for (const post of planned) {
      // A first plan has nothing to compare with: no key to build.
      const current = existing.size > 0 ? existing.find(postKey(post)) : undefined;
      const hash = this.hasher.planned(post);
      const action = replanAction(current, hash);
      if (action === 'create') {
        batch.push(post);
        batchHashes.push(hash);
        if (batch.length >= BATCH) await flush();
      } else {
        current!.seen = true;
        if (action === 'unchanged') {
          summary.unchanged++;
          if (current!.approved_steps > 0) summary.approvalsKept++;
          if (current!.needs_review !== post.needsReview) reviewFlags.push(this.reviewFlag(current!, post.needsReview));
          if (reviewFlags.length >= BATCH) await flushFlags();
        } else {
          rewrites.push(this.rewrite(current!, post, hash));
          rewritten.set(current!.id, post);
          if (rewrites.length >= BATCH) await flushRewrites();
        }
      }
      if (++done % BATCH === 0) {
        await checkpoint(signal);
        if (done % 5000 === 0) progress?.(done, total);
      } else if (writes.busy && done % WRITE_STEP === 0) {
        // Rendering never awaits: let the write in flight go on to its next statement (the events).
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await flush();
    await flushRewrites();
    await flushFlags();
    return done;
  }

  /** `hashes`: each post's plannedHash, as apply() computed it. */
  private async insert(posts: PlannedPost[], hashes: string[]): Promise<number> {
    if (posts.length === 0) return 0;
    const rows = posts.map((p, i) => [
      p.member, p.network, p.locale, p.theme, p.message, p.slotDate, p.slotOrdinal, p.localTime,
      p.timezone, p.scheduledAt.toISOString(), p.text, this.hasher.text(p.text), p.length, p.limit, p.variant, p.fallback,
      p.needsReview, hashes[i], p.approvalSteps,
    ]);
    const shared = { campaign_id: this.campaignId, status: 'draft', revision: 1, created_at: this.now, updated_at: this.now };
    // The keys come back only when there are images to attach: most batches need just the ids (for the events).
    const withMedia = posts.some((p) => p.media.length > 0);
    type Inserted = { id: number; member: string; network: string; locale: string; slot_date: string; slot_ordinal: number };
    const returning = withMedia ? ['id', 'member', 'network', 'locale', 'slot_date', 'slot_ordinal'] : ['id'];
    const inserted = await this.db.insertReturning<Inserted>(this.manager, 'posts', POST_COLUMNS, rows, returning, shared);
    if (withMedia) {
      // By key, not by position: the order of RETURNING rows is not promised.
      const byKey = new Map(posts.map((p) => [postKey(p), p]));
      await this.insertMedia(inserted.map((row) => ({
        id: Number(row.id), post: byKey.get(postKey({ ...row, slotDate: row.slot_date, slotOrdinal: Number(row.slot_ordinal) }))!,
      })));
    }
    // One INSERT … SELECT from the rows just written, rather than every event's values bound one by one.
    await appendPlannedEvents(this.db, this.manager, inserted.map((p) => Number(p.id)), this.now, this.actor);
    return inserted.length;
  }

  /** The plan moved this post: new text or time, so every approval is void and it starts over as a draft. */
  private rewrite(current: ExistingPost, post: PlannedPost, hash: string): PostChange {
    return {
      id: current.id, expected: { revision: current.revision, status: current.status }, from: REPLANNABLE_STATUSES,
      set: {
        theme: post.theme, message: post.message, localTime: post.localTime, scheduledAt: post.scheduledAt.toISOString(), text: post.text,
        textHash: textHash(post.text), length: post.length, limit: post.limit, variant: post.variant, fallback: post.fallback,
        needsReview: post.needsReview, plannedHash: hash, approvalSteps: post.approvalSteps, status: 'draft', approvedSteps: 0,
        awaitingRole: null, approvedRevision: null,
      },
      event: { action: 'replanned' },
    };
  }

  /**
   * The translation the post's text comes from was reviewed (or sent back) while the text stayed the
   * same: only the flag moves. Not a change of the post (its text, time and approvals are what they
   * were), so its revision stays and no one's action in flight is refused for it.
   */
  private reviewFlag(current: ExistingPost, needsReview: boolean): PostChange {
    return {
      id: current.id, expected: { revision: current.revision, status: current.status }, from: [current.status],
      set: { needsReview }, bumpRevision: false, event: null,
    };
  }

  private async flag(changes: PostChange[]): Promise<PostChange[]> {
    if (changes.length) await changePosts(this.db, this.manager, { at: this.now, actor: this.actor.name, actorId: this.actor.id }, changes);
    return [];
  }

  private cancel(current: ExistingPost): PostChange {
    return {
      id: current.id, expected: { revision: current.revision, status: current.status }, from: REPLANNABLE_STATUSES,
      set: { status: 'cancelled', approvedSteps: 0, awaitingRole: null, approvedRevision: null },
      event: { action: 'cancelled', comment: 'its slot is no longer in the plan' },
    };
  }

  /** The template's images of newly planned posts, with the locale's alt text, as the network needs them. */
  private async insertMedia(posts: { id: number; post: PlannedPost }[]): Promise<void> {
    const rows = posts.flatMap(({ id, post }) => post.media.map((item: PlannedMedia, position) => ({
      postId: id, position, mediaId: this.mediaIds(item.image, post.network), alt: item.alt,
    })));
    // Four columns a row: well within both databases' limits on bound values.
    for (let i = 0; i < rows.length; i += BATCH) await this.manager.insert(PostMediaEntity, rows.slice(i, i + BATCH));
  }

  /** A rewritten post takes the plan's images, as it takes its text: whatever it had before is replaced. */
  private async replaceMedia(posts: { id: number; post: PlannedPost }[]): Promise<void> {
    const ids = posts.map((p) => p.id);
    if (ids.length === 0) return;
    await this.manager.query(this.db.sql(`delete from post_media where post_id in (${ids.map(() => '?').join(', ')})`), ids);
    await this.insertMedia(posts);
  }

  /** Applies rewrites or cancellations; posts that are (being) sent or were changed meanwhile are skipped. Returns the ids changed. */
  private async change(changes: PostChange[], summary: PlanSummary, counter: 'updated' | 'cancelled'): Promise<number[]> {
    if (changes.length === 0) return [];
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
    return ids;
  }
}
