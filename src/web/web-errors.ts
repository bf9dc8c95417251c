import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { SESSION_COOKIE } from '../common/token-attempts';
import { errorPage, FieldProblem } from './error-messages';
import { pageChrome, WebRequest } from './ui-locale';
import { Views } from './views';

/** Thrown by pages when there is no session: the browser goes to the sign-in page. */
export class SignInRequired extends Error {}

/** Pages answer errors with a page in the reader's language (and the right status), never JSON; every 5xx is logged. */
@Catch()
export class WebErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Web');

  constructor(private readonly views: Views) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<WebRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof SignInRequired) {
      // A stale or forged session cookie is dropped, so the browser does not send it again.
      if (request.headers.cookie?.includes(`${SESSION_COOKIE}=`)) response.clearCookie(SESSION_COOKIE, { path: '/' });
      response.redirect(303, `/login?next=${encodeURIComponent(request.originalUrl)}`);
      return;
    }
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status >= 500) this.logger.error(`${request.method} ${withoutSecrets(request.originalUrl)}: ${exception instanceof Error ? exception.stack ?? exception.message : String(exception)}`);
    if (response.headersSent) return;
    const payload = exception instanceof HttpException ? exception.getResponse() : null;
    const english = typeof payload === 'string' ? payload : String((payload as { message?: unknown })?.message ?? STATUS_CODES[status]);
    const fields = (payload as { errors?: FieldProblem[] } | null)?.errors ?? null;
    const chrome = pageChrome(request);
    const page = errorPage(status, english, Array.isArray(fields) ? fields : null, chrome.i18n);
    response.status(status).type('html').send(this.views.render('error', { ...chrome, ...page }));
  }
}

/** A URL fit for the logs: a sign-in link's (or a calendar's) `token=`, an OAuth callback's `code=` and `state=` are secrets, so their values are left out. */
export function withoutSecrets(url: string): string {
  return url.replace(/([?&](?:token|code|state)=)[^&#]*/gi, '$1…');
}
