import type { EntityManager } from 'typeorm';
import { inActiveCampaign } from '../campaigns/campaign-life';
import type { Database } from '../database/database';
import { appendPostEvents, PostEventRow } from './post-events';
import { PostEntity } from './post.entity';
import type { PostStatus } from './post-status';

/** Stands for "the revision this change gives the post": `approvedRevision` of the last approval. */
export const NEW_REVISION = Symbol('the revision after this change');

type Settable = Omit<PostEntity, 'id' | 'campaignId' | 'revision' | 'approvedRevision' | 'updatedAt' | 'createdAt'>;
/** Columns a change sets, by the entity's property names. */
export type PostColumns = Partial<Settable> & { approvedRevision?: number | null | typeof NEW_REVISION };

/**
 * Conditions besides revision and status, each a column the row must still hold. Adding one (say,
 * `campaignActive`) is a field here and a line in `guardSql`.
 */
export interface PostGuard {
  /** The dispatcher that must still hold the lease. */
  leaseOwner?: string;
  /** The lease must have run out before this instant (ISO). */
  leaseExpiredBefore?: string;
}

export interface PostChange {
  id: number;
  /** The post as the caller read it: the change applies only while its revision is still this one. */
  expected: { revision: number; status: PostStatus };
  /** The statuses the action may start from (default: only the status read). Any other → skipped. */
  from?: readonly PostStatus[];
  set: PostColumns;
  guard?: PostGuard;
  /** Default true. False only for the dispatcher's bookkeeping (lease renewal, retry timing, hand-over). */
  bumpRevision?: boolean;
  /** The audit event to append once the row really changed; null for bookkeeping nobody reads. */
  event: { action: string; comment?: string | null } | null;
}

/** Who acts and when: every change of one call shares them. */
export interface ChangeContext {
  at: string;
  actor: string;
  actorId: number | null;
}

/** A row as the change left it. */
export interface ChangedPost {
  id: number;
  campaignId: number;
  status: PostStatus;
  revision: number;
  textHash: string;
  scheduledAt: string;
}

export interface ChangeOutcome {
  changed: ChangedPost[];
  /** Ids left alone: changed by someone else meanwhile, or in a status this action may not touch. */
  skipped: number[];
}

// SQLite parses a long OR chain as a deep expression tree (limit 1,000): 100 rows per statement.
const ROWS_PER_STATEMENT = 100;
const RETURNING = 'id, campaign_id, status, revision, text_hash, scheduled_at';

/**
 * The one way a post changes: `UPDATE posts SET …, revision = revision + 1 WHERE status IN (…) AND
 * (id = ? AND revision = ?) …`, so that a change made meanwhile by anyone (a replica's claim, a
 * reviewer, a re-plan) is never overwritten, then one audit event per row that really changed.
 * Changes that set the same values share a statement (a week of approvals is one UPDATE), and events
 * go in one multi-row INSERT. Run it inside `Database.write`.
 */
export async function changePosts(db: Database, m: EntityManager, context: ChangeContext, changes: PostChange[]): Promise<ChangeOutcome> {
  const groups = new Map<string, PostChange[]>();
  for (const change of changes) {
    if (!allowedFrom(change).includes(change.expected.status)) continue;
    const key = shapeOf(change);
    const group = groups.get(key);
    if (group) group.push(change);
    else groups.set(key, [change]);
  }
  const columns = columnNames(m);
  const changed: ChangedPost[] = [];
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i += ROWS_PER_STATEMENT) {
      changed.push(...(await updateGroup(db, m, columns, context.at, group.slice(i, i + ROWS_PER_STATEMENT))));
    }
  }
  const done = new Set(changed.map((c) => c.id));
  const byId = new Map(changes.map((c) => [c.id, c]));
  await appendPostEvents(db, m, changed.filter((c) => byId.get(c.id)!.event).map((c) => eventOf(context, byId.get(c.id)!, c)));
  return { changed, skipped: changes.filter((c) => !done.has(c.id)).map((c) => c.id) };
}

