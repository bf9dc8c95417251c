import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { readdirSync } from 'node:fs';
import { MoreThan } from 'typeorm';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { AuthUser } from '../common/auth-user';
import { InvalidInput } from '../common/errors';
import { Shutdown } from '../common/shutdown';
import { Database } from '../database/database';
import { PlanProgress, PlanSummary, PostPlanner } from '../posts/post-planner';
import { PostEntity } from '../posts/post.entity';
import { previewReplan, ReplanPreview } from '../posts/replan-preview';
import { Clock } from '../time/clock';
import { SecretStore } from '../publishing/secrets';
import { AccountsService } from '../accounts/accounts.service';
import { CampaignEntity } from './campaign.entity';
import { archivedReason, CampaignState, stateAtImport } from './campaign-life';
import { campaignForViewer } from './campaign-view';
import { readCampaignFile, formatCampaignFileError } from './campaign-file';
import { checkPlanSize, generatePosts, prepareCampaign, prepareErrors, PreparedCampaign, PrepareResult, templatesFolderOf } from './campaign-plan';
import { loadMessageEdits } from '../messages/message-edits';
import type { EntityManager } from 'typeorm';
import { CoverageEntry, MessageEdits, NO_EDITS } from '../templates/template-set';
import type { PlanWarning } from '../posts/plan';
import type { Network } from '../posts/length';
import { designationFootnotes } from './designations';
import { validateCampaign } from './campaign-definition';
import type { HolidayBlackout } from './holidays';
import { TemplateImages } from '../media/template-images';

export interface CampaignSummary {
  slug: string;
  name: string;
  start: string;
  end: string;
  state: CampaignState;
  createdAt: string;
  updatedAt: string;
}

export interface PlanResult {
  campaign: CampaignSummary;
  plan: PlanSummary & { total: number; skipped: boolean };
  coverage: CoverageEntry[];
  /** What the plan leaves out and why, by field (`members[9].channels[2]: instagram needs an image…`). */
  warnings: PlanWarning[];
  /** Public holidays that black out members' dates (`blackout: [holidays]`), with their names. */
  holidays: HolidayBlackout[];
}

type Actor = { name: string; id: number | null };
type ReplanOptions = { force?: boolean; progress?: PlanProgress; expectedUpdatedAt?: string };

/** A re-plan preview: the figures `replan` would answer, the posts behind them, and the token to apply it with. */
export type ReplanPreviewResult = Omit<PlanResult, 'plan'> & Omit<ReplanPreview, 'plan'> & {
  plan: ReplanPreview['plan'] & { total: number; skipped: boolean };
  token: string;
};

/** The object shows every member's names in full, so "Kosovo*" needs its footnote beside them (domain.md). */
function campaignFootnotes(source: { defaultLocale?: string; members?: { name?: Record<string, string> }[] }): string[] {
  const names = (source.members ?? []).flatMap((m) => Object.values(m.name ?? {}));
  return designationFootnotes(names, source.defaultLocale ?? 'en');
}

function campaignNetworks(prepared: PreparedCampaign): Network[] {
  return [...new Set(prepared.campaign.members.flatMap((member) => member.channels.map((channel) => channel.network)))];
}

function toSummary(c: CampaignEntity): CampaignSummary {
  return { slug: c.slug, name: c.name, start: c.startDate, end: c.endDate, state: c.state, createdAt: c.createdAt, updatedAt: c.updatedAt };
}

