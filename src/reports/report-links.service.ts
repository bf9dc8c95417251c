import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Request } from 'express';
import { IsNull } from 'typeorm';
import { CampaignEntity } from '../campaigns/campaign.entity';
import type { AuthUser } from '../common/auth-user';
import { TokenAttempts } from '../common/token-attempts';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database } from '../database/database';
import { Clock } from '../time/clock';
import { hashToken, newToken } from '../users/token';
import { ReportLinkEntity } from './report-link.entity';

export interface ReportLinkResponse {
  id: number;
  campaign: string;
  createdAt: string;
}

/** Where a public link opens the report: its own path, which nothing else answers to. */
export const SHARED_REPORT_PATH = '/shared-report';

/**
 * Public read-only links to a campaign's report, made and revoked by the secretariat. A link's token
 * is neither a user token nor a session: it opens only its campaign's report page (ReportController).
 */
@Injectable()
export class ReportLinksService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly attempts: TokenAttempts,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The token is in the answer once; only its hash is kept. */
  async create(user: AuthUser, slug: string): Promise<ReportLinkResponse & { token: string; url: string }> {
    const campaign = await this.campaign(slug);
    const token = newToken('rep');
    const row = await this.db.write((m) =>
      m.save(m.create(ReportLinkEntity, { campaignId: campaign.id, tokenHash: hashToken(token), createdBy: user.id, createdAt: this.clock.now().toISOString(), revokedAt: null })),
    );
    return { id: row.id, campaign: slug, createdAt: row.createdAt, token, url: `${this.config.publicUrl}${SHARED_REPORT_PATH}/${token}` };
  }

  async list(slug: string): Promise<ReportLinkResponse[]> {
    const campaign = await this.campaign(slug);
    const rows = await this.db.manager.find(ReportLinkEntity, { where: { campaignId: campaign.id, revokedAt: IsNull() }, order: { id: 'ASC' } });
    return rows.map((row) => ({ id: row.id, campaign: slug, createdAt: row.createdAt }));
  }

  async revoke(id: number): Promise<void> {
    const result = await this.db.write((m) =>
      m.createQueryBuilder().update(ReportLinkEntity).set({ revokedAt: this.clock.now().toISOString() })
        .where('id = :id AND revoked_at IS NULL', { id }).execute(),
    );
    if (!result.affected) throw new NotFoundException(`no report link ${id}`);
  }

  /**
   * The campaign a link opens; 404 for a token unknown or revoked alike (a revoked link tells no more
   * than a wrong one), counted towards the caller's bad-token limit so that guessing is throttled.
   */
  async open(request: Request, token: string): Promise<CampaignEntity> {
    const link = await this.db.manager.findOneBy(ReportLinkEntity, { tokenHash: hashToken(token), revokedAt: IsNull() });
    const campaign = link && (await this.db.manager.findOneBy(CampaignEntity, { id: link.campaignId }));
    if (!campaign) {
      this.attempts.failed(request);
      throw new NotFoundException('this report link does not exist or was revoked');
    }
    return campaign;
  }

  private async campaign(slug: string): Promise<CampaignEntity> {
    const campaign = await this.db.manager.findOneBy(CampaignEntity, { slug });
    if (!campaign) throw new NotFoundException(`no campaign "${slug}"`);
    return campaign;
  }
}
