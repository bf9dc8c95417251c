import type { EntityManager } from 'typeorm';
import { inActiveCampaign } from '../campaigns/campaign-life';
import type { Database } from '../database/database';
import { eventOf, returnedRows, toChangedPost } from './post-changes';
import { appendPostEvents, POST_EVENT_COLUMNS } from './post-events';
import { PostEntity } from './post.entity';
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
  /** The post as the claim left it (status `publishing`, this dispatcher's lease). */
  post: PostEntity;
}

const DUE = `((status = 'approved' and scheduled_at <= ? and scheduled_at >= ?) or (status = 'publishing' and lease_until < ?))
  and ${inActiveCampaign('campaign_id')}`;
const SET_CLAIMED = `status = 'publishing', lease_owner = ?, lease_until = ?, revision = revision + 1, updated_at = ?`;

/**
 * Moves up to `limit` due posts to `publishing` under this dispatcher's lease, so that two
 * dispatchers never hold the same post: approved posts now due, and posts whose lease expired
 * (their dispatcher died), and appends a `claimed` or `taken over` event for each. The one change of
 * a post that is not `changePosts`. The UPDATE repeats the due condition, so a row that changed
 * meanwhile (a re-plan, an edit) is not taken, and RETURNING says exactly which were, whole.
 * On PostgreSQL the candidates are locked with SKIP LOCKED, so replicas take disjoint sets
 * (pitfalls.md §4), and the claim is one statement: it may run alone (its own transaction) or inside
 * one. On SQLite the single write queue serialises claims: call it inside `Database.write`.
 */
export async function claimDuePosts(db: Database, m: EntityManager, window: ClaimWindow): Promise<ClaimedPost[]> {
  const claimed = db.isSqlite ? await claimOnSqlite(db, m, window) : await claimOnPostgres(db, m, window);
  const posts = claimed.map((row) => ({ id: Number(row.id), previousStatus: row.previous_status, previousOwner: row.previous_owner, post: toPostEntity(m, row) }));
  return posts.sort((a, b) => (a.post.scheduledAt < b.post.scheduledAt ? -1 : a.post.scheduledAt > b.post.scheduledAt ? 1 : a.id - b.id));
}

type ClaimedRow = Record<string, unknown> & { id: number | string; previous_status: PostStatus; previous_owner: string | null };

/**
 * One round trip: lock the candidates, update them, append their events. The event's wording is
 * the SQLite path's (`eventOf`): `claimed`, or `taken over` with "lease of <owner> expired".
 */
async function claimOnPostgres(db: Database, m: EntityManager, window: ClaimWindow): Promise<ClaimedRow[]> {
  const due = [window.now, window.notBefore, window.now];
  const result = await m.query(db.sql(`with candidate as (
      select id as candidate_id, status as previous_status, lease_owner as previous_owner from posts
      where ${DUE} order by scheduled_at, id limit ${Math.floor(window.limit)} for update skip locked),
    claimed as (
      update posts set ${SET_CLAIMED} from candidate where posts.id = candidate.candidate_id and ${DUE}
      returning posts.*, candidate.previous_status, candidate.previous_owner),
    logged as (
      insert into post_events (${POST_EVENT_COLUMNS.join(', ')})
      select id, campaign_id, cast(? as text), cast(? as text), cast(null as integer),
        case when previous_status = 'publishing' then 'taken over' else 'claimed' end, previous_status, status,
        case when previous_status = 'publishing' then 'lease of ' || coalesce(previous_owner, 'a retry') || ' expired' end,
        text_hash, scheduled_at, revision
      from claimed)
    select * from claimed`), [...due, window.owner, window.leaseUntil, window.now, ...due, window.now, `dispatcher ${window.owner}`]);
  return returnedRows<ClaimedRow>(result);
}

async function claimOnSqlite(db: Database, m: EntityManager, window: ClaimWindow): Promise<ClaimedRow[]> {
  const due = [window.now, window.notBefore, window.now];
  const candidates: { id: number; status: PostStatus; lease_owner: string | null; revision: number }[] = await m.query(
    db.sql(`select id, status, lease_owner, revision from posts where ${DUE} order by scheduled_at, id limit ${Math.floor(window.limit)}`),
    due,
  );
  if (candidates.length === 0) return [];
  const ids = candidates.map((c) => Number(c.id));
  // Lower case on purpose: TypeORM's SQLite runner drops the rows of a statement starting "UPDATE ".
  const result = await m.query(
    db.sql(`update posts set ${SET_CLAIMED} where id in (${ids.map(() => '?').join(', ')}) and ${DUE} returning *`),
    [window.owner, window.leaseUntil, window.now, ...ids, ...due],
  );
  const claimed = new Map(returnedRows<Record<string, unknown> & { id: number }>(result).map((row) => [Number(row.id), row]));
  const taken = candidates.filter((c) => claimed.has(Number(c.id)));
  const context = { at: window.now, actor: `dispatcher ${window.owner}`, actorId: null };
  await appendPostEvents(db, m, taken.map((c) => {
    const takenOver = c.status === 'publishing';
    const event = { action: takenOver ? 'taken over' : 'claimed', comment: takenOver ? `lease of ${c.lease_owner ?? 'a retry'} expired` : null };
    return eventOf(context, { expected: { revision: Number(c.revision), status: c.status }, event }, toChangedPost(claimed.get(Number(c.id)) as never));
  }));
  return taken.map((c) => ({ ...claimed.get(Number(c.id))!, previous_status: c.status, previous_owner: c.lease_owner }));
}

/** A posts row as TypeORM would load it (its column types converted by the driver), without reading it again. */
function toPostEntity(m: EntityManager, row: Record<string, unknown>): PostEntity {
  const metadata = m.connection.getMetadata(PostEntity);
  const post = metadata.create() as PostEntity;
  for (const column of metadata.columns) {
    (post as unknown as Record<string, unknown>)[column.propertyName] = m.connection.driver.prepareHydratedValue(row[column.databaseName], column);
  }
  return post;
}

/** Claims in a transaction of its own: on PostgreSQL the claim's one statement is that transaction. */
export function claimDuePostsNow(db: Database, window: ClaimWindow): Promise<ClaimedPost[]> {
  return db.isSqlite ? db.write((m) => claimDuePosts(db, m, window)) : claimDuePosts(db, db.manager, window);
}
