import { Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { ApprovalEntity } from '../approvals/approval.entity';
import { CampaignEntity } from '../campaigns/campaign.entity';
import { AuthUser, canActForMember } from '../common/auth-user';
import { InvalidInput, NotYours, StaleRevision, transitionError } from '../common/errors';
import { parseSteps, transition } from '../approvals/transitions';
import { Database } from '../database/database';
import { Clock } from '../time/clock';
import { localTimeOutsideDates, memoLocalIso, resolveLocalTime, wallTimeOf } from '../time/local-time';
import type { EditPostDto } from './dto/edit-post.dto';
import type { ReopenPostDto } from './dto/reopen-post.dto';
import type { ListPostsQuery } from './dto/list-posts.query';
import { countLength } from './length';
import { textHash } from './post-planner';
import { changePosts } from './post-changes';
import { PostEventEntity } from './post-event.entity';
import { PostEntity } from './post.entity';
import { PostMediaResponse, PostResponse, toHistoryEntry, toPostResponse } from './post.mapper';
import { MediaService } from '../media/media.service';
import { conformingTarget, describeProblem, editProblems, MediaFacts, submitProblems } from '../media/network-media-rules';
import type { PostMediaInputDto } from './dto/edit-post.dto';
import { loadPostMedia, PostMediaRef, replacePostMedia, sameMedia } from './post-media';

function encodeCursor(post: { scheduledAt: string; id: number }): string {
  return Buffer.from(JSON.stringify([post.scheduledAt, post.id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, number] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof at === 'string' && Number.isInteger(id)) return [at, id];
  } catch {
    /* reported below */
  }
  throw new InvalidInput([{ field: 'cursor', message: 'is not a cursor this API returned' }]);
}

/** The campaign's default locale, as imported: its posts' texts are the source, not translations. */
function defaultLocaleOf(campaign: Pick<CampaignEntity, 'source'>): string | undefined {
  const locale = (JSON.parse(campaign.source) as { defaultLocale?: unknown }).defaultLocale;
  return typeof locale === 'string' ? locale : 'en';
}

@Injectable()
export class PostsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly media: MediaService,
  ) {}

  async list(user: AuthUser, slug: string, query: ListPostsQuery): Promise<{ items: PostResponse[]; nextCursor: string | null }> {
    const limit = query.limit ?? 100;
    const rows = await (await this.selection(user, slug, query)).take(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const approvals = await this.approvalsOf(this.db.manager, page.map((p) => p.id));
    const media = await this.mediaOf(this.db.manager, page.map((p) => p.id));
    const defaultLocale = defaultLocaleOf(await this.campaign(slug));
    return {
      items: page.map((p) => toPostResponse(p, slug, approvals.get(p.id), media.get(p.id), defaultLocale)),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }

  /**
   * The same selection as list() as lean rows for exports: only the columns a calendar needs,
   * no approvals, local times memoised per (zone, instant).
   */
  async exportPage(user: AuthUser, slug: string, query: ListPostsQuery, local = memoLocalIso()) {
    const limit = query.limit ?? 1000;
    const rows = await (await this.selection(user, slug, query))
      .select(['p.id', 'p.member', 'p.network', 'p.locale', 'p.theme', 'p.message', 'p.status', 'p.timezone', 'p.scheduledAt', 'p.length', 'p.limit', 'p.text', 'p.revision', 'p.updatedAt'])
      .take(limit + 1).getRawMany();
    const page = rows.slice(0, limit).map((r) => ({
      id: Number(r.p_id), member: r.p_member, network: r.p_network, locale: r.p_locale, theme: r.p_theme, message: r.p_message,
      status: r.p_status, timezone: r.p_timezone, scheduledAt: r.p_scheduled_at, localTime: local(r.p_scheduled_at, r.p_timezone),
      length: Number(r.p_length), limit: Number(r.p_max_length), text: r.p_text, revision: Number(r.p_revision), updatedAt: r.p_updated_at,
    }));
    return { items: page, nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null };
  }

  /** The posts a caller may see that the filters select, in time order after the cursor. */
  private async selection(user: AuthUser, slug: string, query: ListPostsQuery) {
    const campaign = await this.campaign(slug);
    if (query.member && !canActForMember(user, query.member)) throw new NotYours(`member ${query.member}`);
    const member = user.role === 'secretariat' ? query.member : user.member!;
    const qb = this.db.manager.createQueryBuilder(PostEntity, 'p').where('p.campaignId = :campaignId', { campaignId: campaign.id });
    if (member) qb.andWhere('p.member = :member', { member });
    for (const field of ['network', 'locale', 'status', 'theme'] as const) {
      if (query[field]) qb.andWhere(`p.${field} = :${field}`, { [field]: query[field] });
    }
    if (query.from) qb.andWhere('p.scheduledAt >= :from', { from: new Date(query.from).toISOString() });
    if (query.to) qb.andWhere('p.scheduledAt < :to', { to: new Date(query.to).toISOString() });
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor);
      qb.andWhere('(p.scheduledAt > :at OR (p.scheduledAt = :at AND p.id > :id))', { at, id });
    }
    return qb.orderBy('p.scheduledAt', 'ASC').addOrderBy('p.id', 'ASC');
  }

  async get(user: AuthUser, id: number): Promise<PostResponse> {
    const post = await this.findVisible(this.db.manager, user, id);
    return (await this.present(this.db.manager, [post]))[0];
  }

  async history(user: AuthUser, id: number) {
    await this.findVisible(this.db.manager, user, id);
    const events = await this.db.manager.find(PostEventEntity, { where: { postId: id }, order: { id: 'ASC' } });
    return events.map(toHistoryEntry);
  }

  /** Comms of the member or the secretariat change text, time or images; every approval is then void. */
  async edit(user: AuthUser, id: number, edit: EditPostDto): Promise<PostResponse> {
    if (edit.text === undefined && edit.localTime === undefined && edit.media === undefined) {
      throw new InvalidInput([{ field: 'text', message: 'give text, localTime, media or several of them' }]);
    }
    // Copies that fit the network are made first: sharp is slow, and the write queue must not wait on it.
    const media = edit.media && await this.fitMedia(user, id, edit.media);
    return this.db.write(async (m) => {
      const post = await this.findVisible(m, user, id);
      if (edit.localTime) await this.checkLocalTimeInCampaign(m, post, edit.localTime);
      const text = edit.text ?? post.text;
      const localTime = edit.localTime ?? wallTimeOf(new Date(post.scheduledAt), post.timezone);
      const scheduledAt = edit.localTime ? resolveLocalTime(localTime, post.timezone).toISOString() : post.scheduledAt;
      const length = countLength(post.network, text);
      const next = await this.editTransition(m, user, post, length);
      if (post.revision !== edit.revision) throw new StaleRevision(post.revision, edit.revision);
      const mediaChanged = media !== undefined && !sameMedia((await loadPostMedia(m, [id])).get(id) ?? [], media);
      if (text === post.text && scheduledAt === post.scheduledAt && !mediaChanged) return (await this.present(m, [post]))[0];
      const now = this.clock.now().toISOString();
      const changes = {
        text, textHash: textHash(text), length, localTime, scheduledAt,
        status: next.status, approvedSteps: next.approvedSteps, awaitingRole: next.awaitingRole, approvedRevision: null,
      };
      const { changed } = await changePosts(this.db, m, { at: now, actor: user.name, actorId: user.id }, [
        { id, expected: { revision: edit.revision, status: post.status }, set: changes, event: { action: 'edited' } },
      ]);
      if (changed.length === 0) throw new StaleRevision(post.revision + 1, edit.revision);
      if (mediaChanged) await replacePostMedia(this.db, m, id, media);
      await m.delete(ApprovalEntity, { postId: id });
      return (await this.present(m, [{ ...post, ...changes, updatedAt: now, revision: changed[0].revision } as PostEntity]))[0];
    });
  }

  /** The post, if this caller may edit it at this revision now: 403, 404 or 409 otherwise. */
  async assertEditable(user: AuthUser, id: number, revision: number): Promise<PostResponse> {
    const post = await this.findVisible(this.db.manager, user, id);
    await this.editTransition(this.db.manager, user, post, 0);
    if (post.revision !== revision) throw new StaleRevision(post.revision, revision);
    return (await this.present(this.db.manager, [post]))[0];
  }

  private async editTransition(m: EntityManager, user: AuthUser, post: PostEntity, length: number) {
    const next = transition('edit', {
      status: post.status, steps: parseSteps(post.approvalSteps), approvedSteps: post.approvedSteps,
      overLimit: length > post.limit, actor: { role: user.role, ownMember: canActForMember(user, post.member) },
      campaignArchived: (await this.archivedCampaignIds(m, [post.campaignId])).size > 0,
    });
    if (!next.ok) throw transitionError(next);
    return next;
  }

  /**
   * The images an edit asks for, as the post's network will take them: an image over the network's
   * size, or of a type it refuses, is replaced by a conforming copy (issue 13 #3) rather than failing
   * at publish time; what no copy can fix (count, alt length, aspect) is a 400 naming the image.
   * Checked for the caller first, so a refused edit makes no copy.
   */
  private async fitMedia(user: AuthUser, id: number, inputs: PostMediaInputDto[]): Promise<PostMediaRef[]> {
    const post = await this.findVisible(this.db.manager, user, id);
    await this.editTransition(this.db.manager, user, post, 0);
    const found = await this.media.findByIds(this.db.manager, inputs.map((input) => input.id));
    const unknown = inputs.flatMap((input, i) => (found.has(input.id) ? [] : [{ field: `media[${i}].id`, message: `no image ${input.id}: upload it with POST /api/media first` }]));
    if (unknown.length) throw new InvalidInput(unknown);
    const fitted: (MediaFacts & { id: number })[] = [];
    for (const [i, input] of inputs.entries()) {
      let image = found.get(input.id)!;
      const target = conformingTarget(post.network, image);
      if (target) {
        const copy = await this.media.conformingCopy(image, target);
        if (!copy) throw new InvalidInput([{ field: `media[${i}].id`, message: `image ${input.id} cannot be made to fit ${post.network} (${target.mime}, at most ${target.maxBytes} bytes)` }]);
        image = copy;
      }
      fitted.push({ id: image.id, mime: image.mime, width: image.width, height: image.height, bytes: image.bytes, alt: input.alt ?? '' });
    }
    const problems = editProblems(post.network, fitted);
    if (problems.length) {
      throw new InvalidInput(problems.map((p) => ({ field: p.index === null ? 'media' : `media[${p.index}]`, message: `${p.rule}: ${p.message}` })));
    }
    return fitted.map((f) => ({ mediaId: f.id, alt: f.alt }));
  }

  /** Why each post could not go to review for its images (missing alt text, too many…), per post id. */
  async submitMediaProblems(m: EntityManager, posts: PostEntity[]): Promise<Map<number, string[]>> {
    const media = await this.mediaOf(m, posts.map((p) => p.id));
    return new Map(posts.map((post) => {
      const items = media.get(post.id) ?? [];
      const problems = submitProblems(post.network, items as MediaFacts[]);
      return [post.id, problems.map((p) => describeProblem(p, items.map((i) => i.id)))];
    }));
  }

  /** The images of each post as the API shows them. */
  async mediaOf(m: EntityManager, postIds: number[]): Promise<Map<number, PostMediaResponse[]>> {
    const refs = await loadPostMedia(m, postIds);
    const images = await this.media.findByIds(m, [...refs.values()].flat().map((r) => r.mediaId));
    return new Map([...refs].map(([postId, items]) => [postId, items.map((item) => {
      const image = images.get(item.mediaId)!;
      return { ...this.media.toResponse(image), alt: item.alt, sourceId: image.sourceId };
    })]));
  }

  /**
   * A missed or failed post back to `draft` at a new local time that lies ahead: it needs every
   * approval again (a new approved revision, hence a new publishing key), and the history says who
   * brought it back and why.
   */
  async reopen(user: AuthUser, id: number, reopen: ReopenPostDto): Promise<PostResponse> {
    return this.db.write(async (m) => {
      const post = await this.findVisible(m, user, id);
      const next = transition('reopen', {
        status: post.status, steps: parseSteps(post.approvalSteps), approvedSteps: post.approvedSteps,
        overLimit: post.length > post.limit, actor: { role: user.role, ownMember: canActForMember(user, post.member) },
        campaignArchived: (await this.archivedCampaignIds(m, [post.campaignId])).size > 0,
      });
      if (!next.ok) throw transitionError(next);
      if (post.revision !== reopen.revision) throw new StaleRevision(post.revision, reopen.revision);
      await this.checkLocalTimeInCampaign(m, post, reopen.localTime);
      const scheduledAt = this.futureInstant(reopen.localTime, post.timezone);
      const now = this.clock.now().toISOString();
      const changes = {
        localTime: reopen.localTime, scheduledAt, status: next.status, approvedSteps: 0, awaitingRole: null, approvedRevision: null,
        attempts: 0, leaseOwner: null, leaseUntil: null, lastError: null,
      };
      const { changed } = await changePosts(this.db, m, { at: now, actor: user.name, actorId: user.id }, [
        { id, expected: { revision: reopen.revision, status: post.status }, set: changes, event: { action: 'reopened', comment: reopen.comment?.trim() || null } },
      ]);
      if (changed.length === 0) throw new StaleRevision(post.revision + 1, reopen.revision);
      await m.delete(ApprovalEntity, { postId: id });
      const updated = { ...post, ...changes, updatedAt: now, revision: changed[0].revision } as PostEntity;
      return (await this.present(m, [updated]))[0];
    });
  }

  /** The instant of a member's wall time, which must still lie ahead (a reopened post is never due at once). */
  private futureInstant(localTime: string, timezone: string): string {
    const at = resolveLocalTime(localTime, timezone);
    if (at.getTime() <= this.clock.now().getTime()) {
      const nowThere = wallTimeOf(this.clock.now(), timezone);
      throw new InvalidInput([{ field: 'localTime', message: `${localTime} in ${timezone} has passed (it is now ${nowThere} there): choose a time in the future` }]);
    }
    return at.toISOString();
  }

  /**
   * 400 naming `localTime` unless it falls on one of the post's campaign dates (year 0000 was once
   * accepted). For every route that moves a post in time; the DTO checks the form (IsLocalWallTime).
   */
  async checkLocalTimeInCampaign(m: EntityManager, post: Pick<PostEntity, 'campaignId'>, localTime: string): Promise<void> {
    const campaign = await m.findOneByOrFail(CampaignEntity, { id: post.campaignId });
    const problem = localTimeOutsideDates(localTime, { start: campaign.startDate, end: campaign.endDate });
    if (problem) throw new InvalidInput([{ field: 'localTime', message: problem }]);
  }

  /** 404 when it does not exist, 403 when it belongs to another member than the caller's. */
  async findVisible(m: EntityManager, user: AuthUser, id: number): Promise<PostEntity> {
    const post = await m.findOneBy(PostEntity, { id });
    if (!post) throw new NotFoundException(`no post ${id}`);
    if (!canActForMember(user, post.member)) throw new NotYours();
    return post;
  }

  /** Which of these campaigns are archived: their posts take no action (transition's `campaignArchived`). */
  async archivedCampaignIds(m: EntityManager, campaignIds: number[]): Promise<Set<number>> {
    const unique = [...new Set(campaignIds)];
    if (unique.length === 0) return new Set();
    const rows = await m.findBy(CampaignEntity, { id: In(unique), state: 'archived' });
    return new Set(rows.map((c) => c.id));
  }

  /** Which of these campaigns refuse the submission of posts from unreviewed translations (`requireReview: true`). */
  async reviewRequiredCampaignIds(m: EntityManager, campaignIds: number[]): Promise<Set<number>> {
    const unique = [...new Set(campaignIds)];
    if (unique.length === 0) return new Set();
    const rows = await m.findBy(CampaignEntity, { id: In(unique) });
    return new Set(rows.filter((c) => JSON.parse(c.source).requireReview === true).map((c) => c.id));
  }

  /** Posts as the API shows them, with their campaign slug and approvals, in two queries. */
  async present(m: EntityManager, posts: PostEntity[]): Promise<PostResponse[]> {
    const campaignIds = [...new Set(posts.map((p) => p.campaignId))];
    const campaigns = campaignIds.length ? await m.findBy(CampaignEntity, { id: In(campaignIds) }) : [];
    const slugs = new Map(campaigns.map((c) => [c.id, c.slug]));
    const defaultLocales = new Map(campaigns.map((c) => [c.id, defaultLocaleOf(c)]));
    const approvals = await this.approvalsOf(m, posts.map((p) => p.id));
    const media = await this.mediaOf(m, posts.map((p) => p.id));
    return posts.map((p) => toPostResponse(p, slugs.get(p.campaignId)!, approvals.get(p.id), media.get(p.id), defaultLocales.get(p.campaignId)));
  }

  private async campaign(slug: string): Promise<CampaignEntity> {
    const campaign = await this.db.manager.findOneBy(CampaignEntity, { slug });
    if (!campaign) throw new NotFoundException(`no campaign "${slug}"`);
    return campaign;
  }

  private async approvalsOf(m: EntityManager, postIds: number[]): Promise<Map<number, ApprovalEntity[]>> {
    const byPost = new Map<number, ApprovalEntity[]>();
    if (postIds.length === 0) return byPost;
    const rows = await m.createQueryBuilder(ApprovalEntity, 'a').where('a.postId IN (:...ids)', { ids: postIds }).orderBy('a.step').getMany();
    for (const row of rows) byPost.set(row.postId, [...(byPost.get(row.postId) ?? []), row]);
    return byPost;
  }
}
