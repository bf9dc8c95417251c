import { Controller, Get, Header, Param, ParseIntPipe, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccountAlerts, AccountWarning } from '../accounts/account-alerts.service';
import { AccountsService } from '../accounts/accounts.service';
import { ConnectAccountDto } from '../accounts/dto/connect-account.dto';
import { RevisionDto } from '../approvals/dto/approval-action.dto';
import { Public } from '../common/decorators';
import { cookieOf } from '../common/token-attempts';
import { Form, QueryValue } from './form';
import { SESSION_COOKIE, WebSession } from './sessions.service';
import { CurrentSession, WebSessionGuard } from './session.guard';
import { networkName } from '../posts/length';
import { pageChrome, WebRequest } from './ui-locale';
import { Views } from './views';
import { WebErrorFilter } from './web-errors';

/**
 * The connect form's answer redirects to the network's consent page, and browsers hold a form's
 * redirects to the page's CSP `form-action` ('self' everywhere else): this page alone adds those origins.
 */
function allowFormsTo(response: Response, origins: string[]): void {
  const policy = String(response.getHeader('Content-Security-Policy') ?? '');
  if (policy && origins.length) response.setHeader('Content-Security-Policy', policy.replace("form-action 'self'", `form-action 'self' ${origins.join(' ')}`));
}

/**
 * Connected accounts in the browser: the list of a member's accounts, connect (OAuth 2.0 with PKCE,
 * through the network's own consent page), reconnect and disconnect. Who may act is checked by AccountsService.
 */
@ApiExcludeController()
@Public()
@Controller('accounts')
@UseGuards(WebSessionGuard)
@UseFilters(WebErrorFilter)
export class AccountsWebController {
  constructor(
    private readonly views: Views,
    private readonly accounts: AccountsService,
    private readonly alerts: AccountAlerts,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async page(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Res({ passthrough: true }) response: Response, @QueryValue('member') member?: string, @QueryValue('done') done?: string) {
    allowFormsTo(response, this.accounts.authorizeOrigins());
    const chrome = pageChrome(request, session);
    const dates = new Intl.DateTimeFormat(chrome.i18n.intl, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
    const shownMember = session.user.role === 'secretariat' ? member || undefined : session.user.member!;
    const listed = await this.accounts.list(session.user, shownMember);
    const { warnings, reconnect } = await this.alerts.pageState(listed.map((a) => a.id));
    const when = (iso: string) => `${dates.format(new Date(iso))} UTC`;
    const warningText = (w: AccountWarning) => chrome.i18n.t(`accounts.warn.${w.kind}`, { count: w.count, first: w.first ? when(w.first) : '', when: when(w.failsFrom) });
    const accounts = listed.map((account) => ({
      ...account, expiresWhen: account.expiresAt ? when(account.expiresAt) : null, statusKey: account.status.replace('-', '_'),
      // A disconnected account has no tokens left to revoke; one the network refused still has ours to wipe.
      disconnectable: account.status !== 'revoked', reconnectable: reconnect.has(account.id),
      warning: warnings.has(account.id) ? warningText(warnings.get(account.id)!) : null,
    }));
    return this.views.render('accounts', {
      ...chrome, title: chrome.i18n.t('accounts.title'), accounts, member: shownMember ?? '',
      networks: this.accounts.networks().map((network) => ({
        network, label: networkName(network), suggestedName: shownMember ? `${shownMember.toLowerCase()}-${network}` : '',
        asksPage: this.accounts.targetField(network) === 'page', asksOrganization: this.accounts.targetField(network) === 'organization' })),
      done: done === 'connected' || done === 'disconnected' || done === 'notRevoked' ? chrome.i18n.t(`accounts.${done}`) : null,
    });
  }

  /** A POST with the session's CSRF token, answered by a redirect to the network's consent page. */
  @Post('connect/:network')
  async connect(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('network') network: string, @Form(ConnectAccountDto) form: ConnectAccountDto, @Res() response: Response) {
    const url = await this.accounts.startConnect(session.user, cookieOf(request, SESSION_COOKIE)!, { network, member: form.member, name: form.name, page: form.page, organization: form.organization });
    response.redirect(303, url);
  }

  /** Where the network sends the browser back, with `state` and `code` (or `error`). */
  @Get('callback/:network')
  async callback(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('network') network: string, @Res() response: Response,
    @QueryValue('state') state?: string, @QueryValue('code') code?: string, @QueryValue('error') error?: string) {
    const account = await this.accounts.finishConnect(session.user, cookieOf(request, SESSION_COOKIE)!, network, { state, code, error });
    response.redirect(303, `/accounts?member=${encodeURIComponent(account.member)}&done=connected`);
  }

  /** The connect flow again for this account (same member, name, Page or organisation): the callback renews it in place. */
  @Post(':id/reconnect')
  async reconnect(@Req() request: WebRequest, @CurrentSession() session: WebSession, @Param('id', ParseIntPipe) id: number, @Form(RevisionDto) form: RevisionDto, @Res() response: Response) {
    response.redirect(303, await this.accounts.startReconnect(session.user, cookieOf(request, SESSION_COOKIE)!, id, form.revision));
  }

  @Post(':id/disconnect')
  async disconnect(@CurrentSession() session: WebSession, @Param('id', ParseIntPipe) id: number, @Form(RevisionDto) form: RevisionDto, @Res() response: Response) {
    const { account, revokedAtNetwork } = await this.accounts.disconnect(session.user, id, form.revision);
    response.redirect(303, `/accounts?member=${encodeURIComponent(account.member)}&done=${revokedAtNetwork === false ? 'notRevoked' : 'disconnected'}`);
  }
}
