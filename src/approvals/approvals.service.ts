import { ConflictException, HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import type { AuthUser } from '../common/auth-user';
import { canActForMember } from '../common/auth-user';
import { InvalidInput, StaleRevision, transitionError } from '../common/errors';
import { Database } from '../database/database';
import { approvalLeadMs, CampaignEntity } from '../campaigns/campaign.entity';
import { PostEntity } from '../posts/post.entity';
import { changePosts, NEW_REVISION } from '../posts/post-changes';
import type { PostResponse } from '../posts/post.mapper';
import { PostsService } from '../posts/posts.service';
import { Clock } from '../time/clock';
import { parseSteps, transition, TransitionResult } from './transitions';

type ReviewAction = 'submit' | 'approve' | 'reject';
type Applied = { post: PostEntity; result: Extract<TransitionResult, { ok: true }> };

const PAST_TENSE: Record<ReviewAction, string> = { submit: 'submitted', approve: 'approved', reject: 'rejected' };
const APPROVAL_COLUMNS = ['post_id', 'step', 'role', 'user_id', 'user_name', 'at', 'text_hash', 'scheduled_at'];

/**
 * Submit, approve and reject, one post or a whole week at once. Every action names the revision
 * it was made on; each approval records the exact text (hash) and instant it approved.
 */
/** What a post's campaign decides for its actions: archived (read-only), review required before submit. */
type CampaignRules = { archived: Set<number>; requireReview: Set<number> };

@Injectable()
export class ApprovalsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly posts: PostsService,
  ) {}

  async act(user: AuthUser, id: number, action: ReviewAction, revision: number, comment?: string): Promise<PostResponse> {
    return this.db.write(async (m) => {
      const post = await this.posts.findVisible(m, user, id);
      const media = action === 'submit' ? await this.posts.submitMediaProblems(m, [post]) : undefined;
      const applied = this.decide(user, post, action, revision, comment, await this.campaignRules(m, [post.campaignId]), media);
      const [updated] = await this.apply(m, user, [applied], action, comment);
      return (await this.posts.present(m, [updated]))[0];
    });
  }

  /** All or nothing: the first refusal (403, 404, 409) cancels the whole request. */
  async bulk(user: AuthUser, action: ReviewAction, items: { id: number; revision: number }[], comment?: string): Promise<{ items: PostResponse[] }> {
    const ids = items.map((i) => i.id);
    if (new Set(ids).size !== ids.length) throw new InvalidInput([{ field: 'items', message: 'lists a post twice' }]);
    return this.db.write(async (m) => {
      const found = new Map((await m.findBy(PostEntity, { id: In(ids) })).map((p) => [p.id, p]));
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length) throw new NotFoundException(`no post ${missing.join(', ')}`);
      const rules = await this.campaignRules(m, [...found.values()].map((p) => p.campaignId));
      const media = action === 'submit' ? await this.posts.submitMediaProblems(m, [...found.values()]) : undefined;
      const decided = items.map((item, index) => {
        try {
          return this.decide(user, found.get(item.id)!, action, item.revision, comment, rules, media);
        } catch (error) {
          throw forItem(error, index, item.id);
        }
      });
      const updated = await this.apply(m, user, decided, action, comment);
      return { items: await this.posts.present(m, updated) };
    });
  }

  /** What awaits the caller: posts in review whose current step is the caller's role, oldest deadline first. */
  async pending(user: AuthUser, limit = 500): Promise<(PostResponse & { deadline: string })[]> {
    const qb = this.db.manager.createQueryBuilder(PostEntity, 'p').where("p.status = 'in_review'").andWhere('p.awaitingRole = :role', { role: user.role });
    if (user.role !== 'secretariat') qb.andWhere('p.member = :member', { member: user.member });
    return this.withDeadlines(await qb.orderBy('p.scheduledAt', 'ASC').addOrderBy('p.id', 'ASC').take(limit).getMany());
  }

  /**
   * For the secretariat, whose step comes last: the posts still in review at an earlier step
   * (`awaitingRole` says whose turn it is, of the post's member), oldest deadline first.
   */
  async atEarlierSteps(user: AuthUser, limit = 500): Promise<(PostResponse & { deadline: string })[]> {
    if (user.role !== 'secretariat') return [];
    const qb = this.db.manager.createQueryBuilder(PostEntity, 'p').where("p.status = 'in_review'").andWhere('p.awaitingRole <> :role', { role: user.role });
    return this.withDeadlines(await qb.orderBy('p.scheduledAt', 'ASC').addOrderBy('p.id', 'ASC').take(limit).getMany());
  }

  private async withDeadlines(posts: PostEntity[]): Promise<(PostResponse & { deadline: string })[]> {
    const leads = await this.leadTimes(posts.map((p) => p.campaignId));
    const presented = await this.posts.present(this.db.manager, posts);
    return presented
      .map((p, i) => ({ ...p, deadline: new Date(Date.parse(p.scheduledAt) - leads.get(posts[i].campaignId)!).toISOString() }))
      .sort((a, b) => a.deadline.localeCompare(b.deadline) || a.id - b.id);
  }

  async leadTimes(campaignIds: number[]): Promise<Map<number, number>> {
    const unique = [...new Set(campaignIds)];
    const campaigns = unique.length ? await this.db.manager.findBy(CampaignEntity, { id: In(unique) }) : [];
    return new Map(campaigns.map((c) => [c.id, approvalLeadMs(c)]));
  }

  private async campaignRules(m: EntityManager, campaignIds: number[]): Promise<CampaignRules> {
    return { archived: await this.posts.archivedCampaignIds(m, campaignIds), requireReview: await this.posts.reviewRequiredCampaignIds(m, campaignIds) };
  }

  private decide(user: AuthUser, post: PostEntity, action: ReviewAction, revision: number, comment: string | undefined, rules: CampaignRules, media?: Map<number, string[]>): Applied {
    const result = transition(action, {
      status: post.status,
      steps: parseSteps(post.approvalSteps),
      approvedSteps: post.approvedSteps,
      overLimit: post.length > post.limit,
      actor: { role: user.role, ownMember: canActForMember(user, post.member) },
      comment,
      campaignArchived: rules.archived.has(post.campaignId),
      unreviewedTranslation: rules.requireReview.has(post.campaignId) && Boolean(post.needsReview),
      mediaProblems: media?.get(post.id),
    });
    if (!result.ok) throw transitionError(result);
    if (post.revision !== revision) throw new StaleRevision(post.revision, revision);
    return { post, result };
  }

  /**
   * Posts moving to the same state change in one conditional UPDATE (each row only at the revision
   * read, see changePosts); if any row moved meanwhile, fewer change and the whole request is
   * refused. Then approvals are inserted in bulk.
   */
  private async apply(m: EntityManager, user: AuthUser, decided: Applied[], action: ReviewAction, comment?: string): Promise<PostEntity[]> {
    const now = this.clock.now().toISOString();
    const { changed } = await changePosts(this.db, m, { at: now, actor: user.name, actorId: user.id }, decided.map(({ post, result }) => ({
      id: post.id, expected: { revision: post.revision, status: post.status },
      set: {
        status: result.status, approvedSteps: result.approvedSteps, awaitingRole: result.awaitingRole,
        // The idempotency key of publishing derives from the revision the last step approved.
        approvedRevision: result.status === 'approved' ? NEW_REVISION : null,
      },
      event: { action: PAST_TENSE[action], comment: comment?.trim() || null },
    })));
    if (changed.length !== decided.length) throw new ConflictException('a post changed while this request was being made: reload and try again');
    const updated = decided.map(({ post, result }) => ({
      ...post, status: result.status, approvedSteps: result.approvedSteps, awaitingRole: result.awaitingRole,
      approvedRevision: result.status === 'approved' ? post.revision + 1 : null, updatedAt: now, revision: post.revision + 1,
    }) as PostEntity);
    if (action === 'approve') {
      await this.db.insertReturning(m, 'approvals', APPROVAL_COLUMNS, decided.map(({ post, result }) =>
        [post.id, result.step!.number, result.step!.role, user.id, user.name, now, post.textHash, post.scheduledAt]), ['id']);
    } else {
      // Submitting starts the chain again; rejecting voids it.
      const ids = decided.map((d) => d.post.id);
      await m.query(this.db.sql(`delete from approvals where post_id in (${ids.map(() => '?').join(', ')})`), ids);
    }
    return updated;
  }
}

/** The same refusal, saying which item of a bulk request caused it. */
function forItem(error: unknown, index: number, id: number): unknown {
  if (!(error instanceof HttpException)) return error;
  const original = error.getResponse();
  const message = typeof original === 'string' ? original : String((original as { message: unknown }).message);
  return new HttpException({ message: `items[${index}] (post ${id}): ${message}`, item: { index, id } }, error.getStatus());
}
