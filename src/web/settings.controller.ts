import { BadRequestException, Body, ConflictException, Controller, ForbiddenException, Get, Header, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/decorators';
import { CampaignsService, ReplanPreviewResult } from '../campaigns/campaigns.service';
import { archivedReason } from '../campaigns/campaign-life';
import type { Translator } from '../i18n/i18n';
import { WEEKDAYS } from '../time/local-time';
import { campaignFromSettings, readSettingsFields, SettingsError, settingsForm } from './campaign-settings';
import { Form, QueryValue } from './form';
import { ApplySettingsForm } from './settings.forms';
import { CurrentSession, WebSessionGuard } from './session.guard';
import type { WebSession } from './sessions.service';
import { pageChrome, WebRequest } from './ui-locale';
import { Views } from './views';
import { WebErrorFilter } from './web-errors';

type Chrome = ReturnType<typeof pageChrome>;

/** Monday 6 January 2025 and the six days after it: weekday names in the page's language. */
function weekdayNames(i18n: Translator): Record<string, string> {
  const format = new Intl.DateTimeFormat(i18n.intl, { weekday: 'short', timeZone: 'UTC' });
  return Object.fromEntries(WEEKDAYS.map((day, i) => [day, format.format(new Date(Date.UTC(2025, 0, 6 + i)))]));
}

export function secretariatOnly(session: WebSession, what = 'change the campaign settings'): void {
  if (session.user.role !== 'secretariat') throw new ForbiddenException(`only the secretariat may ${what}`);
}

/**
 * The campaign's settings for the secretariat: a form of the object's themes, slots, channels and
 * blackouts → a preview of what the re-plan changes → apply, guarded by the campaign's updatedAt
 * (the token the form was read at), so a campaign changed meanwhile is refused (409), not overwritten.
 */
@ApiExcludeController()
@Public()
@Controller('campaigns/:slug/settings')
@UseGuards(WebSessionGuard)
@UseFilters(WebErrorFilter)
export class SettingsController {
  constructor(
    private readonly views: Views,
    private readonly campaigns: CampaignsService,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async page(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('slug') slug: string, @QueryValue('applied') applied?: string) {
    secretariatOnly(session);
    const { summary, source } = await this.campaigns.stored(slug);
    const figures = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(applied ?? '');
    const done = figures ? { created: figures[1], updated: figures[2], cancelled: figures[3], reset: figures[4] } : null;
    return this.form(pageChrome(request, session), summary, source, summary.updatedAt, [], done);
  }

  @Post('preview')
  async preview(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('slug') slug: string, @Body() body: unknown, @Res() response: Response) {
    secretariatOnly(session);
    const { summary, source } = await this.campaigns.stored(slug);
    // Read-only: refused before its fields are even read, as the API's re-plan refuses it.
    if (summary.state === 'archived') throw new ConflictException(archivedReason(slug));
    const fields = readSettingsFields(body, Array.isArray(source.members) ? source.members.length : 0);
    const chrome = pageChrome(request, session);
    const token = typeof fields.token === 'string' ? fields.token : '';
    const campaign = campaignFromSettings(source, fields);
    let preview: ReplanPreviewResult;
    try {
      preview = await this.campaigns.previewReplan(slug, campaign);
    } catch (error) {
      const problems = validationErrors(error);
      if (!problems) throw error;
      // The same errors as the file's, each at its field, the form as it was sent.
      response.status(400).type('html').send(this.form(chrome, summary, campaign, token, problems, null));
      return;
    }
    if (token !== preview.token) throw new ConflictException(`the campaign changed while this request was prepared (updated ${preview.token}): preview the change again`);
    response.type('html').send(this.views.render('settings-preview', {
      ...chrome, title: chrome.i18n.t('settings.previewTitle', { campaign: summary.name }), campaign: summary,
      preview, token, campaignObject: campaign, warnings: preview.warnings, lists: previewLists(preview, chrome),
    }));
  }

  @Post('apply')
  async apply(@CurrentSession() session: WebSession, @Param('slug') slug: string, @Form(ApplySettingsForm, { json: ['campaign'] }) form: ApplySettingsForm, @Res() response: Response) {
    secretariatOnly(session);
    const result = await this.campaigns.replan(slug, form.campaign, session.user, { expectedUpdatedAt: form.token });
    const { created, updated, cancelled, approvalsReset } = result.plan;
    response.redirect(303, `/campaigns/${encodeURIComponent(slug)}/settings?applied=${created}.${updated}.${cancelled}.${approvalsReset}`);
  }

  private form(chrome: Chrome, summary: { slug: string; name: string; state: string }, campaign: Record<string, unknown>, token: string, errors: SettingsError[], applied: unknown): string {
    return this.views.render('settings', {
      ...chrome, title: chrome.i18n.t('settings.title', { campaign: summary.name }), campaign: summary, token, applied,
      form: settingsForm(campaign, errors, chrome.lang), errorCount: errors.length, readOnly: summary.state === 'archived', weekdayNames: weekdayNames(chrome.i18n),
    });
  }
}

/** A 400's field errors (InvalidInput), or null for any other error (which the page filter answers). */
export function validationErrors(error: unknown): SettingsError[] | null {
  if (!(error instanceof BadRequestException)) return null;
  const body = error.getResponse() as { errors?: SettingsError[] };
  return Array.isArray(body.errors) ? body.errors : null;
}

/** The preview's lists as table rows, local times in the page's language. */
function previewLists(preview: ReplanPreviewResult, chrome: Chrome) {
  const format = new Intl.DateTimeFormat(chrome.i18n.intl, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const when = (local: string) => format.format(new Date(`${local}Z`));
  const row = (post: { localTime: string; toLocalTime?: string }) => ({ ...post, when: when(post.localTime), toWhen: post.toLocalTime && post.toLocalTime !== post.localTime ? when(post.toLocalTime) : null });
  const { plan } = preview;
  const list = (kind: string, posts: { localTime: string; toLocalTime?: string }[], total: number) =>
    ({ kind, title: chrome.i18n.t(`settings.${kind}`), posts: posts.map(row), truncated: total > posts.length });
  return [
    list('changed', preview.changed, plan.updated),
    list('added', preview.added, plan.created),
    list('cancelled', preview.cancelled, plan.cancelled),
    list('skipped', preview.skipped, plan.skippedPosts),
  ];
}
