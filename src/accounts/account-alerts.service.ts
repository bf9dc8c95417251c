import { Inject, Injectable, Logger } from '@nestjs/common';
import { In, IsNull, Not } from 'typeorm';
import { CampaignEntity } from '../campaigns/campaign.entity';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database } from '../database/database';
import { Mailer } from '../mail/mailer';
import { PostEntity } from '../posts/post.entity';
import { Clock } from '../time/clock';
import { UserEntity } from '../users/user.entity';
import { AccountEntity } from './account.entity';
import { AccountAlertFacts, alertCondition, AlertCondition, alertStep, channelsNamingAccounts, DEFAULT_ALERT_DAYS, POST_STATUSES_AT_RISK, PostsAtRisk } from './account-alert-rule';
import { accountAlertMail } from './account-alert-mail';

/** A channel's posts, as the posts table identifies them. */
interface ChannelPosts {
  campaignId: number;
  member: string;
  network: string;
}

/** What the accounts page shows beside an account whose posts would fail. */
export interface AccountWarning {
  kind: AlertCondition['kind'];
  failsFrom: string;
  count: number;
  first: string | null;
}

const NO_POSTS: PostsAtRisk = { count: 0, first: null };

function factsOf(account: AccountEntity): AccountAlertFacts {
  return { status: account.status, expiresAt: account.expiresAt, refreshExpiresAt: account.refreshExpiresAt, hasRefreshToken: account.refreshTokenSealed !== null };
}

/**
 * Alerts before a post would fail (issue 14 #1): an account that must be reconnected, or whose last
 * token ends within ALERT_DAYS, while approved or pending posts are due on a channel naming it after
 * that moment. Each condition is mailed once, whatever the number of replicas: the one that claims it
 * (compare-and-swap on `alert_sent_for`) sends it. Posts and campaigns are only read here.
 */
@Injectable()
export class AccountAlerts {
  private readonly logger = new Logger('AccountAlerts');

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One pass over every account; returns how many mails went out. */
  async run(): Promise<{ mailed: number }> {
    if (!this.mailer.enabled) return { mailed: 0 };
    const now = this.clock.now();
    const channels = await this.channelsByAccount();
    let mailed = 0;
    for (const account of await this.db.manager.find(AccountEntity, { order: { id: 'ASC' } })) {
      const condition = alertCondition(factsOf(account), now, this.alertDays());
      const atRisk = condition ? await this.postsAtRisk(channels.get(account.name) ?? [], condition.failsFrom) : NO_POSTS;
      const step = alertStep(condition, atRisk, account.alertSentFor);
      if (step === 'forget') await this.claim(account, null);
      if (step === 'mail') mailed += await this.mailOnce(account, condition!, atRisk);
    }
    return { mailed };
  }

  /**
   * For the accounts page, one reading of the accounts (by id): `warnings`, those whose approved or pending
   * posts would fail, and which; `reconnect`, those to offer a Reconnect for: refused by the network, or
   * whose last token ends within ALERT_DAYS (a reconnect renews it), whether or not a post would fail yet.
   */
  async pageState(accountIds: number[]): Promise<{ warnings: Map<number, AccountWarning>; reconnect: Set<number> }> {
    const warnings = new Map<number, AccountWarning>();
    const reconnect = new Set<number>();
    if (accountIds.length === 0) return { warnings, reconnect };
    const now = this.clock.now();
    const channels = await this.channelsByAccount();
    for (const account of await this.db.manager.findBy(AccountEntity, { id: In(accountIds) })) {
      const condition = alertCondition(factsOf(account), now, this.alertDays());
      if (!condition) continue;
      reconnect.add(account.id);
      const atRisk = await this.postsAtRisk(channels.get(account.name) ?? [], condition.failsFrom);
      if (atRisk.count > 0) warnings.set(account.id, { kind: condition.kind, failsFrom: condition.failsFrom, ...atRisk });
    }
    return { warnings, reconnect };
  }

