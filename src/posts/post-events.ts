import type { EntityManager } from 'typeorm';
import type { Database } from '../database/database';

/** One entry of the audit log (post_events), which is only ever appended to. */
export interface PostEventRow {
  postId: number;
  campaignId: number;
  at: string;
  actor: string;
  actorId: number | null;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  comment: string | null;
  textHash: string;
  scheduledAt: string;
  revision: number;
}

/** The audit events' columns, in the order every insert of events lists them. */
export const POST_EVENT_COLUMNS = ['post_id', 'campaign_id', 'at', 'actor', 'actor_id', 'action', 'from_status', 'to_status', 'comment', 'text_hash', 'scheduled_at', 'revision'];

/** Appends events in one multi-row INSERT (batches of 1,000 stay under every driver's parameter limit). */
export async function appendPostEvents(db: Database, m: EntityManager, events: PostEventRow[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    const rows = events.slice(i, i + 1000).map((e) => [
      e.postId, e.campaignId, e.at, e.actor, e.actorId, e.action, e.fromStatus, e.toStatus, e.comment, e.textHash, e.scheduledAt, e.revision,
    ]);
    await db.insertReturning(m, 'post_events', POST_EVENT_COLUMNS, rows, ['id']);
  }
}

/**
 * Appends one `planned` event per newly inserted post, built by the database from the posts rows
 * themselves (their text hash, time and revision): nothing to bind per event but its post's id, and
 * nothing returned, so the events, half the rows a plan writes, cost little beside the posts.
 * (The casts: PostgreSQL types a bare parameter in a SELECT list as text.)
 */
/**
 * [first, last] when the ids are every integer from first to last (a batch just inserted usually is):
 * distinct ids filling the range leave no room for any other row in it, so `between` names exactly
 * them, with two bound values instead of a thousand.
 */
export function idRange(ids: number[]): [number, number] | undefined {
  if (ids.length === 0) return undefined;
  let first = ids[0];
  let last = ids[0];
  for (const id of ids) {
    if (id < first) first = id;
    if (id > last) last = id;
  }
  return last - first + 1 === ids.length && new Set(ids).size === ids.length ? [first, last] : undefined;
}

export async function appendPlannedEvents(db: Database, m: EntityManager, postIds: number[], at: string, actor: { name: string; id: number | null }): Promise<void> {
  for (let i = 0; i < postIds.length; i += 1000) {
    const ids = postIds.slice(i, i + 1000);
    const range = idRange(ids);
    await m.query(db.sql(`insert into post_events (${POST_EVENT_COLUMNS.join(', ')})
      select id, campaign_id, cast(? as text), cast(? as text), cast(? as integer), 'planned', null, status, null, text_hash, scheduled_at, revision
      from posts where ${range ? 'id between ? and ?' : `id in (${ids.map(() => '?').join(', ')})`} order by id`), [at, actor.name, actor.id, ...(range ?? ids)]);
  }
}

/** An audit log entry as exported, with the post's channel. */
export interface AuditRow {
  event_id: number;
  at: string;
  post: number;
  member: string;
  network: string;
  locale: string;
  actor: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  comment: string | null;
  revision: number;
  textHash: string;
  scheduledAt: string;
}

/** A campaign's events after `after` (an event id), oldest first, optionally of one member. */
export function campaignEventsPage(db: Database, campaignId: number, member: string | undefined, after: number, limit: number): Promise<AuditRow[]> {
  const params: unknown[] = [campaignId, after];
  if (member) params.push(member);
  return db.manager.query(db.sql(`select e.id as event_id, e.at, e.post_id as post, p.member, p.network, p.locale, e.actor, e.action,
      e.from_status as "fromStatus", e.to_status as "toStatus", e.comment, e.revision, e.text_hash as "textHash", e.scheduled_at as "scheduledAt"
    from post_events e join posts p on p.id = e.post_id
    where e.campaign_id = ? and e.id > ? ${member ? 'and p.member = ?' : ''} order by e.id limit ${Math.floor(limit)}`), params);
}
