import { Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { IsNull } from 'typeorm';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { AuthUser } from '../common/auth-user';
import { TokenAttempts } from '../common/token-attempts';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database } from '../database/database';
import { Clock } from '../time/clock';
import { UserEntity } from '../users/user.entity';
import { hashToken, newToken } from '../users/token';
import { UsersService } from '../users/users.service';
import { CalendarTokenEntity } from './calendar-token.entity';

export interface CalendarTokenResponse {
  id: number;
  createdAt: string;
}

/**
 * Calendar tokens, and who is calling a calendar route. The global guard knows only user tokens, so a
 * calendar token can never reach another route: the calendar routes are @Public() and check here.
 */
@Injectable()
export class CalendarTokensService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly users: UsersService,
    private readonly campaigns: CampaignsService,
    private readonly attempts: TokenAttempts,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The token is shown here once; only its hash is kept. */
  async create(user: AuthUser, campaign?: string): Promise<CalendarTokenResponse & { token: string; url: string | null }> {
    if (campaign && !(await this.campaigns.list()).some((c) => c.slug === campaign)) throw new NotFoundException(`no campaign "${campaign}"`);
    const token = newToken('cal');
    const row = await this.db.write((m) =>
      m.save(m.create(CalendarTokenEntity, { userId: user.id, tokenHash: hashToken(token), createdAt: this.clock.now().toISOString(), revokedAt: null })),
    );
    const url = campaign ? `${this.config.publicUrl}/api/campaigns/${campaign}/calendar.ics?token=${token}` : null;
    return { id: row.id, createdAt: row.createdAt, token, url };
  }

  async list(user: AuthUser): Promise<CalendarTokenResponse[]> {
    const rows = await this.db.manager.find(CalendarTokenEntity, { where: { userId: user.id, revokedAt: IsNull() }, order: { id: 'ASC' } });
    return rows.map((row) => ({ id: row.id, createdAt: row.createdAt }));
  }

  /** Another user's token answers 404, like one that does not exist: ids are not a way to probe. */
  async revoke(user: AuthUser, id: number): Promise<void> {
    const result = await this.db.write((m) =>
      m.createQueryBuilder().update(CalendarTokenEntity).set({ revokedAt: this.clock.now().toISOString() })
        .where('id = :id AND user_id = :userId AND revoked_at IS NULL', { id, userId: user.id }).execute(),
    );
    if (!result.affected) throw new NotFoundException(`no calendar token ${id}`);
  }

  /**
   * A user token (header or `?token=`) or a calendar token; 401 for anything else, revoked or of a
   * deleted user. A bad token counts towards the request's bad-token limit (TokenAttempts).
   */
  async authenticate(request: Request, queryToken: string | undefined): Promise<AuthUser> {
    const authorization = request.headers.authorization;
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (authorization && !bearer) throw new UnauthorizedException('malformed Authorization header (Authorization: Bearer <token>)');
    const token = bearer ?? queryToken;
    if (!token) throw new UnauthorizedException('missing token: send Authorization: Bearer <token> or add ?token=');
    const user = (await this.users.findByToken(token)) ?? (await this.calendarTokenUser(token));
    if (!user) {
      this.attempts.failed(request);
      throw new UnauthorizedException('invalid or revoked token');
    }
    return user;
  }

  private async calendarTokenUser(token: string): Promise<AuthUser | null> {
    // Read-only join: UsersService has no lookup by id yet, and the user's current role must apply.
    const user = await this.db.manager.createQueryBuilder(UserEntity, 'u')
      .innerJoin(CalendarTokenEntity, 't', 't.userId = u.id')
      .where('t.tokenHash = :hash AND t.revokedAt IS NULL AND u.deletedAt IS NULL', { hash: hashToken(token) })
      .getOne();
    return user ? { id: user.id, name: user.name, role: user.role, member: user.member } : null;
  }
}
