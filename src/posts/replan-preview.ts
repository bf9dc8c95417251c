import type { EntityManager } from 'typeorm';
import type { Database } from '../database/database';
import { postKey, PlannedPost } from './plan';
import { plannedHash, PlanSummary, replanAction } from './post-planner';
import { PostStatus, REPLANNABLE_STATUSES } from './post-status';

/** A post as the preview lists it: who, where, when. */
export interface PreviewPost {
  id: number | null;
  member: string;
  network: string;
  locale: string;
  theme: string;
  message: string;
  localTime: string;
  status: PostStatus | null;
}

/** A post the re-plan rewrites: its time and message before and after; its approvals reset. */
export interface PreviewChange extends PreviewPost {
  toLocalTime: string;
  toTheme: string;
  toMessage: string;
  /** The post had approvals, which the rewrite voids. */
  approvalsReset: boolean;
}

export interface ReplanPreview {
  plan: Omit<PlanSummary, 'skippedPostIds'>;
  added: PreviewPost[];
  changed: PreviewChange[];
  cancelled: (PreviewPost & { hadApprovals: boolean })[];
  /** Posts the plan would change but leaves alone (sent, being sent, failed or missed). */
  skipped: PreviewPost[];
  /** Each list holds at most this many posts; `plan` counts them all. */
  listLimit: number;
}

interface ExistingRow {
  id: number;
  member: string;
  network: string;
  locale: string;
  slot_date: string;
  slot_ordinal: number;
  theme: string;
  message: string;
  local_time: string;
  planned_hash: string;
  status: PostStatus;
  approved_steps: number;
}

const LIST_LIMIT = 500;

const existingPost = (row: ExistingRow): PreviewPost => ({
  id: Number(row.id), member: row.member, network: row.network, locale: row.locale, theme: row.theme, message: row.message, localTime: row.local_time, status: row.status,
});

const plannedPost = (post: PlannedPost): PreviewPost => ({
  id: null, member: post.member, network: post.network, locale: post.locale, theme: post.theme, message: post.message, localTime: post.localTime, status: null,
});

/**
 * What PostPlanner.apply would do with `planned`, computed from the same rule (replanAction) and the
 * same statuses (REPLANNABLE_STATUSES) without writing anything: only SELECTs run here.
 */
export async function previewReplan(db: Database, manager: EntityManager, campaignId: number, planned: Iterable<PlannedPost>): Promise<ReplanPreview> {
  const rows: ExistingRow[] = await manager.query(
    db.sql('select id, member, network, locale, slot_date, slot_ordinal, theme, message, local_time, planned_hash, status, approved_steps from posts where campaign_id = ? order by id'),
    [campaignId],
  );
  const existing = new Map(rows.map((row) => [postKey({ ...row, slotDate: row.slot_date, slotOrdinal: Number(row.slot_ordinal) }), row]));
  const preview: ReplanPreview = {
    plan: { created: 0, updated: 0, unchanged: 0, cancelled: 0, approvalsKept: 0, approvalsReset: 0, skippedPosts: 0 },
    added: [], changed: [], cancelled: [], skipped: [], listLimit: LIST_LIMIT,
  };
  const list = <T>(into: T[], item: () => T) => { if (into.length < LIST_LIMIT) into.push(item()); };
  const replannable = (row: ExistingRow) => REPLANNABLE_STATUSES.includes(row.status);
  const hadApprovals = (row: ExistingRow) => Number(row.approved_steps) > 0;
  const seen = new Set<number>();
  for (const post of planned) {
    const current = existing.get(postKey(post));
    const action = replanAction(current, plannedHash(post));
    if (action === 'create') {
      preview.plan.created++;
      list(preview.added, () => plannedPost(post));
      continue;
    }
    seen.add(Number(current!.id));
    if (action === 'unchanged') {
      preview.plan.unchanged++;
      if (hadApprovals(current!)) preview.plan.approvalsKept++;
    } else if (!replannable(current!)) {
      preview.plan.skippedPosts++;
      list(preview.skipped, () => existingPost(current!));
    } else {
      preview.plan.updated++;
      if (hadApprovals(current!)) preview.plan.approvalsReset++;
      list(preview.changed, () => ({ ...existingPost(current!), toLocalTime: post.localTime, toTheme: post.theme, toMessage: post.message, approvalsReset: hadApprovals(current!) }));
    }
  }
  for (const row of rows) {
    if (seen.has(Number(row.id)) || row.status === 'cancelled') continue;
    if (!replannable(row)) {
      preview.plan.skippedPosts++;
      list(preview.skipped, () => existingPost(row));
    } else {
      preview.plan.cancelled++;
      list(preview.cancelled, () => ({ ...existingPost(row), hadApprovals: hadApprovals(row) }));
    }
  }
  return preview;
}
