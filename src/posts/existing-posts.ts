import type { EntityManager } from 'typeorm';
import type { Database } from '../database/database';
import type { PostStatus } from './post-status';

/** A post of the campaign as a re-plan compares it (snake_case: replanAction also reads the preview's rows). */
export interface ExistingPost {
  id: number;
  /** postKey() of the post. */
  post_key: string;
  planned_hash: string;
  status: PostStatus;
  revision: number;
  approved_steps: number;
  needs_review: boolean;
  /** A planned post holds its key; those none holds are cancelled. */
  seen: boolean;
}

/**
 * Each existing post as one text, the key last (`12 3 1 0 draft <planned hash> SI|x|sl|2021-10-18|1`):
 * node's sqlite3 builds an object per row and a string per column, and with seven columns that was a
 * fifth of a forced re-plan. The fields before the key hold no space; the key may hold anything.
 */
const EXISTING_POST_TEXT = `id || ' ' || revision || ' ' || approved_steps || ' ' || (case when needs_review then 1 else 0 end) || ' ' || status
  || ' ' || planned_hash || ' ' || member || '|' || network || '|' || locale || '|' || slot_date || '|' || slot_ordinal`;

/** Reads one EXISTING_POST_TEXT. */
export function readExistingPost(text: string): ExistingPost {
  let from = 0;
  const next = () => {
    const to = text.indexOf(' ', from);
    const field = text.slice(from, to);
    from = to + 1;
    return field;
  };
  const id = Number(next());
  const revision = Number(next());
  const approvedSteps = Number(next());
  const needsReview = next() === '1';
  const status = next() as PostStatus;
  const plannedHash = next();
  return {
    id, post_key: text.slice(from), planned_hash: plannedHash, status, revision, approved_steps: approvedSteps, needs_review: needsReview, seen: false,
  };
}

/** The campaign's posts, in the order the database hands them (the order a re-plan cancels them in). */
export async function loadExistingPosts(db: Database, manager: EntityManager, campaignId: number): Promise<ExistingPost[]> {
  const rows: { post: string }[] = await manager.query(db.sql(`select ${EXISTING_POST_TEXT} as post from posts where campaign_id = ?`), [campaignId]);
  return rows.map((row) => readExistingPost(row.post));
}

/**
 * The existing posts by key, for a plan that asks for its posts in its own order. That is the order
 * the first plan inserted them in (ascending ids), so the post after the one last found is nearly
 * always the one asked for next: checked first, it spares a lookup by key per post (a sixth of a
 * forced re-plan). The map by key is built only when a post is not where expected.
 */
export class ExistingPosts {
  private readonly byId: ExistingPost[];
  private byKey: Map<string, number> | undefined;
  private next = 0;

  constructor(posts: ExistingPost[]) {
    this.byId = [...posts].sort((a, b) => a.id - b.id);
  }

  get size(): number {
    return this.byId.length;
  }

  find(key: string): ExistingPost | undefined {
    const expected = this.byId[this.next];
    if (expected !== undefined && expected.post_key === key) {
      this.next++;
      return expected;
    }
    this.byKey ??= new Map(this.byId.map((post, index) => [post.post_key, index]));
    const index = this.byKey.get(key);
    if (index === undefined) return undefined;
    this.next = index + 1;
    return this.byId[index];
  }
}
