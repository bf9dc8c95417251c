import { Injectable } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { IsNull, LessThan } from 'typeorm';
import type { AuthUser } from '../common/auth-user';
import { SESSION_COOKIE } from '../common/token-attempts';
import { Database } from '../database/database';
import { Clock } from '../time/clock';
import { hashToken } from '../users/token';
import { UserEntity } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { WebSessionEntity } from './web-session.entity';

export { SESSION_COOKIE };
const LIFETIME_MS = 12 * 3600_000;

export interface WebSession {
  user: AuthUser;
  csrfToken: string;
  /** The user's saved language, if they chose one. */
  uiLocale: string | null;
}

/** Sign-in with an API token (or a sign-in link); the browser then carries only an opaque, HttpOnly session cookie. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly users: UsersService,
  ) {}

  async signIn(token: string): Promise<{ sessionId: string; user: AuthUser } | null> {
    const user = await this.users.findByToken(token.trim());
    return user ? this.open(user) : null;
  }

  /** A new session for a user who has proved who they are (a token, or a sign-in link). */
  async open(user: AuthUser): Promise<{ sessionId: string; user: AuthUser }> {
    const sessionId = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.db.write(async (m) => {
      await m.delete(WebSessionEntity, { expiresAt: LessThan(now.toISOString()) });
      await m.insert(WebSessionEntity, {
        sessionHash: hashToken(sessionId), userId: user.id, csrfToken: randomBytes(24).toString('base64url'),
        createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + LIFETIME_MS).toISOString(),
      });
    });
    return { sessionId, user };
  }

  async find(sessionId: string | undefined): Promise<WebSession | null> {
    if (!sessionId) return null;
    const session = await this.db.manager.findOneBy(WebSessionEntity, { sessionHash: hashToken(sessionId) });
    if (!session || session.expiresAt <= this.clock.now().toISOString()) return null;
    const user = await this.db.manager.findOneBy(UserEntity, { id: session.userId, deletedAt: IsNull() });
    if (!user) return null;
    return { user: { id: user.id, name: user.name, role: user.role, member: user.member }, csrfToken: session.csrfToken, uiLocale: user.uiLocale };
  }

  async signOut(sessionId: string | undefined): Promise<void> {
    if (sessionId) await this.db.write((m) => m.delete(WebSessionEntity, { sessionHash: hashToken(sessionId) }));
  }

  static csrfMatches(session: WebSession, given: unknown): boolean {
    if (typeof given !== 'string' || given.length !== session.csrfToken.length) return false;
    return timingSafeEqual(Buffer.from(given), Buffer.from(session.csrfToken));
  }
}
