import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { AuthUser, canActForMember } from '../common/auth-user';
import { CampaignEntity } from '../campaigns/campaign.entity';
import type { CampaignDefinition } from '../campaigns/campaign-definition';
import { CampaignsService } from '../campaigns/campaigns.service';
import { PreparedCampaign, templatesFolderOf } from '../campaigns/campaign-plan';
import { loadMessageEdits } from '../messages/message-edits';
import { NO_EDITS } from '../templates/template-set';
import { Database } from '../database/database';
import { ApprovalsService } from '../approvals/approvals.service';
import { parseSteps, POST_ACTIONS, PostAction, transition } from '../approvals/transitions';
import { PostEntity } from '../posts/post.entity';
import type { PostResponse } from '../posts/post.mapper';
import { PostsService } from '../posts/posts.service';
import { MessageRenderer } from '../templates/message-renderer';
import { formatLocalIso, memoLocalIso, wallTimeOf } from '../time/local-time';
import type { Translator } from '../i18n/i18n';
import { postMediaView } from './post-media-view';
import { Clock } from '../time/clock';
import { agendaOf, buildCalendarGrid } from './calendar-grid';
import { CalendarFilters, textContains, textStart } from './calendar-filters';
import { weekOfDay } from './calendar-links';
import { InvalidInput } from '../common/errors';
import { POST_STATUSES } from '../posts/post-status';

/** The most posts one calendar page shows; past it the page says so and asks for a narrower filter. */
export const CALENDAR_LIMIT = 5000;
/** Where the secretariat works (ICMPD, Vienna): its deadlines are shown in this zone. */
export const SECRETARIAT_ZONE = 'Europe/Vienna';
import { relativeTo } from './relative-time';
import { COVERAGE_STATES, COVERAGE_SYMBOLS, countInto, CoverageCell, emptyCell, missedReason } from './coverage';
import { networkCounter, previewAccount, previewSpans } from './network-preview';
import { describeHistory } from './post-history';
import { designationFootnotes, memberDisplayName } from '../campaigns/designations';
import type { Network } from '../posts/length';

