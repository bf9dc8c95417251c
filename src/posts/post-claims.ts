import type { EntityManager } from 'typeorm';
import { inActiveCampaign } from '../campaigns/campaign-life';
import type { Database } from '../database/database';
import { eventOf, returnedRows, toChangedPost } from './post-changes';
import { appendPostEvents } from './post-events';
import type { PostStatus } from './post-status';

export interface ClaimWindow {
  owner: string;
  now: string;
  /** Approved posts due before this are not claimed (they are missed instead). */
  notBefore: string;
  leaseUntil: string;
  limit: number;
}

export interface ClaimedPost {
  id: number;
  /** `approved`, or `publishing` when taken over from a dispatcher whose lease ran out. */
  previousStatus: PostStatus;
  previousOwner: string | null;
}

const DUE = `((status = 'approved' and scheduled_at <= ? and scheduled_at >= ?) or (status = 'publishing' and lease_until < ?))
  and ${inActiveCampaign('campaign_id')}`;

/**
 * Moves up to `limit` due posts to `publishing` under this dispatcher's lease, so that two
 * dispatchers never hold the same post: approved posts now due, and posts whose lease expired
 * (their dispatcher died), and appends a `claimed` or `taken over` event for each. Call it inside a
 * transaction (`Database.write`). The one change of a post that is not `changePosts`: on PostgreSQL
 * the candidates are locked with SKIP LOCKED, so replicas take disjoint sets (pitfalls.md §4); on
 * SQLite the single write queue serialises claims. The UPDATE repeats the due condition, so a row
 * that changed meanwhile (a re-plan, an edit) is not taken, and RETURNING says exactly which were.
 */
export async function claimDuePosts(db: Database, m: EntityManager, window: ClaimWindow): Promise<ClaimedPost[]> {
  const lock = db.isSqlite ? '' : 'for update skip locked';
  const due = [window.now, window.notBefore, window.now];
  const candidates: { id: number; status: PostStatus; lease_owner: string | null; revision: number }[] = await m.query(
    db.sql(`select id, status, lease_owner, revision from posts where ${DUE} order by scheduled_at, id limit ${Math.floor(window.limit)} ${lock}`),
    due,
  );
  if (candidates.length === 0) return [];
  const ids = candidates.map((c) => Number(c.id));
  // Lower case on purpose: TypeORM's SQLite runner drops the rows of a statement starting "UPDATE ".
  const result = await m.query(
    db.sql(`update posts set status = 'publishing', lease_owner = ?, lease_until = ?, revision = revision + 1, updated_at = ?
      where id in (${ids.map(() => '?').join(', ')}) and ${DUE} returning id, campaign_id, status, revision, text_hash, scheduled_at`),
    [window.owner, window.leaseUntil, window.now, ...ids, ...due],
  );
  const claimed = new Map(returnedRows<Parameters<typeof toChangedPost>[0]>(result).map((row) => [Number(row.id), toChangedPost(row)]));
  const taken = candidates.filter((c) => claimed.has(Number(c.id)));
  const context = { at: window.now, actor: `dispatcher ${window.owner}`, actorId: null };
  await appendPostEvents(db, m, taken.map((c) => {
    const takenOver = c.status === 'publishing';
    const event = { action: takenOver ? 'taken over' : 'claimed', comment: takenOver ? `lease of ${c.lease_owner ?? 'a retry'} expired` : null };
    return eventOf(context, { expected: { revision: Number(c.revision), status: c.status }, event }, claimed.get(Number(c.id))!);
  }));
  return taken.map((c) => ({ id: Number(c.id), previousStatus: c.status, previousOwner: c.lease_owner }));
}
