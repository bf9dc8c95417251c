import type { EntityManager } from 'typeorm';
import type { Database } from '../database/database';
import type { PostStatus } from '../posts/post-status';
import { inActiveCampaign } from '../campaigns/campaign-life';

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
 * (their dispatcher died). Call it inside a transaction (`Database.write`). On PostgreSQL the
 * candidates are locked with SKIP LOCKED, so replicas take disjoint sets (pitfalls.md §4); on SQLite
 * the single write queue serialises claims. The UPDATE repeats the due condition, so a row that
 * changed meanwhile is not taken, and RETURNING says exactly which were. Lower case on purpose:
 * TypeORM's SQLite runner drops the rows of a statement starting with "UPDATE ".
 */
export async function claimDuePosts(db: Database, m: EntityManager, window: ClaimWindow): Promise<ClaimedPost[]> {
  const lock = db.isSqlite ? '' : 'for update skip locked';
  const due = [window.now, window.notBefore, window.now];
  const candidates: { id: number; status: PostStatus; lease_owner: string | null }[] = await m.query(
    db.sql(`select id, status, lease_owner from posts where ${DUE} order by scheduled_at, id limit ${Math.floor(window.limit)} ${lock}`),
    due,
  );
  if (candidates.length === 0) return [];
  const ids = candidates.map((c) => Number(c.id));
  const result = await m.query(
    db.sql(`update posts set status = 'publishing', lease_owner = ?, lease_until = ?, revision = revision + 1, updated_at = ?
      where id in (${ids.map(() => '?').join(', ')}) and ${DUE} returning id`),
    [window.owner, window.leaseUntil, window.now, ...ids, ...due],
  );
  // pg answers UPDATE … RETURNING with [rows, count]; sqlite with rows.
  const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as { id: number }[];
  const claimed = new Set(rows.map((r) => Number(r.id)));
  return candidates
    .filter((c) => claimed.has(Number(c.id)))
    .map((c) => ({ id: Number(c.id), previousStatus: c.status, previousOwner: c.lease_owner }));
}
