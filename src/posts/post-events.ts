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

const COLUMNS = ['post_id', 'campaign_id', 'at', 'actor', 'actor_id', 'action', 'from_status', 'to_status', 'comment', 'text_hash', 'scheduled_at', 'revision'];

/** Appends events in one multi-row INSERT (batches of 1,000 stay under every driver's parameter limit). */
export async function appendPostEvents(db: Database, m: EntityManager, events: PostEventRow[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    const rows = events.slice(i, i + 1000).map((e) => [
      e.postId, e.campaignId, e.at, e.actor, e.actorId, e.action, e.fromStatus, e.toStatus, e.comment, e.textHash, e.scheduledAt, e.revision,
    ]);
    await db.insertReturning(m, 'post_events', COLUMNS, rows, ['id']);
  }
}