@Injectable()
export class CampaignsService {
  private readonly logger = new Logger(CampaignsService.name);

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly secrets: SecretStore,
    private readonly shutdown: Shutdown,
    private readonly accounts: AccountsService,
    private readonly templateImages: TemplateImages,
  ) {}

  async list(): Promise<CampaignSummary[]> {
    const campaigns = await this.db.manager.find(CampaignEntity, { order: { startDate: 'ASC', slug: 'ASC' } });
    return campaigns.map(toSummary);
  }

  /** The campaign object as imported (as the caller may see it), with post counts by status (the caller's member only, unless secretariat). */
  async get(user: AuthUser, slug: string) {
    const campaign = await this.find(slug);
    const qb = this.db.manager.createQueryBuilder(PostEntity, 'p').select('p.status', 'status').addSelect('COUNT(*)', 'count')
      .where('p.campaignId = :id', { id: campaign.id }).groupBy('p.status');
    if (user.role !== 'secretariat') qb.andWhere('p.member = :member', { member: user.member });
    const rows: { status: string; count: string | number }[] = await qb.getRawMany();
    const counts = Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
    const source = campaignForViewer(JSON.parse(campaign.source), user);
    return { ...source, footnotes: campaignFootnotes(source), holidays: this.holidays(campaign.source), state: campaign.state, counts, createdAt: campaign.createdAt, updatedAt: campaign.updatedAt };
  }

  /** The campaign object exactly as stored (for the secretariat's settings form), with its summary. */
  async stored(slug: string): Promise<{ summary: CampaignSummary; source: Record<string, unknown> }> {
    const campaign = await this.find(slug);
    return { summary: toSummary(campaign), source: JSON.parse(campaign.source) };
  }

  /** The stored object's public holidays, as the plan used them (none if it no longer validates, e.g. a secret since unset). */
  private holidays(source: string): HolidayBlackout[] {
    const validated = validateCampaign(JSON.parse(source), this.secrets.asEnv());
    return validated.ok ? validated.campaign.holidays : [];
  }

  async coverage(slug: string): Promise<CoverageEntry[]> {
    const campaign = await this.find(slug);
    return (await this.prepareWithEdits(JSON.parse(campaign.source))).coverage;
  }

  async create(input: unknown, actor: Actor, progress?: PlanProgress): Promise<PlanResult> {
    const prepared = await this.prepareWithEdits(input);
    await this.checkAccounts(prepared.campaign);
    const total = this.plannedTotal(prepared);
    const images = await this.templateImages.prepare(prepared.templates, campaignNetworks(prepared));
    return this.shutdown.track((signal) => this.db.write(async (m) => {
      if (await m.findOneBy(CampaignEntity, { slug: prepared.campaign.slug })) {
        throw new ConflictException(`campaign "${prepared.campaign.slug}" already exists: PUT /api/campaigns/${prepared.campaign.slug} re-plans it`);
      }
      const now = this.clock.now().toISOString();
      const state = stateAtImport(prepared.campaign.end, prepared.campaign.members.map((member) => member.timezone), this.clock.now());
      const entity = await m.save(m.create(CampaignEntity, {
        slug: prepared.campaign.slug, name: prepared.campaign.name, startDate: prepared.campaign.start, endDate: prepared.campaign.end, state,
        source: JSON.stringify(input), planFingerprint: prepared.fingerprint, createdAt: now, updatedAt: now,
      }));
      const mediaIds = await this.templateImages.save(m, images);
      const plan = await new PostPlanner(this.db, m, entity.id, now, actor, mediaIds).apply(generatePosts(prepared), total, progress, signal);
      this.logger.log(`planned ${prepared.campaign.slug}: ${plan.created} posts${state === 'archived' ? ' (archived: its last date has passed; read-only)' : ''}`);
      return { campaign: toSummary(entity), plan: { ...plan, total, skipped: false }, coverage: prepared.coverage, warnings: prepared.warnings, holidays: prepared.campaign.holidays };
    }));
  }

  /**
   * What `replan` would do with this object, changing nothing: the same checks (slug, archived, plan
   * size) and the same decision per post (see previewReplan). `token` is the campaign's `updatedAt`:
   * hand it back to `replan` (`expectedUpdatedAt`) so that what is applied is what was previewed.
   */
  async previewReplan(slug: string, input: unknown): Promise<ReplanPreviewResult> {
    const prepared = await this.preparedFor(slug, input);
    const total = this.plannedTotal(prepared);
    await this.templateImages.prepare(prepared.templates, campaignNetworks(prepared), { store: false });
    const entity = this.replannable(slug, await this.db.manager.findOneBy(CampaignEntity, { slug }));
    const extras = { campaign: toSummary(entity), token: entity.updatedAt, coverage: prepared.coverage, warnings: prepared.warnings, holidays: prepared.campaign.holidays };
    if (this.unchanged(entity, prepared, input)) {
      const unchanged = await this.db.manager.countBy(PostEntity, { campaignId: entity.id });
      const approvalsKept = await this.db.manager.countBy(PostEntity, { campaignId: entity.id, approvedSteps: MoreThan(0) });
      const plan = { created: 0, updated: 0, unchanged, cancelled: 0, approvalsKept, approvalsReset: 0, skippedPosts: 0, total, skipped: true };
      return { ...extras, plan, added: [], changed: [], cancelled: [], skipped: [], listLimit: 0 };
    }
    const preview = await previewReplan(this.db, this.db.manager, entity.id, generatePosts(prepared));
    return { ...extras, ...preview, plan: { ...preview.plan, total, skipped: false } };
  }

  private async preparedFor(slug: string, input: unknown, manager: EntityManager = this.db.manager): Promise<PreparedCampaign> {
    const prepared = await this.prepareWithEdits(input, manager);
    if (prepared.campaign.slug !== slug) {
      throw new InvalidInput([{ field: 'slug', message: `"${prepared.campaign.slug}" does not match the URL (${slug}); the slug cannot change` }]);
    }
    await this.checkAccounts(prepared.campaign);
    return prepared;
  }

  private replannable(slug: string, entity: CampaignEntity | null): CampaignEntity {
    if (!entity) throw new NotFoundException(`no campaign "${slug}"`);
    if (entity.state === 'archived') throw new ConflictException(archivedReason(slug));
    return entity;
  }

  /** The same definition, templates and object: a re-plan would write nothing. */
  private unchanged(entity: CampaignEntity, prepared: PreparedCampaign, input: unknown): boolean {
    return entity.planFingerprint === prepared.fingerprint && entity.source === JSON.stringify(input);
  }

  /**
   * Re-plans in place: unchanged posts keep status and approvals, moved ones reset, none is duplicated.
   * With `expectedUpdatedAt` (a preview's token), a campaign changed since then is refused with 409.
   */
  async replan(slug: string, input: unknown, actor: Actor, options: ReplanOptions = {}): Promise<PlanResult> {
    return this.shutdown.track((signal) => this.db.write((m) => this.replanIn(m, slug, input, actor, { ...options, signal })));
  }

  /**
   * The re-plan inside the caller's transaction: a message saved in the editor re-plans the campaigns
   * that use it in the same transaction as the save, so a refused plan saves nothing.
   */
  async replanIn(m: EntityManager, slug: string, input: unknown, actor: Actor, options: ReplanOptions & { signal?: AbortSignal } = {}): Promise<PlanResult> {
    const prepared = await this.preparedFor(slug, input, m);
    const total = this.plannedTotal(prepared);
    // Inside the caller's transaction (the editor's save holds one): images are read and converted here.
    const images = await this.templateImages.prepare(prepared.templates, campaignNetworks(prepared));
    const entity = this.replannable(slug, await m.findOneBy(CampaignEntity, { slug }));
    if (options.expectedUpdatedAt !== undefined && options.expectedUpdatedAt !== entity.updatedAt) {
      throw new ConflictException(`the campaign changed while this request was prepared (updated ${entity.updatedAt}): preview the change again`);
    }
    if (this.unchanged(entity, prepared, input) && !options.force) {
      const unchanged = await m.countBy(PostEntity, { campaignId: entity.id });
      const approvalsKept = await m.countBy(PostEntity, { campaignId: entity.id, approvedSteps: MoreThan(0) });
      const plan = { created: 0, updated: 0, unchanged, cancelled: 0, approvalsKept, approvalsReset: 0, skippedPosts: 0, skippedPostIds: [], total, skipped: true };
      return { campaign: toSummary(entity), plan, coverage: prepared.coverage, warnings: prepared.warnings, holidays: prepared.campaign.holidays };
    }
    const now = this.clock.now().toISOString();
    const mediaIds = await this.templateImages.save(m, images);
    const plan = await new PostPlanner(this.db, m, entity.id, now, actor, mediaIds).apply(generatePosts(prepared), total, options.progress, options.signal);
    const changed = plan.created + plan.updated + plan.cancelled > 0 || entity.planFingerprint !== prepared.fingerprint || entity.source !== JSON.stringify(input);
    if (changed) {
      Object.assign(entity, { name: prepared.campaign.name, startDate: prepared.campaign.start, endDate: prepared.campaign.end, source: JSON.stringify(input), planFingerprint: prepared.fingerprint, updatedAt: now });
      await m.save(entity);
    }
    return { campaign: toSummary(entity), plan: { ...plan, total, skipped: false }, coverage: prepared.coverage, warnings: prepared.warnings, holidays: prepared.campaign.holidays };
  }

  /** How many posts the plan holds; 400 over MAX_POSTS_PER_CAMPAIGN, before anything is generated or written. */
  private plannedTotal(prepared: PreparedCampaign): number {
    const size = checkPlanSize(prepared.campaign, this.config.maxPostsPerCampaign, prepared.hasImage);
    if (size.error) throw new InvalidInput([size.error]);
    return size.total;
  }

  /**
   * At start: imports every campaigns/*.yaml whose slug is not in the database yet. A broken file
   * stops the start with every error listed, rather than a service that silently lacks a campaign.
   */
  async importDirectory(dir = this.config.campaignsDir, actor: Actor = { name: 'importer', id: null }): Promise<string[]> {
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
    } catch {
      return [];
    }
    const imported: string[] = [];
    for (const file of files) {
      const read = readCampaignFile(join(dir, file), this.secrets.asEnv());
      if (!read.ok) throw new Error(`cannot import ${file}:\n  ${read.errors.map(formatCampaignFileError).join('\n  ')}`);
      if (await this.db.manager.findOneBy(CampaignEntity, { slug: read.campaign.slug })) continue;
      const result = await this.create(read.raw, actor);
      imported.push(`${result.campaign.slug} (${result.plan.created} posts)`);
    }
    return imported;
  }

  /** The campaign with its templates: the files of its folder with the messages edited in the browser over them. */
  async prepareWithEdits(input: unknown, manager: EntityManager = this.db.manager): Promise<PreparedCampaign> {
    const folder = templatesFolderOf(input);
    return this.prepare(input, folder ? await loadMessageEdits(manager, folder) : NO_EDITS);
  }

  /** The campaign checked with these edits, its errors returned (the message editor maps them to its fields). */
  check(input: unknown, edits: MessageEdits): PrepareResult {
    return prepareCampaign(input, this.config.templatesDir, this.secrets.asEnv(), edits);
  }

  /** Files only, unless `edits` are given: prepareWithEdits() reads them from the database. */
  prepare(input: unknown, edits: MessageEdits = NO_EDITS): PreparedCampaign {
    // Publisher secrets must resolve now, at import, not at publish time.
    const result = prepareCampaign(input, this.config.templatesDir, this.secrets.asEnv(), edits);
    if (!result.ok) throw new InvalidInput(prepareErrors(result));
    return result.prepared;
  }

  /** A channel naming a connected account: it must exist and be the member's own, on the channel's network (400 naming the field). */
  private async checkAccounts(campaign: PreparedCampaign['campaign']): Promise<void> {
    const channels = campaign.members.flatMap((member, i) => member.channels.flatMap((channel, j) => ('account' in channel.publisher
      ? [{ field: `members[${i}].channels[${j}].publisher.account`, member: member.code, network: channel.network, account: channel.publisher.account }]
      : [])));
    const problems = await this.accounts.channelProblems(channels);
    if (problems.length) throw new InvalidInput(problems);
  }

  private async find(slug: string): Promise<CampaignEntity> {
    const campaign = await this.db.manager.findOneBy(CampaignEntity, { slug });
    if (!campaign) throw new NotFoundException(`no campaign "${slug}"`);
    return campaign;
  }
}

