import { CanActivate, ExecutionContext, ForbiddenException, HttpException, HttpStatus, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../campaigns/campaign-definition';
import { UsersService } from '../users/users.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ALLOWED_ROLES, PUBLIC_ROUTE } from './decorators';
import { RateLimiter } from './rate-limiter';
import { TokenAttempts } from './token-attempts';

/**
 * Every route needs a valid bearer token unless marked @Public(); @Roles() narrows who may call it.
 * Each user gets RATE_LIMIT_PER_MINUTE requests a minute; bad tokens count in TokenAttempts.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly reflector: Reflector,
    private readonly users: UsersService,
    private readonly attempts: TokenAttempts,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limiter = new RateLimiter(config.rateLimitPerMinute);
  }

  private limit(context: ExecutionContext, key: string): void {
    const wait = this.limiter.take(key, Date.now());
    if (wait > 0) {
      context.switchToHttp().getResponse().setHeader('Retry-After', String(wait));
      throw new HttpException({ message: `too many requests: try again in ${wait} s` }, HttpStatus.TOO_MANY_REQUESTS);
    }
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const header: string | undefined = request.headers.authorization;
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!token) throw new UnauthorizedException('missing bearer token (Authorization: Bearer <token>)');
    const user = await this.users.findByToken(token);
    if (!user) {
      this.attempts.failed(request);
      throw new UnauthorizedException('invalid or revoked token');
    }
    this.limit(context, `user:${user.id}`);
    request.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (roles && !roles.includes(user.role)) {
      throw new ForbiddenException(`this action needs the role ${roles.join(' or ')}; you are ${user.role}`);
    }
    return true;
  }
}
