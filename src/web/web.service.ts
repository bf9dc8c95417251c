import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { AuthUser, canActForMember } from '../common/auth-user';
import { CampaignEntity } from '../campaigns/campaign.entity';
import type { CampaignDefinition } from '../campaigns/campaign-definition';
import { CampaignsService } from '../campaigns/campaigns.service';
import { PreparedCampaign } from '../campaigns/campaign-plan';
import { Database } from '../database/database';
import { ApprovalsService } from '../approvals/approvals.service';
import { parseSteps, POST_ACTIONS, PostAction, transition } from '../approvals/transitions';
import { PostEntity } from '../posts/post.entity';
import type { PostResponse } from '../posts/post.mapper';
import { PostsService } from '../posts/posts.service';
import { MessageRenderer } from '../templates/message-renderer';
import { formatLocalIso, wallTimeOf } from '../time/local-time';
import type { Translator } from '../i18n/i18n';
import { Clock } from '../time/clock';
import { agendaOf, buildCalendarGrid } from './calendar-grid';
import { relativeTo } from './relative-time';
import { networkCounter, previewAccount, previewSpans } from './network-preview';
import { describeHistory } from './post-history';
import { designationFootnotes, memberDisplayName } from '../campaigns/designations';
import type { Network } from '../posts/length';

/** View models of the web pages, from the same services the API uses. */
@Injectable()
export class WebService {
  private prepared = new Map<string, { updatedAt: string; prepared: PreparedCampaign }>();

  constructor(
    private readonly db: Database,
    private readonly campaigns: CampaignsService,
    private readonly posts: PostsService,
    private readonly approvals: ApprovalsService,
    private readonly clock: Clock,
  ) {}

  async campaignList() {
    return this.campaigns.list();
  }

  async campaign(slug: string): Promise<{ entity: CampaignEntity; definition: CampaignDefinition }> {
    const entity = await this.db.manager.findOneBy(CampaignEntity, { slug });
    if (!entity) throw new NotFoundException(`no campaign "${slug}"`);
    return { entity, definition: this.prepare(entity).campaign };
  }

  async calendar(user: AuthUser, slug: string, member: string | undefined, i18n: Translator) {
    const uiLocale = i18n.locale;
    const { entity, definition } = await this.campaign(slug);
    if (member && !canActForMember(user, member)) throw new ForbiddenException(`member ${member} is not yours`);
    const scope = user.role === 'secretariat' ? member : user.member!;
    const qb = this.db.manager.createQueryBuilder(PostEntity, 'p')
      .select(['p.id', 'p.member', 'p.network', 'p.locale', 'p.status', 'p.scheduledAt', 'p.timezone', 'p.length', 'p.limit'])
      .where('p.campaignId = :id', { id: entity.id });
    if (scope) qb.andWhere('p.member = :member', { member: scope });
    const posts = await qb.getMany();
    const members = definition.members
      .filter((m) => !scope || m.code === scope)
      .map((m) => ({ code: m.code, name: m.name[uiLocale] ?? m.name[definition.defaultLocale], timezone: m.timezone }));
    const themeOf = (date: string) => definition.themes.find((t) => t.start <= date && date <= t.end)?.key;
    const longDate = new Intl.DateTimeFormat(i18n.intl, { dateStyle: 'long', timeZone: 'UTC' });
    const weekTitle = (monday: string) => {
      const date = longDate.format(new Date(`${monday}T00:00:00Z`));
      const theme = themeOf(monday);
      return theme ? i18n.t('calendar.weekOfTheme', { date, theme: this.themeTitle(entity, theme, uiLocale) }) : i18n.t('calendar.weekOf', { date });
    };
    const weeks = buildCalendarGrid({
      start: definition.start, end: definition.end, members, uiLocale: i18n.intl, weekTitle,
      posts: posts.map((p) => ({ id: p.id, member: p.member, network: p.network, locale: p.locale, status: p.status, scheduledAt: p.scheduledAt, timezone: p.timezone, overLimit: p.length > p.limit })),
      statusLabel: (status) => i18n.t('status', { status }),
    });
    return {
      campaign: { slug, name: entity.name, start: longDate.format(new Date(`${entity.startDate}T00:00:00Z`)), end: longDate.format(new Date(`${entity.endDate}T00:00:00Z`)) },
      weeks, agenda: agendaOf(weeks), counts: statusCounts(posts.map((p) => p.status), i18n), members: definition.members.map((m) => m.code), member: scope ?? '',
    };
  }