/** View models of the web pages, from the same services the API uses. */
@Injectable()
export class WebService {
  private prepared = new Map<string, { version: string; prepared: PreparedCampaign }>();

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
    return { entity, definition: (await this.refresh(entity)).campaign };
  }

  async calendar(user: AuthUser, slug: string, filters: CalendarFilters, i18n: Translator) {
    const uiLocale = i18n.locale;
    const { entity, definition } = await this.campaign(slug);
    if (filters.member && !canActForMember(user, filters.member)) throw new ForbiddenException(`member ${filters.member} is not yours`);
    // Coordinators and comms see their own member only, whatever the URL says.
    const scope = user.role === 'secretariat' ? filters.member : user.member!;
    const { posts, truncated } = await this.calendarPosts(entity.id, { ...filters, member: scope });
    // A search shows the members it found (200 empty rows would hide them); a member chosen stays, even empty.
    const searched = Boolean(filters.network || filters.locale || filters.theme || filters.status || filters.q);
    const found = new Set(posts.map((p) => p.member));
    const members = definition.members
      .filter((m) => (scope ? m.code === scope : !searched || found.has(m.code)))
      .map((m) => ({ code: m.code, name: m.name[uiLocale] ?? m.name[definition.defaultLocale], timezone: m.timezone, blackout: m.blackout }));
    const themeOf = (date: string) => definition.themes.find((t) => t.start <= date && date <= t.end)?.key;
    const longDate = new Intl.DateTimeFormat(i18n.intl, { dateStyle: 'long', timeZone: 'UTC' });
    const weekTitle = (monday: string) => {
      const date = longDate.format(new Date(`${monday}T00:00:00Z`));
      const theme = themeOf(monday);
      return theme ? i18n.t('calendar.weekOfTheme', { date, theme: this.themeTitle(entity, theme, uiLocale) }) : i18n.t('calendar.weekOf', { date });
    };
    const allWeeks = buildCalendarGrid({
      start: definition.start, end: definition.end, members, uiLocale: i18n.intl, weekTitle,
      posts: posts.map((p) => ({ ...p, text: textStart(p.text) })),
      statusLabel: memo((status) => i18n.t('status', { status })),
    });
    const starts = allWeeks.map((w) => w.days[0].date);
    if (filters.week && !starts.includes(filters.week)) throw new InvalidInput([{ field: 'week', message: `is not a week of the campaign (${starts.join(', ')})` }]);
    const weeks = filters.week ? allWeeks.filter((w) => w.days[0].date === filters.week) : allWeeks;
    const shown = weeks.flatMap((w) => w.rows.flatMap((r) => r.cells.flatMap((c) => c.cards.flatMap((card) => card.posts))));
    return {
      campaign: {
        slug, name: entity.name, start: longDate.format(new Date(`${entity.startDate}T00:00:00Z`)), end: longDate.format(new Date(`${entity.endDate}T00:00:00Z`)),
        archived: entity.state === 'archived', templates: definition.templates, factsToReview: (definition.factsToReview ?? []).join(', '),
      },
      weeks, agenda: agendaOf(weeks),
      members: definition.members.map((m) => m.code), member: scope ?? '',
      choices: {
        networks: [...new Set(definition.members.flatMap((m) => m.channels.map((c) => c.network)))].sort(),
        locales: [...new Set(definition.members.flatMap((m) => m.locales))].sort(),
        themes: definition.themes.map((t) => ({ key: t.key, title: this.themeTitle(entity, t.key, uiLocale) })),
        statuses: POST_STATUSES.map((status) => ({ status, label: i18n.t('status', { status }) })),
      },
      // Every status, named in the reader's language, with how many of the shown posts (this week's, if one) have it.
      legend: POST_STATUSES.map((status) => ({ status, label: i18n.t('status', { status }), count: shown.filter((p) => p.status === status).length })),
      found: shown.length, limit: CALENDAR_LIMIT,
      weekStarts: starts, todayWeek: weekOfDay(starts, this.clock.now().toISOString().slice(0, 10)), truncated,
    };
  }

  /**
   * The posts the calendar's filters select, with their text, in one query on the campaign's
   * indexes; the text search runs in SQL too. At most CALENDAR_LIMIT posts: a page of more finds nothing.
   */
  async calendarPosts(campaignId: number, filters: CalendarFilters) {
    const qb = this.db.manager.createQueryBuilder(PostEntity, 'p')
      .select(['p.id AS id', 'p.member AS member', 'p.network AS network', 'p.locale AS locale', 'p.status AS status', 'p.scheduledAt AS "scheduledAt"', 'p.timezone AS timezone'])
      .addSelect('case when p.length > p.max_length then 1 else 0 end', 'over')
      .addSelect('p.needs_review', 'review')
      // The card shows ~80 graphemes; a few hundred characters are enough to cut them from.
      .addSelect('substr(p.text, 1, 320)', 'text')
      .where('p.campaignId = :id', { id: campaignId });
    for (const field of ['member', 'network', 'locale', 'theme', 'status'] as const) {
      if (filters[field]) qb.andWhere(`p.${field} = :${field}`, { [field]: filters[field] });
    }
    if (filters.q) {
      const search = textContains('p.text', filters.q, this.db.isSqlite);
      qb.andWhere(search.sql, search.params);
    }
    const rows: { id: number; member: string; network: string; locale: string; status: string; scheduledAt: string; timezone: string; over: number; review: number | boolean; text: string }[] =
      await qb.orderBy('p.scheduledAt', 'ASC').addOrderBy('p.id', 'ASC').limit(CALENDAR_LIMIT + 1).getRawMany();
    return {
      posts: rows.slice(0, CALENDAR_LIMIT).map(({ review, ...r }) => ({ ...r, id: Number(r.id), overLimit: Number(r.over) === 1, needsReview: Boolean(Number(review)) })),
      truncated: rows.length > CALENDAR_LIMIT,
    };
  }

  async post(user: AuthUser, id: number, i18n: Translator) {
    const post = await this.posts.get(user, id);
    const history = await this.posts.history(user, id);
    const entity = await this.db.manager.findOneByOrFail(PostEntity, { id });
    const campaign = await this.db.manager.findOneByOrFail(CampaignEntity, { id: entity.campaignId });
    const prepared = await this.refresh(campaign);
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
      media: postMediaView(post, actions.edit, i18n),
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

  /**
   * The approval queue by week, and for the secretariat what is still at earlier steps. The post's
   * own time is shown in its member's zone (where it goes out); its deadline in the reader's zone,
   * which is what they plan their day by, and as "in 3 hours".
   */
  async pending(user: AuthUser, i18n: Translator) {
    const [posts, earlier, directory] = await Promise.all([this.approvals.pending(user), this.approvals.atEarlierSteps(user), this.campaignDirectory(i18n.locale)]);
    const now = this.clock.now();
    const longDate = new Intl.DateTimeFormat(i18n.intl, { dateStyle: 'long', timeZone: 'UTC' });
    const readerZone = user.member ? directory.members.get(user.member)?.timezone ?? SECRETARIAT_ZONE : SECRETARIAT_ZONE;
    const deadlineFormat = new Intl.DateTimeFormat(i18n.intl, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short', timeZone: readerZone });
    const card = (p: (typeof posts)[number]) => ({
      ...p,
      memberName: directory.members.get(p.member)?.name ?? '',
      themeTitle: directory.themeTitle(p.campaign, p.theme),
      when: new Intl.DateTimeFormat(i18n.intl, { dateStyle: 'medium', timeStyle: 'short', timeZone: p.timezone }).format(new Date(p.scheduledAt)),
      deadlineWhen: deadlineFormat.format(new Date(p.deadline)),
      deadlineIn: relativeTo(new Date(p.deadline), now, i18n.intl),
      overdue: Date.parse(p.deadline) < now.getTime(),
      one: JSON.stringify([{ id: p.id, revision: p.revision }]),
      pick: `${p.id}:${p.revision}`,
      excerpt: textStart(p.text, 120),
      nextActor: p.awaitingRole ? i18n.t('approvals.nextActor', { role: p.awaitingRole, member: p.member }) : '',
    });
    const weeks = new Map<string, typeof posts>();
    for (const p of posts) {
      const week = mondayOf(p.scheduledAt.slice(0, 10));
      weeks.set(week, [...(weeks.get(week) ?? []), p]);
    }
    return {
      weeks: [...weeks].map(([monday, items]) => ({
        monday,
        title: longDate.format(new Date(`${monday}T00:00:00Z`)),
        items: items.map(card),
        bulk: JSON.stringify(items.map((p) => ({ id: p.id, revision: p.revision }))),
      })),
      earlier: earlier.map(card),
      readerZone,
    };
  }

  async overview(slug: string, i18n: Translator) {
    const { entity, definition } = await this.campaign(slug);
    const rows: { member: string; status: string; scheduled_at: string; timezone: string; id: number; network: string; locale: string; over: number }[] =
      await this.db.manager.query(this.db.sql('select id, member, status, scheduled_at, timezone, network, locale, case when length > max_length then 1 else 0 end as over from posts where campaign_id = ?'), [entity.id]);
    const counts: Record<string, number> = {};
    const perDay = new Map<string, CoverageCell>();
    const local = memoLocalIso();
    for (const r of rows) {
      counts[r.status] = (counts[r.status] ?? 0) + 1;
      const key = `${r.member}|${local(r.scheduled_at, r.timezone).slice(0, 10)}`;
      const cell = perDay.get(key) ?? emptyCell();
      countInto(cell, r.status);
      perDay.set(key, cell);
    }
    const dates = buildCalendarGrid({ start: definition.start, end: definition.end, members: [], posts: [], uiLocale: i18n.intl }).flatMap((w) => w.days);
    const stateLabel = (state: string) => i18n.t('overview.state', { state });
    const coverage = definition.members.map((m) => ({
      member: m.code,
      cells: dates.map((d) => {
        const cell = perDay.get(`${m.code}|${d.date}`) ?? emptyCell();
        const parts = COVERAGE_STATES.filter((state) => cell[state] > 0).map((state) => ({ state, symbol: COVERAGE_SYMBOLS[state], count: cell[state], label: stateLabel(state) }));
        return { date: d.date, ...cell, parts, blackout: m.blackout?.includes(d.date) ?? false };
      }),
    }));
    const pick = (test: (r: (typeof rows)[number]) => boolean) => rows.filter(test).slice(0, 200).map((r) => ({ ...r, when: formatLocalIso(new Date(r.scheduled_at), r.timezone) }));
    return {
      campaign: { slug, name: entity.name },
      counts: Object.entries(counts).map(([status, count]) => ({ status, count, label: i18n.t('status', { status }) })),
      dates,
      coverage,
      coverageLegend: COVERAGE_STATES.map((state) => ({ state, symbol: COVERAGE_SYMBOLS[state], label: stateLabel(state), statuses: i18n.t('overview.stateStatuses', { state }) })),
      translations: this.prepare(entity).coverage,
      overLimit: pick((r) => Number(r.over) === 1),
      ...(await this.troubles(entity.id, i18n)),
    };
  }

  /** The missed and failed posts (unconfirmed ones with the failed: both need a person to look at the network), each with the start of its text and why: the post's error, or its last event's comment. */
  private async troubles(campaignId: number, i18n: Translator) {
    const rows: { id: number; member: string; network: string; locale: string; status: string; scheduled_at: string; timezone: string; text: string; last_error: string | null; comment: string | null }[] =
      await this.db.manager.query(this.db.sql(`select p.id, p.member, p.network, p.locale, p.status, p.scheduled_at, p.timezone, substr(p.text, 1, 320) as text, p.last_error,
        (select e.comment from post_events e where e.post_id = p.id order by e.id desc limit 1) as comment
        from posts p where p.campaign_id = ? and p.status in ('missed', 'failed', 'unconfirmed') order by p.scheduled_at, p.id limit 400`), [campaignId]);
    const listed = rows.map((r) => {
      const reason = r.status === 'missed' ? missedReason(r.comment) : { text: r.last_error ?? '' };
      return {
        ...r, when: formatLocalIso(new Date(r.scheduled_at), r.timezone), excerpt: textStart(r.text),
        reason: 'key' in reason ? i18n.t('overview.reason', { reason: reason.key }) : null, reasonText: 'text' in reason ? reason.text : null,
      };
    });
    return { missed: listed.filter((r) => r.status === 'missed'), failed: listed.filter((r) => r.status !== 'missed') };
  }

  /** A theme's title in the reader's language, from the campaign's own templates (else its default locale's, else its key). */
  themeTitle(entity: CampaignEntity, theme: string, locale: string): string {
    const { templates, campaign } = this.prepare(entity);
    return templates.locales.get(locale)?.themes[theme] ?? templates.locales.get(campaign.defaultLocale)?.themes[theme] ?? theme;
  }

  /** Members' names and zones, and theme titles, in the reader's language, across the campaigns (the queue may span several). */
  private async campaignDirectory(locale: string) {
    const members = new Map<string, { name: string; timezone: string }>();
    const entities = new Map<string, CampaignEntity>();
    for (const entity of await this.db.manager.find(CampaignEntity)) {
      entities.set(entity.slug, entity);
      const { campaign } = await this.refresh(entity);
      for (const m of campaign.members) if (!members.has(m.code)) members.set(m.code, { name: m.name[locale] ?? m.name[campaign.defaultLocale] ?? '', timezone: m.timezone });
    }
    const themeTitle = (slug: string, theme: string) => {
      const entity = entities.get(slug);
      return entity ? this.themeTitle(entity, theme, locale) : theme;
    };
    return { members, themeTitle };
  }

  private allowed(user: AuthUser, post: PostEntity, action: PostAction, campaignArchived: boolean): boolean {
    return transition(action, {
      status: post.status, steps: parseSteps(post.approvalSteps), approvedSteps: post.approvedSteps, overLimit: post.length > post.limit,
      actor: { role: user.role, ownMember: canActForMember(user, post.member) }, comment: 'x', campaignArchived,
    }).ok;
  }

  /**
   * The campaign with its compiled templates (files and browser edits), cached until the campaign or
   * an edit of its folder changes: an archived campaign sharing an edited folder is not re-planned.
   */
  private async refresh(entity: CampaignEntity): Promise<PreparedCampaign> {
    const source = JSON.parse(entity.source);
    const folder = templatesFolderOf(source);
    const edits = folder ? await loadMessageEdits(this.db.manager, folder) : NO_EDITS;
    const version = `${entity.updatedAt}\0${JSON.stringify([...edits].map(([locale, byKey]) => [locale, [...byKey]]))}`;
    const cached = this.prepared.get(entity.slug);
    if (cached?.version === version) return cached.prepared;
    const prepared = this.campaigns.prepare(source, edits);
    this.prepared.set(entity.slug, { version, prepared });
    return prepared;
  }

  /** The cached preparation; every page's entry point refreshes it first (refresh()). */
  private prepare(entity: CampaignEntity): PreparedCampaign {
    return this.prepared.get(entity.slug)?.prepared ?? this.campaigns.prepare(JSON.parse(entity.source));
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

/** A one-argument function remembered per argument (a status's label is asked for once per post). */
function memo(fn: (key: string) => string): (key: string) => string {
  const known = new Map<string, string>();
  return (key) => known.get(key) ?? known.set(key, fn(key)).get(key)!;
}


function mondayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}
