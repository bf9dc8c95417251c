import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { AuthUser } from '../common/auth-user';
import { memoLocalIso } from '../time/local-time';
import { csvLine, UTF8_BOM } from '../common/csv';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { ListPostsQuery } from '../posts/dto/list-posts.query';
import { PostsService } from '../posts/posts.service';
import { CSV_COLUMNS, csvRow, ICS_FOOTER, icsEvents, icsHeader, toIcsEvent, uidDomain, type CalendarPost } from './calendar-events';
import { CalendarTokensService } from './calendar-tokens.service';
import type { CalendarExportQuery } from './dto/calendar-export.query';

/** Posts read per query: the posts list's maximum, so 100,000 posts take 100 bounded round trips. */
const PAGE = 1000;

export type CalendarFormat = 'ics' | 'csv';

const CONTENT_TYPES: Record<CalendarFormat, string> = { ics: 'text/calendar; charset=utf-8', csv: 'text/csv; charset=utf-8' };

/** Waits while the client is slower than the database, so unsent pages never pile up in memory. */
function send(response: Response, chunk: string): Promise<void> {
  if (response.write(chunk) || response.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/**
 * The campaign's posts as an iCalendar feed or a CSV file, streamed page by page. Every post the
 * filters select is in it, whatever its status; who may see which member is PostsService.list's rule.
 */
@Injectable()
export class CalendarService {
  /** Posts read per query; tests lower it to cross page boundaries with the shipped campaign. */
  pageSize = PAGE;
  private readonly site: { publicUrl: string; domain: string };

  constructor(
    private readonly posts: PostsService,
    private readonly campaigns: CampaignsService,
    private readonly tokens: CalendarTokensService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.site = { publicUrl: config.publicUrl, domain: uidDomain(config.publicUrl) };
  }

  async export(format: CalendarFormat, slug: string, query: CalendarExportQuery, request: Request, response: Response): Promise<void> {
    const user = await this.tokens.authenticate(request, query.token);
    return this.exportFor(user, format, slug, query, response);
  }

  /** The same export for a caller already authenticated (the web interface's session). */
  async exportFor(user: AuthUser, format: CalendarFormat, slug: string, query: Omit<CalendarExportQuery, 'token'>, response: Response): Promise<void> {
    const filters: ListPostsQuery = { member: query.member, network: query.network, locale: query.locale, status: query.status, limit: this.pageSize };
    // The first page comes before any byte is sent, so 401/403/404 still reach the client as errors.
    const local = memoLocalIso();
    let page = await this.posts.exportPage(user, slug, filters, local);
    const campaign = (await this.campaigns.list()).find((c) => c.slug === slug);
    if (!campaign) throw new NotFoundException(`no campaign "${slug}"`);
    const scope = user.role === 'secretariat' ? query.member : user.member!;
    response.setHeader('Content-Type', CONTENT_TYPES[format]);
    response.setHeader('Content-Disposition', `attachment; filename="${slug}${scope ? `-${scope}` : ''}.${format}"`);
    try {
      await send(response, format === 'ics' ? icsHeader(scope ? `${campaign.name} · ${scope}` : campaign.name) : UTF8_BOM + csvLine([...CSV_COLUMNS]));
      for (;;) {
        // In slices of 50 posts: a page joined into one string would be over V8's large-object size
        // (~128 KB), and such strings are freed only by full collections, so memory grew by page.
        for (let i = 0; i < page.items.length; i += 50) await send(response, this.render(format, page.items.slice(i, i + 50)));
        if (!page.nextCursor || response.destroyed) break;
        page = await this.posts.exportPage(user, slug, { ...filters, cursor: page.nextCursor }, local);
      }
      response.end(format === 'ics' ? ICS_FOOTER : '');
    } catch (error) {
      // Headers are gone: cut the connection so the client sees a failed download, not a short file.
      response.destroy();
      throw error;
    }
  }

  private render(format: CalendarFormat, posts: CalendarPost[]): string {
    if (format === 'ics') return icsEvents(posts.map((post) => toIcsEvent(post, this.site)));
    return posts.map((post) => csvLine(csvRow(post))).join('');
  }
}
