import { Inject, Injectable, Logger } from '@nestjs/common';
import { IsNull, Not } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { approvalLeadMs, CampaignEntity } from '../campaigns/campaign.entity';
import { inActiveCampaign } from '../campaigns/campaign-life';
import { Database } from '../database/database';
import { Mailer } from '../mail/mailer';
import { PostEntity } from '../posts/post.entity';
import { changePosts } from '../posts/post-changes';
import type { PostStatus } from '../posts/post-status';
import { UserEntity } from '../users/user.entity';
import { PendingForReminder, reminderDigest } from './reminder-digest';
import { ReminderEntity } from './reminder.entity';

/** Statuses of a post nobody (fully) approved: at its time it becomes `missed`, never published. */
export const UNAPPROVED: PostStatus[] = ['draft', 'in_review', 'rejected'];

@Injectable()
export class DeadlinesService {
  private readonly logger = new Logger(DeadlinesService.name);

  constructor(
    private readonly db: Database,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Posts whose time came while still unapproved become `missed`, with an audit event each. */
  async markMissed(now: Date): Promise<number> {
    const at = now.toISOString();
    return this.db.write(async (m) => {
      const due = await m.createQueryBuilder(PostEntity, 'p').where('p.status IN (:...unapproved) AND p.scheduledAt <= :at', { unapproved: UNAPPROVED, at })
        .andWhere(inActiveCampaign('p.campaign_id')).take(5000).getMany();
      if (due.length === 0) return 0;
      const { changed } = await changePosts(this.db, m, { at, actor: 'scheduler', actorId: null }, due.map((post) => ({
        id: post.id, expected: { revision: post.revision, status: post.status },
        set: { status: 'missed', approvedSteps: 0, awaitingRole: null, approvedRevision: null },
        event: { action: 'missed', comment: 'not approved by its time' },
      })));
      const missed = changed.length;
      this.logger.log(`${missed} post(s) missed their time unapproved`);
      return missed;
    });
  }

  /**
   * One digest per approver per day, listing every post that awaits their step and whose approval
   * deadline (its time minus the campaign's lead) has come. Returns the addresses mailed.
   */
  async sendReminders(now: Date): Promise<string[]> {
    if (!this.mailer.enabled) return [];
    const day = now.toISOString().slice(0, 10);
    const pending = await this.pendingPastDeadline(now);
    if (pending.length === 0) return [];
    const users = await this.db.manager.find(UserEntity, { where: { deletedAt: IsNull(), email: Not(IsNull()) } });
    const sent: string[] = [];
    for (const user of users) {
      const posts = pending.filter((p) => p.awaitingRole === user.role && (user.role === 'secretariat' || p.member === user.member));
      if (posts.length === 0) continue;
      const claimed = await this.db.write(async (m) => {
        if (await m.findOneBy(ReminderEntity, { userId: user.id, day })) return false;
        await m.insert(ReminderEntity, { userId: user.id, day, sentAt: now.toISOString(), posts: posts.length });
        return true;
      }).catch(() => false); // another replica claimed the same user and day first
      if (!claimed) continue;
      try {
        await this.mailer.send(reminderDigest({ name: user.name, email: user.email!, role: user.role, locale: user.uiLocale }, posts, this.config.publicUrl));
        sent.push(user.email!);
      } catch (error) {
        // Not sent: free the day so the next tick tries again.
        await this.db.write((m) => m.delete(ReminderEntity, { userId: user.id, day }));
        this.logger.error(`reminder to user ${user.id} failed: ${(error as Error).message}`);
      }
    }
    return sent;
  }

  private async pendingPastDeadline(now: Date): Promise<(PendingForReminder & { awaitingRole: string })[]> {
    const campaigns = await this.db.manager.find(CampaignEntity, { where: { state: 'active' } });
    const result: (PendingForReminder & { awaitingRole: string })[] = [];
    for (const campaign of campaigns) {
      const leadMs = approvalLeadMs(campaign);
      const posts = await this.db.manager.createQueryBuilder(PostEntity, 'p')
        .where("p.campaignId = :id AND p.status = 'in_review'", { id: campaign.id })
        .andWhere('p.scheduledAt > :now AND p.scheduledAt <= :cutoff', { now: now.toISOString(), cutoff: new Date(now.getTime() + leadMs).toISOString() })
        .orderBy('p.scheduledAt').getMany();
      for (const p of posts) {
        result.push({
          id: p.id, campaign: campaign.slug, member: p.member, network: p.network, locale: p.locale, timezone: p.timezone,
          scheduledAt: p.scheduledAt, deadline: new Date(Date.parse(p.scheduledAt) - leadMs).toISOString(), text: p.text, awaitingRole: p.awaitingRole!,
        });
      }
    }
    return result;
  }
}
