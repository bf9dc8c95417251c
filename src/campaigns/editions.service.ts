import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InvalidInput } from '../common/errors';
import { Database } from '../database/database';
import type { PlanProgress } from '../posts/post-planner';
import { Clock } from '../time/clock';
import { stateAtImport } from './campaign-life';
import { CampaignEntity } from './campaign.entity';
import type { PreparedCampaign } from './campaign-plan';
import { CampaignsService, PlanResult } from './campaigns.service';
import { EditionSummary, makeEdition } from './edition';

export interface EditionPreview {
  campaign: Record<string, unknown>;
  edition: EditionSummary;
  /** The new campaign checked with its templates, ready to plan. */
  prepared: PreparedCampaign;
}

export type EditionResult = PlanResult & { edition: EditionSummary };

/** New editions of a campaign: the source moved by whole weeks, created through CampaignsService.create. */
@Injectable()
export class EditionsService {
  constructor(
    private readonly db: Database,
    private readonly campaigns: CampaignsService,
    private readonly clock: Clock,
  ) {}

  /** The new campaign, checked (request, free slug, templates) but not saved: for `cli edition --out`. */
  async preview(sourceSlug: string, request: unknown): Promise<EditionPreview> {
    const source = await this.db.manager.findOneBy(CampaignEntity, { slug: sourceSlug });
    if (!source) throw new NotFoundException(`no campaign "${sourceSlug}"`);
    const made = makeEdition(JSON.parse(source.source), request);
    if (!made.ok) throw new InvalidInput(made.errors);
    this.refuseEditionInThePast(made.campaign);
    const slug = String(made.campaign.slug);
    if (await this.db.manager.findOneBy(CampaignEntity, { slug })) {
      throw new ConflictException(`campaign "${slug}" already exists: choose another slug for the edition`);
    }
    return { campaign: made.campaign, edition: made.summary, prepared: await this.campaigns.prepareWithEdits(made.campaign) };
  }

  /**
   * An edition that is over before it exists would be imported archived: read-only for good, its
   * slug taken. That is a mistyped year, not a wish, so it is refused before anything is written.
   */
  private refuseEditionInThePast(campaign: Record<string, any>): void {
    const zones = (campaign.members as { timezone: unknown }[]).map((member) => String(member.timezone));
    if (stateAtImport(campaign.end, zones, this.clock.now()) === 'archived') {
      throw new InvalidInput([{ field: 'start', message: `${campaign.start}: the edition would end on ${campaign.end}, already past (it would be archived, read-only); choose a start ahead` }]);
    }
  }

  /** Creates and plans the edition; nothing is written when the request, the slug or the plan is refused. */
  async create(sourceSlug: string, request: unknown, actor: { name: string; id: number | null }, progress?: PlanProgress): Promise<EditionResult> {
    const { campaign, edition } = await this.preview(sourceSlug, request);
    const result = await this.campaigns.create(campaign, actor, progress);
    return { ...result, edition };
  }
}
