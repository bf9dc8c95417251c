import { Injectable, NotFoundException } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthUser } from '../common/auth-user';
import { NotYours } from '../common/errors';
import { csvLine, UTF8_BOM } from '../common/csv';
import { Database } from '../database/database';
import { CampaignEntity } from '../campaigns/campaign.entity';
import { AuditRow, campaignEventsPage } from '../posts/post-events';

const PAGE = 5000;
const COLUMNS = ['at', 'post', 'member', 'network', 'locale', 'actor', 'action', 'fromStatus', 'toStatus', 'comment', 'revision', 'textHash', 'scheduledAt'] as const;

/** The campaign's audit log, streamed page by page in bounded memory, as JSON or CSV. */
@Injectable()
export class AuditService {
  constructor(private readonly db: Database) {}

  async export(user: AuthUser, slug: string, format: 'json' | 'csv', member: string | undefined, response: Response): Promise<void> {
    const campaign = await this.db.manager.findOneBy(CampaignEntity, { slug });
    if (!campaign) throw new NotFoundException(`no campaign "${slug}"`);
    if (member && user.role !== 'secretariat' && member !== user.member) throw new NotYours(`member ${member}`);
    const scope = user.role === 'secretariat' ? member : user.member!;
    const name = `${slug}-audit${scope ? `-${scope}` : ''}`;
    if (format === 'csv') {
      response.setHeader('Content-Type', 'text/csv; charset=utf-8');
      response.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
      response.write(UTF8_BOM + csvLine([...COLUMNS]));
    } else {
      response.setHeader('Content-Type', 'application/json; charset=utf-8');
      response.setHeader('Content-Disposition', `attachment; filename="${name}.json"`);
      response.write('[');
    }
    let after = 0;
    let first = true;
    for (;;) {
      const rows = await this.page(campaign.id, scope, after);
      for (const row of rows) {
        const { event_id: _, ...entry } = row;
        if (format === 'csv') response.write(csvLine(COLUMNS.map((c) => entry[c])));
        else response.write(`${first ? '' : ','}\n${JSON.stringify({ ...entry, post: Number(entry.post), revision: Number(entry.revision) })}`);
        first = false;
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].event_id;
    }
    response.end(format === 'csv' ? '' : '\n]\n');
  }

  private page(campaignId: number, member: string | undefined, after: number): Promise<AuditRow[]> {
    return campaignEventsPage(this.db, campaignId, member, after, PAGE);
  }
}
