import { CanActivate, createParamDecorator, ExecutionContext, ForbiddenException, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { cookieOf, TokenAttempts } from '../common/token-attempts';
import { SESSION_COOKIE, SessionsService, WebSession } from './sessions.service';
import { SignInRequired } from './web-errors';

const NO_SESSION = 'webNoSession';

/** A page anyone may open (the sign-in page, the style sheet). */
export const NoSession = () => SetMetadata(NO_SESSION, true);

type SessionRequest = Request & { webSession?: WebSession };

/**
 * Every page needs a signed-in session unless marked @NoSession(), and every form posted with it
 * must carry the session's CSRF token: checked here once, not by each handler. Signed-in answers
 * are `Cache-Control: no-store`, so a shared or back-buttoned browser does not show them again.
 */
@Injectable()
export class WebSessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
    private readonly attempts: TokenAttempts,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(NO_SESSION, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<SessionRequest>();
    const sessionId = cookieOf(request, SESSION_COOKIE);
    const session = await this.sessions.find(sessionId);
    if (!session) {
      if (sessionId) this.attempts.failed(request);
      throw new SignInRequired();
    }
    context.switchToHttp().getResponse<Response>().setHeader('Cache-Control', 'no-store');
    // Known before the CSRF check, so that refusal too is a page in the user's language.
    request.webSession = session;
    // A multipart body (an image upload) is read after the guards: its form names the token in the URL.
    const csrf = request.is('multipart/form-data') ? request.query?._csrf : request.body?._csrf;
    if (!['GET', 'HEAD'].includes(request.method) && !SessionsService.csrfMatches(session, csrf)) {
      throw new ForbiddenException('this form has expired: reload the page and try again');
    }
    return true;
  }
}

/** The session WebSessionGuard found. */
export const CurrentSession = createParamDecorator((_: unknown, context: ExecutionContext): WebSession =>
  context.switchToHttp().getRequest<SessionRequest>().webSession!);
