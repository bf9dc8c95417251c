import { Batcher } from '../common/batcher';
import type { Database } from '../database/database';
import { ChangeContext, commitPostChanges, PostChange } from './post-changes';

export interface GroupCommitOptions {
  /** The longest a change waits for others to share its transaction. */
  delayMs: number;
  /** A group this large commits at once. */
  maxBatch: number;
}

/**
 * Group commit of changes through `changePosts`: the changes that arrive within `delayMs` of each
 * other (or `maxBatch` of them) share one transaction, so a commit (SQLite's fsync, PostgreSQL's WAL
 * flush) is paid once per group instead of once per post; on PostgreSQL that transaction is a single
 * statement (`commitPostChanges`), one round trip. One group commits at a time; changes that
 * arrive meanwhile form the next group, at most one change per post in a group. `record` resolves
 * only once its group has committed: true if the post changed, false if its guard or revision no
 * longer held. A failed commit rejects every change of its group, none of which is then written. The
 * caller must not count, report or act on a change before `record` resolves: until then a crash
 * loses it, and it has to be done again.
 */
export class GroupCommit {
  private readonly batcher: Batcher<PostChange, boolean>;

  constructor(db: Database, context: () => ChangeContext, options: GroupCommitOptions) {
    this.batcher = new Batcher(async (changes) => {
      const { changed } = await commitPostChanges(db, context(), changes);
      const done = new Set(changed.map((c) => c.id));
      return changes.map((c) => done.has(c.id));
    }, { ...options, key: (change) => change.id });
  }

  record(change: PostChange): Promise<boolean> {
    return this.batcher.add(change);
  }

  /** Commits what waits now (shutdown): resolves once every change recorded so far has committed or failed. */
  drain(): Promise<void> {
    return this.batcher.drain();
  }
}
