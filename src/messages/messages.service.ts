import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/config';
import { exportLocaleYaml } from '../templates/template-export';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user';
import { InvalidInput } from '../common/errors';
import { Shutdown } from '../common/shutdown';
import { Database } from '../database/database';
import { CampaignEntity } from '../campaigns/campaign.entity';
import { archivedReason } from '../campaigns/campaign-life';
import type { CampaignDefinition } from '../campaigns/campaign-definition';
import { PreparedCampaign, templatesFolderOf } from '../campaigns/campaign-plan';
import { CampaignsService, PlanResult } from '../campaigns/campaigns.service';
import type { MessageEdits } from '../templates/template-set';
import { Clock } from '../time/clock';
import { loadMessageEdits } from './message-edits';
import { MessageEntry, MessageTexts, messageEntries, reviewHash, saveErrors } from './message-entries';
import { MessageHistoryEntity } from './message-history.entity';
import { MessageOverrideEntity } from './message-override.entity';
import { MemberPreview, messagePreviews } from './message-previews';
import type { ReviewMessageDto, SaveMessageDto } from './dto/save-message.dto';

type Actor = Pick<AuthUser, 'id' | 'name'>;

export interface SaveResult {
  message: MessageEntry;
  /** The re-plan of every active campaign that uses the message's folder. */
  plans: { campaign: string; plan: PlanResult['plan'] }[];
}

interface Loaded {
  entity: CampaignEntity;
  input: Record<string, unknown>;
  folder: string;
  prepared: PreparedCampaign;
}

/** Locales the user may read and review: the secretariat every one, others their member's. */
export function localesOf(user: Pick<AuthUser, 'role' | 'member'>, campaign: CampaignDefinition): Set<string> | 'all' {
  if (user.role === 'secretariat') return 'all';
  return new Set(campaign.members.find((m) => m.code === user.member)?.locales ?? []);
}

function withEdit(edits: MessageEdits, locale: string, key: string, texts: MessageTexts): MessageEdits {
  const copy = new Map([...edits].map(([l, byKey]) => [l, new Map(byKey)]));
  if (!copy.has(locale)) copy.set(locale, new Map());
  copy.get(locale)!.set(key, texts);
  return copy;
}

