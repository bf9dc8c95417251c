import type { EntityManager } from 'typeorm';
import { inActiveCampaign } from '../campaigns/campaign-life';
import type { Database } from '../database/database';
import { appendPostEvents, POST_EVENT_COLUMNS, PostEventRow } from './post-events';
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

// Rows per UPDATE on SQLite, and on PostgreSQL when the changes cannot share one statement: bounded so
// that a statement's parameters stay far below both drivers' limits whatever the number of columns.
const ROWS_PER_STATEMENT = 100;
// Bound values in one PostgreSQL statement of a whole call (its limit is 65,535).
const PARAMS_PER_STATEMENT = 30_000;
const RETURNING = 'id, campaign_id, status, revision, text_hash, scheduled_at';

/** SQL with `?` placeholders and its values, in the order the placeholders appear. */
interface Sql {
  text: string;
  params: unknown[];
}

/**
 * The one way a post changes: `UPDATE posts SET … FROM (VALUES (id, revision, …), …) WHERE status IN (…)
 * AND id and revision match a row of the list`, so that a change made meanwhile by anyone (a replica's
 * claim, a reviewer, a re-plan) is never overwritten, then one audit event per row that really changed.
 * Changes that set the same columns share a statement whatever their values (a group commit's outcomes,
 * each published at its own instant, are one UPDATE; a week of approvals too): a value that differs
 * between rows comes from the list, one they all share is bound once. On PostgreSQL the updates and the
 * events are one statement (data-modifying CTEs), a single round trip. Run it inside `Database.write`,
 * or see `commitPostChanges`.
 */
export async function changePosts(db: Database, m: EntityManager, context: ChangeContext, changes: PostChange[]): Promise<ChangeOutcome> {
  const groups = groupByColumns(changes);
  const columns = columnsOf(m);
  const atOnce = db.isSqlite ? undefined : oneStatement(db, columns, context, changes, groups);
  const changed = atOnce ? await runOneStatement(db, m, atOnce) : await updateInChunks(db, m, columns, context, changes, groups);
  return outcomeOf(changes, changed);
}

/**
 * Commits the changes now, in their own transaction: on PostgreSQL the single statement of
 * `changePosts` needs no BEGIN and COMMIT (two round trips of four); on SQLite, the write queue.
 */
export async function commitPostChanges(db: Database, context: ChangeContext, changes: PostChange[]): Promise<ChangeOutcome> {
  if (db.isSqlite) return db.write((m) => changePosts(db, m, context, changes));
  const groups = groupByColumns(changes);
  const columns = columnsOf(db.manager);
  const atOnce = oneStatement(db, columns, context, changes, groups);
  // What cannot be one statement is the chunked UPDATEs and their events, in a transaction.
  const changed = atOnce ? await runOneStatement(db, db.manager, atOnce) : await db.write((m) => updateInChunks(db, m, columns, context, changes, groups));
  return outcomeOf(changes, changed);
}

function outcomeOf(changes: PostChange[], changed: ChangedPost[]): ChangeOutcome {
  const done = new Set(changed.map((c) => c.id));
  return { changed, skipped: changes.filter((c) => !done.has(c.id)).map((c) => c.id) };
}

function groupByColumns(changes: PostChange[]): PostChange[][] {
  const groups = new Map<string, PostChange[]>();
  for (const change of changes) {
    if (!allowedFrom(change).includes(change.expected.status)) continue;
    const key = shapeOf(change);
    const group = groups.get(key);
    if (group) group.push(change);
    else groups.set(key, [change]);
  }
  return [...groups.values()];
}

/** Each group (or chunk of one) its UPDATE, then the events in one multi-row INSERT. */
async function updateInChunks(db: Database, m: EntityManager, columns: ColumnTypes, context: ChangeContext, changes: PostChange[], groups: PostChange[][]): Promise<ChangedPost[]> {
  const changed: ChangedPost[] = [];
  for (const group of groups) {
    for (let i = 0; i < group.length; i += ROWS_PER_STATEMENT) {
      const update = updateGroup(db, columns, context.at, group.slice(i, i + ROWS_PER_STATEMENT), 'v');
      const sql = `with ${update.values.text} ${update.update.text}`;
      const rows = returnedRows<ReturnedRow>(await m.query(db.sql(sql), [...update.values.params, ...update.update.params]));
      changed.push(...rows.map(toChangedPost));
    }
  }
  const byId = new Map(changes.map((c) => [c.id, c]));
  await appendPostEvents(db, m, changed.filter((c) => byId.get(c.id)!.event).map((c) => eventOf(context, byId.get(c.id)!, c)));
  return changed;
}

/**
 * PostgreSQL: every group's UPDATE and the events of the rows they changed as one statement, or
 * undefined when it cannot be one: a post named twice (two updates of one row in one statement do not
 * see each other) or more values than one statement takes.
 */