  private alertDays(): number {
    return this.config.accountAlertDays ?? DEFAULT_ALERT_DAYS;
  }

  private async mailOnce(account: AccountEntity, condition: AlertCondition, atRisk: PostsAtRisk): Promise<number> {
    const recipients = await this.recipients(account.member);
    // Nobody to tell yet: leave it unclaimed, so that whoever adds an address later is told.
    if (recipients.length === 0 || !(await this.claim(account, condition.key))) return 0;
    let sent = 0;
    for (const user of recipients) {
      await this.mailer.send(accountAlertMail({ name: user.name, email: user.email!, locale: user.uiLocale }, account, condition, atRisk, this.config.publicUrl))
        .then(() => sent++, (e: Error) => this.logger.error(`account alert for ${account.name} to user ${user.id} not sent: ${e.message}`));
    }
    // Not one went out (the SMTP server is down): give the claim back, so a later run tries again.
    if (sent === 0) await this.claim({ ...account, alertSentFor: condition.key }, account.alertSentFor);
    else this.logger.warn({ message: `account ${account.name} alerted: ${condition.key}`, account: account.name, member: account.member, posts: atRisk.count });
    return sent;
  }

  /** The secretariat and the member's comms staff with an e-mail address, as failure alerts go. */
  private async recipients(member: string): Promise<UserEntity[]> {
    const users = await this.db.manager.find(UserEntity, { where: { deletedAt: IsNull(), email: Not(IsNull()) }, order: { id: 'ASC' } });
    return users.filter((u) => u.role === 'secretariat' || (u.role === 'comms' && u.member === member));
  }

  /**
   * Compare-and-swap on what was read: the condition mailed last and the account's revision (an account
   * changed since it was read is looked at again next run). Leaves `revision` as it is, so an alert never
   * makes a page's disconnect form stale.
   */
  private claim(account: AccountEntity, key: string | null): Promise<boolean> {
    const previous = account.alertSentFor;
    return this.db.write(async (m) => {
      const result = await m.createQueryBuilder().update(AccountEntity)
        .set({ alertSentFor: key, alertSentAt: key === null ? null : this.clock.now().toISOString() })
        .where(`id = :id AND revision = :revision AND ${previous === null ? 'alert_sent_for IS NULL' : 'alert_sent_for = :previous'}`, { id: account.id, revision: account.revision, previous })
        .execute();
      return result.affected === 1;
    });
  }

  /** Which channels of the campaigns still running name each account. */
  private async channelsByAccount(): Promise<Map<string, ChannelPosts[]>> {
    const byAccount = new Map<string, ChannelPosts[]>();
    const campaigns = await this.db.manager.find(CampaignEntity, { where: { state: Not('archived') }, select: { id: true, source: true } });
    for (const campaign of campaigns) {
      for (const channel of channelsNamingAccounts(campaign.source)) {
        byAccount.set(channel.account, [...(byAccount.get(channel.account) ?? []), { campaignId: campaign.id, member: channel.member, network: channel.network }]);
      }
    }
    return byAccount;
  }

  /** The approved or pending posts of these channels due after `after` (ISO): how many, and the first one's time. */
  private async postsAtRisk(channels: ChannelPosts[], after: string): Promise<PostsAtRisk> {
    let count = 0;
    let first: string | null = null;
    for (const channel of channels) {
      const row = await this.db.manager.createQueryBuilder(PostEntity, 'p')
        .select('count(*)', 'count').addSelect('min(p.scheduledAt)', 'first')
        .where('p.campaignId = :campaignId AND p.member = :member AND p.network = :network', channel)
        .andWhere('p.status IN (:...statuses) AND p.scheduledAt > :after', { statuses: [...POST_STATUSES_AT_RISK], after })
        .getRawOne<{ count: string | number; first: string | null }>();
      count += Number(row?.count ?? 0);
      if (row?.first && (first === null || row.first < first)) first = row.first;
    }
    return { count, first };
  }
}