/**
 * Messages edited and reviewed in the browser, stored over the shipped template files by folder,
 * locale and key. A save is compiled as an import would, then re-plans, in the same transaction,
 * every active campaign that uses the folder: only posts whose text changes lose their approvals.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly db: Database,
    private readonly campaigns: CampaignsService,
    private readonly clock: Clock,
    private readonly shutdown: Shutdown,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The campaign's template folder as files again, edits and reviews written in (`cli export-templates`):
   * every `<locale>.yaml` of the folder, and one for each locale translated only in the browser.
   */
  async exportFolder(slug: string): Promise<{ folder: string; files: { locale: string; yaml: string }[] }> {
    const loaded = await this.load(this.db.manager, slug);
    const dir = join(this.config.templatesDir, loaded.folder);
    const edits = await loadMessageEdits(this.db.manager, loaded.folder);
    const shipped = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length)) : [];
    const reviews = (await this.entries(this.db.manager, loaded)).filter((e) => e.review === 'reviewed' && e.reviewedAt);
    const files = [...new Set([...shipped, ...edits.keys()])].sort().map((locale) => ({
      locale,
      yaml: exportLocaleYaml({
        locale,
        file: shipped.includes(locale) ? readFileSync(join(dir, `${locale}.yaml`), 'utf8') : undefined,
        edits: edits.get(locale) ?? new Map(),
        reviewedBy: new Map(reviews.filter((e) => e.locale === locale).map((e) => [e.key, `${e.reviewedBy} (${e.reviewedAt!.slice(0, 10)})`])),
      }),
    }));
    return { folder: loaded.folder, files };
  }

  async list(user: AuthUser, slug: string): Promise<MessageEntry[]> {
    const loaded = await this.load(this.db.manager, slug);
    const visible = localesOf(user, loaded.prepared.campaign);
    return (await this.entries(this.db.manager, loaded)).filter((e) => visible === 'all' || visible.has(e.locale));
  }

  async get(user: AuthUser, slug: string, key: string, locale: string): Promise<MessageEntry> {
    const loaded = await this.load(this.db.manager, slug);
    return this.entryFor(user, loaded, await this.entries(this.db.manager, loaded), key, locale);
  }

  async history(user: AuthUser, slug: string, key: string, locale: string) {
    const loaded = await this.load(this.db.manager, slug);
    this.entryFor(user, loaded, await this.entries(this.db.manager, loaded), key, locale);
    const rows = await this.db.manager.find(MessageHistoryEntity, { where: { folder: loaded.folder, locale, messageKey: key }, order: { id: 'ASC' } });
    return rows.map((r) => ({
      at: r.at, actor: r.actor, action: r.action, revision: r.revision, comment: r.comment,
      before: r.beforeText === null ? null : { text: r.beforeText, short: r.beforeShort },
      after: r.afterText === null ? null : { text: r.afterText, short: r.afterShort },
    }));
  }

  /**
   * The editor's view of one message and locale: the entry and how each member using the locale
   * would post it, with a draft not yet saved (`draft`) compiled and rendered as a save would.
   */
  async preview(user: AuthUser, slug: string, key: string, locale: string, draft?: Pick<SaveMessageDto, 'text' | 'short'>): Promise<{ entry: MessageEntry; previews: MemberPreview[]; errors: { field: string; message: string }[]; campaign: CampaignEntity; defaultLocale: string }> {
    const loaded = await this.load(this.db.manager, slug);
    const entry = this.entryFor(user, loaded, await this.entries(this.db.manager, loaded), key, locale);
    let prepared = loaded.prepared;
    if (draft) {
      const texts = { text: draft.text, short: draft.short === undefined ? entry.translation?.short ?? null : draft.short || null };
      const result = this.campaigns.check(loaded.input, withEdit(await loadMessageEdits(this.db.manager, loaded.folder), locale, key, texts));
      if (!result.ok) return { entry, previews: [], errors: saveErrors(result.templateErrors, { locale, key }), campaign: loaded.entity, defaultLocale: loaded.prepared.campaign.defaultLocale };
      prepared = result.prepared;
    }
    const previews = messagePreviews(prepared.campaign, prepared.templates, key, locale);
    return { entry, previews, errors: [], campaign: loaded.entity, defaultLocale: prepared.campaign.defaultLocale };
  }

  /** Saves the text of one message and locale (secretariat), then re-plans; a refused save changes nothing. */
  async save(user: AuthUser, slug: string, key: string, locale: string, dto: SaveMessageDto): Promise<SaveResult> {
    if (user.role !== 'secretariat') throw new ForbiddenException('only the secretariat edits messages');
    return this.shutdown.track((signal) => this.db.write(async (m) => {
      const loaded = await this.load(m, slug);
      if (loaded.entity.state === 'archived') throw new ConflictException(archivedReason(slug));
      const before = this.entryFor(user, loaded, await this.entries(m, loaded), key, locale);
      const row = await m.findOneBy(MessageOverrideEntity, { folder: loaded.folder, locale, messageKey: key });
      this.checkRevision(row, dto.revision, key, locale);
      const shortGiven = dto.short !== undefined;
      const after: MessageTexts = { text: dto.text, short: shortGiven ? dto.short || null : before.translation?.short ?? null };
      const users = await this.activeUsersOf(m, loaded.folder);
      const edits = withEdit(await loadMessageEdits(m, loaded.folder), locale, key, after);
      this.checkCompiles(users, edits, { locale, key });
      const now = this.clock.now().toISOString();
      await this.writeRow(m, row, { folder: loaded.folder, locale, messageKey: key, text: after.text, short: after.short, updatedAt: now, updatedBy: user.name });
      await m.insert(MessageHistoryEntity, {
        folder: loaded.folder, locale, messageKey: key, at: now, actor: user.name, actorId: user.id, action: 'edited', revision: dto.revision + 1,
        beforeText: before.translation?.text ?? null, beforeShort: before.translation?.short ?? null, afterText: after.text, afterShort: after.short, comment: null,
      });
      const plans = await this.replanUsers(m, loaded.folder, user, signal);
      const reloaded = await this.load(m, slug);
      return { message: this.entryFor(user, reloaded, await this.entries(m, reloaded), key, locale), plans };
    }));
  }

  /**
   * A national review of one translation (issue 12 #3): `reviewed`, bound to the text reviewed, or
   * `returned` with a comment. Coordinators review their member's locales only, the secretariat any.
   * The campaigns using the folder are re-planned so that their posts' review flags follow.
   */
  async review(user: AuthUser, slug: string, key: string, locale: string, dto: ReviewMessageDto): Promise<SaveResult> {
    if (user.role !== 'secretariat' && user.role !== 'coordinator') throw new ForbiddenException('only coordinators and the secretariat review translations');
    const comment = dto.comment?.trim() || null;
    if (dto.decision === 'returned' && !comment) throw new InvalidInput([{ field: 'comment', message: 'is required to send a translation back: say what to change' }]);
    return this.shutdown.track((signal) => this.db.write(async (m) => {
      const loaded = await this.load(m, slug);
      const entry = this.entryFor(user, loaded, await this.entries(m, loaded), key, locale);
      if (loaded.entity.state === 'archived') throw new ConflictException(archivedReason(slug));
      if (entry.review === 'source') throw new ConflictException(`${locale} is the campaign's default locale: its messages are the source, not a translation to review`);
      if (!entry.translation) throw new ConflictException(`${key} has no ${locale} translation to review yet (its posts use the ${loaded.prepared.campaign.defaultLocale} text)`);
      const row = await m.findOneBy(MessageOverrideEntity, { folder: loaded.folder, locale, messageKey: key });
      this.checkRevision(row, dto.revision, key, locale);
      const now = this.clock.now().toISOString();
      await this.writeRow(m, row, {
        folder: loaded.folder, locale, messageKey: key, ...(row ? {} : { text: null, short: null }), updatedAt: now, updatedBy: user.name,
        reviewDecision: dto.decision, reviewHash: reviewHash(entry.translation), reviewedBy: user.name, reviewedAt: now, reviewComment: comment,
      });
      await m.insert(MessageHistoryEntity, {
        folder: loaded.folder, locale, messageKey: key, at: now, actor: user.name, actorId: user.id, action: dto.decision, revision: dto.revision + 1,
        beforeText: null, beforeShort: null, afterText: null, afterShort: null, comment,
      });
      const plans = await this.replanUsers(m, loaded.folder, user, signal);
      const reloaded = await this.load(m, slug);
      return { message: this.entryFor(user, reloaded, await this.entries(m, reloaded), key, locale), plans };
    }));
  }

  private async replanUsers(m: EntityManager, folder: string, user: AuthUser, signal: AbortSignal) {
    const plans = [];
    for (const campaign of await this.activeUsersOf(m, folder)) {
      const result = await this.campaigns.replanIn(m, campaign.slug, JSON.parse(campaign.source), this.actor(user), { signal });
      plans.push({ campaign: campaign.slug, plan: result.plan });
    }
    return plans;
  }

  private actor(user: Actor) {
    return { name: user.name, id: user.id };
  }

  private checkRevision(row: MessageOverrideEntity | null, revision: number, key: string, locale: string): void {
    const current = row?.revision ?? 0;
    if (revision !== current) {
      throw new ConflictException({ message: `revision ${revision} is stale: ${key} (${locale}) is at revision ${current}; reload it and try again`, currentRevision: current });
    }
  }

  /** Every campaign that would use the new text must compile it, as an import would; else nothing is saved. */
  private checkCompiles(users: CampaignEntity[], edits: MessageEdits, saved: { locale: string; key: string }): void {
    for (const campaign of users) {
      const result = this.campaigns.check(JSON.parse(campaign.source), edits);
      if (!result.ok) {
        const errors = result.templateErrors.length > 0 ? saveErrors(result.templateErrors, saved) : result.fieldErrors.map((e) => ({ field: `campaign ${campaign.slug}: ${e.path}`, message: e.message }));
        throw new InvalidInput(errors);
      }
    }
  }

  /** Writes the row at the revision read: a concurrent save (another replica) makes this one 409. */
  private async writeRow(m: EntityManager, row: MessageOverrideEntity | null, values: Partial<MessageOverrideEntity>): Promise<void> {
    if (row) {
      const result = await m.createQueryBuilder().update(MessageOverrideEntity).set({ ...values, revision: row.revision + 1 })
        .where('id = :id and revision = :revision', { id: row.id, revision: row.revision }).execute();
      if (!result.affected) throw new ConflictException(`${row.messageKey} (${row.locale}) was changed meanwhile; reload it and try again`);
      return;
    }
    try {
      await m.insert(MessageOverrideEntity, { ...values, revision: 1 } as MessageOverrideEntity);
    } catch (e) {
      if (/unique|duplicate/i.test(String((e as Error).message))) throw new ConflictException(`${values.messageKey} (${values.locale}) was changed meanwhile; reload it and try again`);
      throw e;
    }
  }

  /** Active campaigns whose messages live in this folder (editions share their source's). */
  private async activeUsersOf(m: EntityManager, folder: string): Promise<CampaignEntity[]> {
    const all = await m.find(CampaignEntity, { where: { state: 'active' }, order: { id: 'ASC' } });
    return all.filter((c) => templatesFolderOf(JSON.parse(c.source)) === folder);
  }

  private async load(m: EntityManager, slug: string): Promise<Loaded> {
    const entity = await m.findOneBy(CampaignEntity, { slug });
    if (!entity) throw new NotFoundException(`no campaign "${slug}"`);
    const input = JSON.parse(entity.source) as Record<string, unknown>;
    const folder = templatesFolderOf(input)!;
    const prepared = this.campaigns.prepare(input, await loadMessageEdits(m, folder));
    return { entity, input, folder, prepared };
  }

  private async entries(m: EntityManager, loaded: Loaded): Promise<MessageEntry[]> {
    const rows = await m.find(MessageOverrideEntity, { where: { folder: loaded.folder } });
    return messageEntries(loaded.prepared.campaign, loaded.prepared.templates, rows);
  }

  private entryFor(user: AuthUser, loaded: Loaded, entries: MessageEntry[], key: string, locale: string): MessageEntry {
    const entry = entries.find((e) => e.key === key && e.locale === locale);
    if (!entry) throw new NotFoundException(`campaign "${loaded.entity.slug}" uses no message "${key}" in locale "${locale}"`);
    const visible = localesOf(user, loaded.prepared.campaign);
    if (visible !== 'all' && !visible.has(locale)) throw new ForbiddenException(`locale ${locale} is not one of your member's (${[...visible].join(', ')})`);
    return entry;
  }
}
