import { Inject, Injectable } from '@nestjs/common';
import { IsNull, Not } from 'typeorm';
import { CampaignDefinition, PublisherDefinition, validateCampaign } from '../campaigns/campaign-definition';
import { CampaignEntity } from '../campaigns/campaign.entity';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database } from '../database/database';
import { Mailer } from '../mail/mailer';
import type { PostEntity } from '../posts/post.entity';
import { UserEntity } from '../users/user.entity';
import { Publisher } from './publisher';
import { ManualPublisher } from './publishers/manual.publisher';
import { MastodonPublisher } from './publishers/mastodon.publisher';
import { WebhookPublisher } from './publishers/webhook.publisher';
import { SecretStore } from './secrets';

/** Finds the publisher of a post's channel, as its campaign names it, with its secret resolved. */
@Injectable()
export class PublisherRegistry {
  private readonly definitions = new Map<number, { updatedAt: string; slug: string; campaign: CampaignDefinition }>();

  constructor(
    private readonly db: Database,
    private readonly mailer: Mailer,
    private readonly secrets: SecretStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async forPost(post: PostEntity): Promise<{ publisher: Publisher; type: PublisherDefinition['type']; campaign: string }> {
    const { slug, campaign } = await this.campaign(post.campaignId);
    const channel = campaign.members.find((m) => m.code === post.member)?.channels.find((c) => c.network === post.network);
    const definition: PublisherDefinition = channel?.publisher ?? { type: 'manual' };
    return { publisher: await this.create(definition, post.member), type: definition.type, campaign: slug };
  }

  private async create(definition: PublisherDefinition, member: string): Promise<Publisher> {
    const timeout = this.config.publishing.timeoutMs;
    switch (definition.type) {
      case 'webhook':
        return new WebhookPublisher(definition.url, this.secret(definition.secretEnv), timeout);
      case 'mastodon':
        return new MastodonPublisher(definition.instance, this.secret(definition.tokenEnv), timeout);
      case 'manual': {
        const comms = await this.db.manager.find(UserEntity, { where: { role: 'comms', member, deletedAt: IsNull(), email: Not(IsNull()) } });
        return new ManualPublisher(this.mailer, comms.map((u) => ({ name: u.name, email: u.email! })), this.config.publicUrl);
      }
    }
  }

  private secret(name: string): string {
    const value = this.secrets.get(name);
    // The campaign was refused at import without it; it can only vanish with a restart.
    if (!value) throw new Error(`the secret ${name} is not set (environment or SECRETS_FILE)`);
    return value;
  }

  private async campaign(id: number) {
    const entity = await this.db.manager.findOneByOrFail(CampaignEntity, { id });
    const cached = this.definitions.get(id);
    if (cached && cached.updatedAt === entity.updatedAt) return cached;
    const result = validateCampaign(JSON.parse(entity.source), this.secrets.asEnv());
    if (!result.ok) throw new Error(`campaign ${entity.slug} no longer validates: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    const fresh = { updatedAt: entity.updatedAt, slug: entity.slug, campaign: result.campaign };
    this.definitions.set(id, fresh);
    return fresh;
  }
}