function allowedFrom(change: PostChange): readonly PostStatus[] {
  return change.from ?? [change.expected.status];
}

/** Changes with the same shape differ only in id and revision: one statement serves them all. */
function shapeOf(change: PostChange): string {
  const values = Object.entries(change.set).map(([k, v]) => [k, v === NEW_REVISION ? '\u0000new-revision' : v]);
  return JSON.stringify([[...allowedFrom(change)].sort(), change.guard ?? {}, change.bumpRevision ?? true, values]);
}

async function updateGroup(db: Database, m: EntityManager, columns: Map<string, string>, at: string, group: PostChange[]): Promise<ChangedPost[]> {
  const { set, guard, bumpRevision = true } = group[0];
  const params: unknown[] = [];
  const assignments = Object.entries({ ...set, updatedAt: at }).map(([property, value]) => {
    const column = columns.get(property);
    if (!column) throw new Error(`posts has no column for ${property}`);
    // The right-hand side reads the row before this UPDATE: `revision + 1` is the revision it gets.
    if (value === NEW_REVISION) return `${column} = revision + 1`;
    params.push(value);
    return `${column} = ?`;
  });
  if (bumpRevision) assignments.push('revision = revision + 1');
  const from = allowedFrom(group[0]);
  params.push(...from);
  // Always on: an archived campaign's posts are read-only, whoever asks (callers also refuse first, saying why).
  const conditions = [`status in (${from.map(() => '?').join(', ')})`, inActiveCampaign('campaign_id'), ...guardSql(guard ?? {}, params)];
  const rows = group.map((change) => {
    params.push(change.id, change.expected.revision);
    return '(id = ? and revision = ?)';
  });
  conditions.push(`(${rows.join(' or ')})`);
  // Lower case on purpose: TypeORM's SQLite runner drops the rows of a statement starting "UPDATE ".
  const sql = `update posts set ${assignments.join(', ')} where ${conditions.join(' and ')} returning ${RETURNING}`;
  return returnedRows<ReturnedRow>(await m.query(db.sql(sql), params)).map(toChangedPost);
}

function guardSql(guard: PostGuard, params: unknown[]): string[] {
  const sql: string[] = [];
  if (guard.leaseOwner !== undefined) {
    sql.push('lease_owner = ?');
    params.push(guard.leaseOwner);
  }
  if (guard.leaseExpiredBefore !== undefined) {
    sql.push('lease_until < ?');
    params.push(guard.leaseExpiredBefore);
  }
  return sql;
}

function columnNames(m: EntityManager): Map<string, string> {
  return new Map(m.connection.getMetadata(PostEntity).columns.map((c) => [c.propertyName, c.databaseName]));
}

/** PostgreSQL answers UPDATE … RETURNING with [rows, count], SQLite with rows (pitfalls.md §4). */
export function returnedRows<R>(result: unknown): R[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result ?? []) as R[];
}

type ReturnedRow = { id: number | string; campaign_id: number | string; status: PostStatus; revision: number | string; text_hash: string; scheduled_at: string };

export function toChangedPost(row: ReturnedRow): ChangedPost {
  return {
    id: Number(row.id), campaignId: Number(row.campaign_id), status: row.status, revision: Number(row.revision),
    textHash: row.text_hash, scheduledAt: row.scheduled_at,
  };
}

export function eventOf(context: ChangeContext, change: Pick<PostChange, 'expected' | 'event'>, post: ChangedPost): PostEventRow {
  return {
    postId: post.id, campaignId: post.campaignId, at: context.at, actor: context.actor, actorId: context.actorId,
    action: change.event!.action, fromStatus: change.expected.status, toStatus: post.status, comment: change.event!.comment ?? null,
    textHash: post.textHash, scheduledAt: post.scheduledAt, revision: post.revision,
  };
}
