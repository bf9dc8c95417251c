import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { IsNull, LessThan } from 'typeorm';
import type { AuthUser } from '../common/auth-user';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database } from '../database/database';
import { Mailer } from '../mail/mailer';
import { Clock } from '../time/clock';
import { hashToken } from '../users/token';
import { UserEntity } from '../users/user.entity';
import { SignInLinkEntity } from './sign-in-link.entity';
import { linkExpiry, normalizeEmail, signInLinkMail, signInLinkUrl } from './sign-in-links';

/**
 * One-time sign-in links by e-mail. Asking never tells whether the address belongs to anyone (the
 * page is the same, the mail goes out in the background); a link works once, for 15 minutes, and
 * only its hash is stored. Nothing here logs an address or a token.
 */
@Injectable()
export class SignInLinksService {
  private readonly logger = new Logger('SignInLinks');

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.mailer.enabled;
  }

  /** send(), after the answer has gone: how long it takes must not tell whether the address is anyone's. */
  sendInBackground(email: string): void {
    this.send(email).catch((error: Error) => this.logger.error(`sign-in link not sent: ${error.name}`));
  }

  /** Mails a link to every active user with this address; none, silently, when there is none. */
  async send(email: string): Promise<void> {
    const users = await this.db.manager.createQueryBuilder(UserEntity, 'u')
      .where('lower(u.email) = :email', { email: normalizeEmail(email) })
      .andWhere('u.deletedAt is null')
      .getMany();
    for (const user of users) {
      const token = randomBytes(32).toString('base64url');
      const now = this.clock.now();
      await this.db.write(async (m) => {
        await m.delete(SignInLinkEntity, { expiresAt: LessThan(now.toISOString()) });
        await m.insert(SignInLinkEntity, { tokenHash: hashToken(token), userId: user.id, createdAt: now.toISOString(), expiresAt: linkExpiry(now).toISOString(), usedAt: null });
      });
      try {
        await this.mailer.send(signInLinkMail({ name: user.name, email: user.email!, locale: user.uiLocale }, signInLinkUrl(this.config.publicUrl, token)));
      } catch (error) {
        // The user's id only: the address and the link stay out of the logs.
        this.logger.error(`sign-in link for user ${user.id} not sent: ${(error as Error).name}`);
      }
    }
  }

  /** Whether the link would sign someone in now, without using it (the confirmation page). */
  async isUsable(token: string): Promise<boolean> {
    return (await this.activeUserOf(token)) !== null;
  }

  /**
   * Uses the link: a guarded UPDATE that only an unused, unexpired link passes, so two requests
   * racing with one link (two tabs, two replicas) sign in at most once. The user, or null.
   */
  async use(token: string): Promise<AuthUser | null> {
    const user = await this.activeUserOf(token);
    if (!user) return null;
    const now = this.clock.now().toISOString();
    const result = await this.db.write((m) => m.createQueryBuilder().update(SignInLinkEntity)
      .set({ usedAt: now })
      .where('token_hash = :hash', { hash: hashToken(token) })
      .andWhere('used_at is null')
      .andWhere('expires_at > :now', { now })
      .execute());
    return result.affected === 1 ? user : null;
  }

  private async activeUserOf(token: string): Promise<AuthUser | null> {
    if (!token) return null;
    const link = await this.db.manager.findOneBy(SignInLinkEntity, { tokenHash: hashToken(token), usedAt: IsNull() });
    if (!link || link.expiresAt <= this.clock.now().toISOString()) return null;
    const user = await this.db.manager.findOneBy(UserEntity, { id: link.userId, deletedAt: IsNull() });
    return user ? { id: user.id, name: user.name, role: user.role, member: user.member } : null;
  }
}