function oneStatement(db: Database, columns: ColumnTypes, context: ChangeContext, changes: PostChange[], groups: PostChange[][]): Sql | undefined {
  if (groups.length === 0 || new Set(changes.map((c) => c.id)).size !== changes.length) return undefined;
  const parts: Sql[] = [];
  const updated: string[] = [];
  groups.forEach((group, g) => {
    const { values, update } = updateGroup(db, columns, context.at, group, `v${g}`);
    parts.push({ text: `${values.text},`, params: values.params }, { text: `u${g} as (${update.text}),`, params: update.params });
    updated.push(`select * from u${g}`);
  });
  parts.push({ text: `changed as (${updated.join(' union all ')})`, params: [] });
  const logged = changes.filter((c) => c.event && allowedFrom(c).includes(c.expected.status));
  if (logged.length) {
    const params: unknown[] = [];
    const rows = logged.map((c) => {
      params.push(c.id, c.event!.action, c.event!.comment ?? null, c.expected.status);
      return '(cast(? as integer), cast(? as text), cast(? as text), cast(? as text))';
    });
    parts.push({ text: `, e(post_id, action, comment, from_status) as (values ${rows.join(', ')})`, params });
    parts.push({
      text: `, logged as (insert into post_events (${POST_EVENT_COLUMNS.join(', ')})
        select c.id, c.campaign_id, cast(? as text), cast(? as text), cast(? as integer), e.action, e.from_status, c.status, e.comment, c.text_hash, c.scheduled_at, c.revision
        from changed c join e on e.post_id = c.id)`,
      params: [context.at, context.actor, context.actorId],
    });
  }
  const params = parts.flatMap((p) => p.params);
  if (params.length > PARAMS_PER_STATEMENT) return undefined;
  return { text: `with ${parts.map((p) => p.text).join(' ')} select ${RETURNING} from changed`, params };
}

async function runOneStatement(db: Database, m: EntityManager, statement: Sql): Promise<ChangedPost[]> {
  return returnedRows<ReturnedRow>(await m.query(db.sql(statement.text), statement.params)).map(toChangedPost);
}

function allowedFrom(change: PostChange): readonly PostStatus[] {
  return change.from ?? [change.expected.status];
}

/** Changes with the same shape set the same columns: one statement serves them all, whatever the values. */
function shapeOf(change: PostChange): string {
  const columns = Object.entries(change.set).map(([k, v]) => (v === NEW_REVISION ? `${k}\u0000new-revision` : k));
  return JSON.stringify([[...allowedFrom(change)].sort(), change.guard ?? {}, change.bumpRevision ?? true, columns]);
}

/**
 * The list of a group's rows (`<name>(post_id, expected_revision, <the values that differ>) as
 * (values …)`) and its UPDATE … FROM that list. PostgreSQL types a bare parameter in a VALUES list as
 * text, so each is cast to its column's type there.
 */
function updateGroup(db: Database, columns: ColumnTypes, at: string, group: PostChange[], name: string): { values: Sql; update: Sql } {
  const { set, guard, bumpRevision = true } = group[0];
  const cast = (type: string) => (db.isSqlite ? '?' : `cast(? as ${type})`);
  const differing = Object.keys(set).filter((property) => set[property as keyof PostColumns] !== NEW_REVISION
    && group.some((change) => change.set[property as keyof PostColumns] !== set[property as keyof PostColumns]));
  const listed = differing.map((property, i) => ({ property, column: column(columns, property), as: `c${i}` }));
  const valueParams: unknown[] = [];
  const rows = group.map((change) => {
    valueParams.push(change.id, change.expected.revision, ...listed.map((l) => change.set[l.property as keyof PostColumns]));
    return `(${[cast('integer'), cast('integer'), ...listed.map((l) => cast(l.column.type))].join(', ')})`;
  });
  const values = { text: `${name}(post_id, expected_revision${listed.map((l) => `, ${l.as}`).join('')}) as (values ${rows.join(', ')})`, params: valueParams };

  const params: unknown[] = [];
  const assignments = Object.entries({ ...set, updatedAt: at }).map(([property, value]) => {
    const target = column(columns, property).name;
    // The right-hand side reads the row before this UPDATE: `revision + 1` is the revision it gets.
    if (value === NEW_REVISION) return `${target} = revision + 1`;
    const fromList = listed.find((l) => l.property === property);
    if (fromList) return `${target} = ${name}.${fromList.as}`;
    params.push(value);
    return `${target} = ?`;
  });
  if (bumpRevision) assignments.push('revision = revision + 1');
  const from = allowedFrom(group[0]);
  params.push(...from);
  // Always on: an archived campaign's posts are read-only, whoever asks (callers also refuse first, saying why).
  const conditions = [`posts.id = ${name}.post_id`, `posts.revision = ${name}.expected_revision`, `status in (${from.map(() => '?').join(', ')})`,
    inActiveCampaign('campaign_id'), ...guardSql(guard ?? {}, params)];
  return { values, update: { text: `update posts set ${assignments.join(', ')} from ${name} where ${conditions.join(' and ')} returning ${RETURNING}`, params } };
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

/** The posts table's column name and SQL type of each entity property. */
type ColumnTypes = Map<string, { name: string; type: string }>;

function columnsOf(m: EntityManager): ColumnTypes {
  const driver = m.connection.driver;
  return new Map(m.connection.getMetadata(PostEntity).columns.map((c) => [c.propertyName, { name: c.databaseName, type: driver.normalizeType(c) }]));
}

function column(columns: ColumnTypes, property: string): { name: string; type: string } {
  const found = columns.get(property);
  if (!found) throw new Error(`posts has no column for ${property}`);
  return found;
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
