import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth-user';
import { canActForMember } from '../common/auth-user';
import { StaleRevision, transitionError } from '../common/errors';
import { Database } from '../database/database';
import { parseSteps, transition } from '../approvals/transitions';
import { changePosts, PostColumns } from '../posts/post-changes';
import type { PostEntity } from '../posts/post.entity';
import type { PostResponse } from '../posts/post.mapper';
import { PostsService } from '../posts/posts.service';
import { Clock } from '../time/clock';

const EVENT_OF = { retry: 'retried', resend: 'sent again', markPublished: 'marked published' } as const;

/** What people do about publishing: report a hand-made post, send a failed one again. */
@Injectable()
export class PublishingService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly posts: PostsService,
  ) {}

  /** `publishedId`: the network's id of the post when the person knows it (issue 14), else null. */
  markPublished(user: AuthUser, id: number, revision: number, url: string, publishedId: string | null = null): Promise<PostResponse> {
    return this.change(user, id, revision, 'markPublished', (now) => ({ publishedAt: now, publishedUrl: url, publishedId, leaseOwner: null, leaseUntil: null, lastError: null }), url);
  }

  /** Back to `approved` under the same approved revision, hence the same idempotency key. */
  retry(user: AuthUser, id: number, revision: number): Promise<PostResponse> {
    return this.change(user, id, revision, 'retry', () => ({ attempts: 0, lastError: null, leaseOwner: null, leaseUntil: null }), null);
  }

  /**
   * Unconfirmed → approved, by a person who looked at the account and did not find the post: it is
   * claimed and sent again at once (its time has come), under the same approved revision.
   */
  resend(user: AuthUser, id: number, revision: number): Promise<PostResponse> {
    return this.change(user, id, revision, 'resend', () => ({ attempts: 0, lastError: null, leaseOwner: null, leaseUntil: null }), null);
  }

  private change(user: AuthUser, id: number, revision: number, action: 'markPublished' | 'retry' | 'resend', fields: (now: string) => PostColumns, comment: string | null) {
    return this.db.write(async (m) => {
      const post = await this.posts.findVisible(m, user, id);
      const next = transition(action, {
        status: post.status, steps: parseSteps(post.approvalSteps), approvedSteps: post.approvedSteps,
        overLimit: post.length > post.limit, actor: { role: user.role, ownMember: canActForMember(user, post.member) },
        campaignArchived: (await this.posts.archivedCampaignIds(m, [post.campaignId])).size > 0,
      });
      if (!next.ok) throw transitionError(next);
      if (post.revision !== revision) throw new StaleRevision(post.revision, revision);
      const now = this.clock.now().toISOString();
      const changes = { ...fields(now), status: next.status };
      const { changed } = await changePosts(this.db, m, { at: now, actor: user.name, actorId: user.id }, [{
        id, expected: { revision, status: post.status }, set: changes,
        event: { action: EVENT_OF[action], comment },
      }]);
      if (changed.length === 0) throw new StaleRevision(post.revision + 1, revision);
      return (await this.posts.present(m, [{ ...post, ...changes, updatedAt: now, revision: changed[0].revision } as PostEntity]))[0];
    });
  }
}