  async post(user: AuthUser, id: number, i18n: Translator) {
    const post = await this.posts.get(user, id);
    const history = await this.posts.history(user, id);
    const entity = await this.db.manager.findOneByOrFail(PostEntity, { id });
    const campaign = await this.db.manager.findOneByOrFail(CampaignEntity, { id: entity.campaignId });
    const prepared = this.prepare(campaign);
    const member = prepared.campaign.members.find((m) => m.code === post.member);
    let source: string | null = null;
    if (member && post.locale !== prepared.campaign.defaultLocale && prepared.templates.locales.get(prepared.campaign.defaultLocale)?.messages.has(post.message)) {
      source = new MessageRenderer(prepared.campaign, prepared.templates).render({
        member, locale: prepared.campaign.defaultLocale, message: post.message, theme: post.theme, date: post.slotDate, network: post.network as never,
      }).text;
    }
    const actions = Object.fromEntries(POST_ACTIONS.map((action) => [action, this.allowed(user, entity, action, campaign.state === 'archived')]));
    const when = new Intl.DateTimeFormat(i18n.intl, { dateStyle: 'full', timeStyle: 'short', timeZone: post.timezone });
    // History and neighbours in the member's zone, like the post's own time: what the member's staff see on their clocks.
    const shortWhen = new Intl.DateTimeFormat(i18n.intl, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: post.timezone });
    const network = post.network as Network;
    const accountName = member ? memberDisplayName(member, post.locale) : post.member;
    const mastodon = member?.channels.find((c) => c.network === network && c.publisher.type === 'mastodon')?.publisher as { instance?: string } | undefined;
    return {
      preview: { ...previewAccount(network, { code: post.member, name: accountName }, mastodon?.instance), spans: previewSpans(post.text), footnotes: designationFootnotes([accountName], post.locale) },
      counter: networkCounter(network, post.length, post.limit),
      neighbours: await this.neighbours(entity, (iso) => shortWhen.format(new Date(iso))),
      post,
      themeTitle: this.themeTitle(campaign, post.theme, i18n.locale),
      awaitingRoleLabel: post.awaitingRole ? i18n.t('roles', { role: post.awaitingRole }) : null,
      campaignSlug: campaign.slug,
      localWhen: when.format(new Date(post.scheduledAt)),
      localTimeInput: wallTimeOf(new Date(post.scheduledAt), post.timezone),
      source,
      sourceLocale: prepared.campaign.defaultLocale,
      history: describeHistory(history, post.approvals, post.approvalSteps.length, (iso) => shortWhen.format(new Date(iso))),
      actions,
      anyAction: Object.values(actions).some(Boolean),
      ...publishingOutcome(post, when),
      archived: campaign.state === 'archived',
    };
  }

  /** The member's posts just before and after this one in time, in the same campaign (the viewer sees the member's posts, so those too). */
  private async neighbours(post: PostEntity, when: (iso: string) => string) {
    const find = async (before: boolean) => {
      const found = await this.db.manager.createQueryBuilder(PostEntity, 'p')
        .select(['p.id', 'p.network', 'p.locale', 'p.scheduledAt'])
        .where('p.campaignId = :campaign and p.member = :member', { campaign: post.campaignId, member: post.member })
        .andWhere(before ? '(p.scheduledAt < :at or (p.scheduledAt = :at and p.id < :id))' : '(p.scheduledAt > :at or (p.scheduledAt = :at and p.id > :id))', { at: post.scheduledAt, id: post.id })
        .orderBy('p.scheduledAt', before ? 'DESC' : 'ASC').addOrderBy('p.id', before ? 'DESC' : 'ASC')
        .limit(1).getOne();
      return found ? { id: found.id, network: found.network, locale: found.locale, scheduledAt: found.scheduledAt, when: when(found.scheduledAt) } : null;
    };
    const [previous, next] = [await find(true), await find(false)];
    return { previous, next, any: Boolean(previous || next) };
  }

  async pending(user: AuthUser, i18n: Translator) {
    const posts = await this.approvals.pending(user);
    const now = this.clock.now();
    const longDate = new Intl.DateTimeFormat(i18n.intl, { dateStyle: 'long', timeZone: 'UTC' });
    const names = await this.memberNames(i18n.locale);
    const weeks = new Map<string, typeof posts>();
    for (const p of posts) {
      const week = mondayOf(p.scheduledAt.slice(0, 10));
      weeks.set(week, [...(weeks.get(week) ?? []), p]);
    }
    return [...weeks].map(([monday, items]) => ({
      monday,
      title: longDate.format(new Date(`${monday}T00:00:00Z`)),
      items: items.map((p) => {
        // Both times in the member's zone, as the post will go out there.
        const local = new Intl.DateTimeFormat(i18n.intl, { dateStyle: 'medium', timeStyle: 'short', timeZone: p.timezone });
        return {
          ...p,
          memberName: names.get(p.member) ?? '',
          when: local.format(new Date(p.scheduledAt)),
          deadlineWhen: local.format(new Date(p.deadline)),
          deadlineIn: relativeTo(new Date(p.deadline), now, i18n.intl),
          one: JSON.stringify([{ id: p.id, revision: p.revision }]),
        };
      }),
      bulk: JSON.stringify(items.map((p) => ({ id: p.id, revision: p.revision }))),
    }));
  }

  async overview(slug: string, i18n: Translator) {
    const { entity, definition } = await this.campaign(slug);
    const rows: { member: string; status: string; scheduled_at: string; timezone: string; id: number; network: string; locale: string; over: number }[] =
      await this.db.manager.query(this.db.sql('select id, member, status, scheduled_at, timezone, network, locale, case when length > max_length then 1 else 0 end as over from posts where campaign_id = ?'), [entity.id]);
    const counts: Record<string, number> = {};
    const perDay = new Map<string, { total: number; approved: number }>();
    for (const r of rows) {
      counts[r.status] = (counts[r.status] ?? 0) + 1;
      const key = `${r.member}|${formatLocalIso(new Date(r.scheduled_at), r.timezone).slice(0, 10)}`;
      const cell = perDay.get(key) ?? { total: 0, approved: 0 };
      cell.total++;
      if (['approved', 'publishing', 'published'].includes(r.status)) cell.approved++;
      perDay.set(key, cell);
    }
    const dates = buildCalendarGrid({ start: definition.start, end: definition.end, members: [], posts: [], uiLocale: 'en' }).flatMap((w) => w.days);
    const coverage = definition.members.map((m) => ({
      member: m.code,
      cells: dates.map((d) => ({ date: d.date, ...(perDay.get(`${m.code}|${d.date}`) ?? { total: 0, approved: 0 }) })),
    }));
    const pick = (test: (r: (typeof rows)[number]) => boolean) => rows.filter(test).slice(0, 200).map((r) => ({ ...r, when: formatLocalIso(new Date(r.scheduled_at), r.timezone) }));
    return {
      campaign: { slug, name: entity.name },
      counts: Object.entries(counts).map(([status, count]) => ({ status, count, label: i18n.t('status', { status }) })),
      dates,
      coverage,
      translations: this.prepare(entity).coverage,
      overLimit: pick((r) => Number(r.over) === 1),
      missed: pick((r) => r.status === 'missed'),
      failed: pick((r) => r.status === 'failed'),
    };
  }

  /** A theme's title in the reader's language, from the campaign's own templates (else its default locale's, else its key). */
  private themeTitle(entity: CampaignEntity, theme: string, locale: string): string {
    const { templates, campaign } = this.prepare(entity);
    return templates.locales.get(locale)?.themes[theme] ?? templates.locales.get(campaign.defaultLocale)?.themes[theme] ?? theme;
  }

  /** Members' names in the reader's language, across the campaigns (the queue may span several). */
  private async memberNames(locale: string): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const entity of await this.db.manager.find(CampaignEntity)) {
      const { campaign } = this.prepare(entity);
      for (const m of campaign.members) if (!names.has(m.code)) names.set(m.code, m.name[locale] ?? m.name[campaign.defaultLocale] ?? '');
    }
    return names;
  }

  private allowed(user: AuthUser, post: PostEntity, action: PostAction, campaignArchived: boolean): boolean {
    return transition(action, {
      status: post.status, steps: parseSteps(post.approvalSteps), approvedSteps: post.approvedSteps, overLimit: post.length > post.limit,
      actor: { role: user.role, ownMember: canActForMember(user, post.member) }, comment: 'x', campaignArchived,
    }).ok;
  }

  /** The campaign with its compiled templates, cached until the campaign changes. */
  private prepare(entity: CampaignEntity): PreparedCampaign {
    const cached = this.prepared.get(entity.slug);
    if (cached?.updatedAt === entity.updatedAt) return cached.prepared;
    const prepared = this.campaigns.prepare(JSON.parse(entity.source));
    this.prepared.set(entity.slug, { updatedAt: entity.updatedAt, prepared });
    return prepared;
  }

}

/**
 * When and where the post went out, and why it did not: the URL is whatever the network (or a
 * person) answered, so it becomes a link only when it is http(s), never `javascript:` or `data:`.
 */
export function publishingOutcome(post: Pick<PostResponse, 'publishedAt' | 'publishedUrl' | 'lastError'>, when: Intl.DateTimeFormat) {
  return {
    outcome: Boolean(post.publishedAt || post.publishedUrl || post.lastError),
    publishedWhen: post.publishedAt ? when.format(new Date(post.publishedAt)) : null,
    publishedLink: post.publishedUrl && /^https?:\/\//i.test(post.publishedUrl) ? post.publishedUrl : null,
  };
}

function statusCounts(statuses: string[], i18n: Translator) {
  const counts = new Map<string, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, count]) => ({ status, count, label: i18n.t('status', { status }) }));
}

function mondayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}
