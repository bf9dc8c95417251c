import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config';
import { RateLimiter } from './rate-limiter';

/** The session cookie's name (web/sessions.service.ts sets it); here so the limit can see it. */
export const SESSION_COOKIE = 'natc_session';

/** One request header's cookie by name. */
export function cookieOf(request: Pick<Request, 'headers'>, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return value.join('=');
    }
  }
  return undefined;
}

/**
 * The secret a request presents, wherever it carries it: `Authorization: Bearer`, a calendar
 * `?token=`, the sign-in form's `token`, or the session cookie. Undefined when it presents none.
 */
export function presentedToken(request: Pick<Request, 'headers' | 'query' | 'body'>): string | undefined {
  const candidates = [
    /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? request.headers.authorization,
    request.query?.token,
    (request.body as Record<string, unknown> | undefined)?.token,
    cookieOf(request, SESSION_COOKIE),
  ];
  const found = candidates.find((c) => c !== undefined && c !== '');
  return found === undefined ? undefined : typeof found === 'string' ? found : JSON.stringify(found);
}

/**
 * Counts bad tokens per client address and per token (a leaked, revoked subscription URL polled
 * from many places), and refuses every request with a token from either once it is over
 * BAD_TOKEN_LIMIT_PER_MINUTE: a refused address cannot even learn that a good token is good.
 * Requests without a token (health, the sign-in page) never count and are never refused here.
 */
@Injectable()
export class TokenAttempts {
  private readonly limiter: RateLimiter;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limiter = new RateLimiter(config.badTokenLimitPerMinute);
  }

  /** Where a token was presented and turned out bad (unknown, revoked, expired). */
  failed(request: Request, now = Date.now()): void {
    for (const key of this.keys(request)) this.limiter.take(key, now);
  }

  /**
   * A request that costs something whatever its outcome (it sends a sign-in link): counted against
   * its address and against `subject` (the e-mail address it names), digested like tokens. The
   * seconds to wait, 0 when it may go ahead.
   */
  counted(request: Request, subject: string, now = Date.now()): number {
    const keys = [this.addressKey(request), `subject:${digest(subject)}`];
    return Math.max(...keys.map((key) => this.limiter.take(key, now)));
  }

  /** Seconds this request must wait before presenting a token again; 0 when it may. */
  retryAfter(request: Request, now = Date.now()): number {
    if (presentedToken(request) === undefined) return 0;
    return Math.max(0, ...this.keys(request).map((key) => this.limiter.wait(key, now)));
  }

  private keys(request: Request): string[] {
    const token = presentedToken(request);
    return [this.addressKey(request), ...(token === undefined ? [] : [`token:${digest(token)}`])];
  }

  private addressKey(request: Request): string {
    return `address:${request.ip ?? request.socket?.remoteAddress ?? 'unknown'}`;
  }
}

/** Only a digest is kept in memory: guesses are not worth storing, good tokens (and addresses) must not be. */
function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url').slice(0, 22);
}

/** Too many bad tokens: 429 with Retry-After, before any token is looked at. */
export class TooManyBadTokens extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super({ message: `too many invalid tokens from this address: try again in ${retryAfterSeconds} s` }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * The one place the bad-token limit applies: a global guard that runs before any authentication
 * (API bearer, calendar token, sign-in form, web session), on every route.
 */
@Injectable()
export class TokenLimitGuard implements CanActivate {
  constructor(private readonly attempts: TokenAttempts) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const wait = this.attempts.retryAfter(request);
    if (wait > 0) {
      context.switchToHttp().getResponse().setHeader('Retry-After', String(wait));
      throw new TooManyBadTokens(wait);
    }
    return true;
  }
}
