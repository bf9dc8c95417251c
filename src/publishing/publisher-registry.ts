import { Inject, Injectable } from '@nestjs/common';
import { IsNull, Not } from 'typeorm';
import type { CampaignDefinition, PublisherDefinition } from '../campaigns/campaign-definition';
import { CampaignEntity } from '../campaigns/campaign.entity';
import { APP_CONFIG, AppConfig, graphUrlOf, linkedinApiOf } from '../config/config';
import { Database } from '../database/database';
import { Mailer } from '../mail/mailer';
import type { PostEntity } from '../posts/post.entity';
import { UserEntity } from '../users/user.entity';
import { AccountsService } from '../accounts/accounts.service';
import { Publisher } from './publisher';
import { XPublisher } from './publishers/x.publisher';
import { FacebookPublisher } from './publishers/facebook.publisher';
import { InstagramPublisher } from './publishers/instagram.publisher';
import { LinkedInPublisher } from './publishers/linkedin.publisher';
import { ManualPublisher } from './publishers/manual.publisher';
import { BlueskyPublisher } from './publishers/bluesky.publisher';
import { BlueskySessions } from './publishers/bluesky-sessions';
import { MastodonPublisher } from './publishers/mastodon.publisher';
import { WebhookPublisher } from './publishers/webhook.publisher';
import { SecretStore } from './secrets';

interface CampaignPublishers {
  slug: string;
  /** By `member|network`. */
  publishers: Map<string, PublisherDefinition>;
}

/** Finds the publisher of a post's channel, as its campaign names it, with its secret resolved. */
@Injectable()
export class PublisherRegistry {
  /**
   * Each campaign's publishers as of its `updated_at`. A promise, so that the sends starting together
   * (a dispatcher's whole concurrency, at the first tick after a change) share one read of the
   * definition: sixteen reads of a large campaign's source were a sixth of a 2,000-post burst.
   */
  private readonly definitions = new Map<number, { updatedAt: string; loaded: Promise<CampaignPublishers> }>();
  /** Logged-in Bluesky accounts, kept across sends: logging in per post would hit the login rate limit. */
  private readonly blueskySessions = new BlueskySessions();

  constructor(
    private readonly db: Database,
    private readonly mailer: Mailer,
    private readonly secrets: SecretStore,
    private readonly accounts: AccountsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `campaignUpdatedAt`: the campaign's `updated_at` if the caller has just read it (saves a query per post). */
  async forPost(post: PostEntity, campaignUpdatedAt?: string): Promise<{ publisher: Publisher; type: PublisherDefinition['type']; campaign: string }> {
    const { slug, publishers } = await this.campaign(post.campaignId, campaignUpdatedAt);
    // A channel without `publisher` is manual (contract); the campaign was validated at import.
    const definition: PublisherDefinition = publishers.get(`${post.member}|${post.network}`) ?? { type: 'manual' };
    return { publisher: await this.create(definition, post.member), type: definition.type, campaign: slug };
  }

  /**
   * The publisher a member's channel names and a reader of its secrets, for reading the figures of
   * what it published (issue 15 #2); the secret itself stays in this process.
   */
  async channel(campaignId: number, member: string, network: string): Promise<{ definition: PublisherDefinition; secret: (name: string) => string }> {
    const { publishers } = await this.campaign(campaignId);
    return { definition: publishers.get(`${member}|${network}`) ?? { type: 'manual' }, secret: (name) => this.secret(name) };
  }

  private async create(definition: PublisherDefinition, member: string): Promise<Publisher> {
    const timeout = this.config.publishing.timeoutMs;
    switch (definition.type) {
      case 'webhook':
        return new WebhookPublisher(definition.url, this.secret(definition.secretEnv), timeout);
      case 'mastodon':
        return new MastodonPublisher(definition.instance, this.secret(definition.tokenEnv), timeout);
      case 'bluesky': {
        const account = { service: definition.service, handle: definition.handle, password: this.secret(definition.passwordEnv) };
        return new BlueskyPublisher(account, this.blueskySessions, timeout);
      }
      case 'x':
        return new XPublisher(definition.account, this.accounts, this.config.accounts?.x.apiUrl ?? 'https://api.x.com', timeout);
      case 'facebook':
        return new FacebookPublisher(definition.account, this.accounts, graphUrlOf(this.config), timeout);
      case 'instagram':
        return new InstagramPublisher(definition.account, this.accounts, graphUrlOf(this.config), timeout);
      case 'linkedin':
        return new LinkedInPublisher(definition.account, this.accounts, linkedinApiOf(this.config), timeout);
      case 'manual': {
        const comms = await this.db.manager.find(UserEntity, { where: { role: 'comms', member, deletedAt: IsNull(), email: Not(IsNull()) } });
        return new ManualPublisher(this.mailer, comms.map((u) => ({ name: u.name, email: u.email!, locale: u.uiLocale })), this.config.publicUrl);
      }
    }
  }

  private secret(name: string): string {
    const value = this.secrets.get(name);
    // The campaign was refused at import without it; it can only vanish with a restart.
    if (!value) throw new Error(`the secret ${name} is not set (environment or SECRETS_FILE)`);
    return value;
  }

  private async campaign(id: number, known?: string): Promise<CampaignPublishers> {
    // Only the timestamp is read per post; the definition is read again only when it changed.
    const updatedAt: string = known ?? (await this.db.manager.query(this.db.sql('select updated_at from campaigns where id = ?'), [id]))[0].updated_at;
    const cached = this.definitions.get(id);
    if (cached && cached.updatedAt === updatedAt) return cached.loaded;
    const loaded = this.load(id);
    this.definitions.set(id, { updatedAt, loaded });
    // A failed read is not kept: the next send reads again.
    loaded.catch(() => this.definitions.get(id)?.loaded === loaded && this.definitions.delete(id));
    return loaded;
  }

  private async load(id: number): Promise<CampaignPublishers> {
    const entity = await this.db.manager.findOneByOrFail(CampaignEntity, { id });
    const source = JSON.parse(entity.source) as Pick<CampaignDefinition, 'members'>;
    const publishers = new Map<string, PublisherDefinition>();
    for (const member of source.members) {
      for (const channel of member.channels) if (channel.publisher) publishers.set(`${member.code}|${channel.network}`, channel.publisher);
    }
    return { slug: entity.slug, publishers };
  }
}
