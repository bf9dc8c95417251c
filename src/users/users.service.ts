import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { IsNull } from 'typeorm';
import { Clock } from '../time/clock';
import { Database } from '../database/database';
import type { AuthUser } from '../common/auth-user';
import type { Role } from '../campaigns/campaign-definition';
import { InvalidInput } from '../common/errors';
import { UserEntity } from './user.entity';
import { hashToken, newToken } from './token';

export interface UserResponse {
  id: number;
  name: string;
  role: Role;
  member: string | null;
  email: string | null;
}

export function toUserResponse(user: UserEntity): UserResponse {
  return { id: user.id, name: user.name, role: user.role, member: user.member, email: user.email };
}

/** Logged at start while nobody can sign in: a newcomer's first question, answered both ways. */
export const FIRST_USER_HINT = [
  'No user exists yet, so nobody can sign in. Create the first (secretariat) user in one of two ways:',
  '  1. start the service with a secret of your own, which becomes that user\'s bearer token:',
  '       BOOTSTRAP_ADMIN_TOKEN=<at least 24 characters> npm start',
  '  2. or run the CLI, which prints the new user\'s token once (on SQLite, stop the service first: one writer):',
  '       npm run cli -- add-user --name "Your Name" --role secretariat',
].join('\n');

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async findByToken(token: string): Promise<AuthUser | null> {
    const user = await this.db.manager.findOneBy(UserEntity, { tokenHash: hashToken(token), deletedAt: IsNull() });
    return user ? { id: user.id, name: user.name, role: user.role, member: user.member } : null;
  }

  /** Creates a user and returns its token: the only time the token is ever shown. */
  async create(input: { name: string; role: Role; member?: string | null; email?: string | null }): Promise<UserResponse & { token: string }> {
    const member = input.member ?? null;
    if (input.role === 'secretariat' && member) throw new InvalidInput([{ field: 'member', message: 'the secretariat acts for every member: leave member out' }]);
    if (input.role !== 'secretariat' && !member) throw new InvalidInput([{ field: 'member', message: `a ${input.role} user needs the member code they act for` }]);
    if (input.email && !isEmail(input.email)) throw new InvalidInput([{ field: 'email', message: `"${input.email}" is not an e-mail address` }]);
    const token = newToken();
    const user = await this.db.write((m) =>
      m.save(m.create(UserEntity, { name: input.name, role: input.role, member, email: input.email ?? null, tokenHash: hashToken(token), createdAt: this.clock.now().toISOString(), deletedAt: null })),
    );
    return { ...toUserResponse(user), token };
  }

  /** Saves the language the user chose for their pages and e-mails (checked by the caller's DTO). */
  async setUiLocale(id: number, uiLocale: string): Promise<void> {
    await this.db.write((m) => m.update(UserEntity, { id }, { uiLocale }));
  }

  async list(): Promise<UserResponse[]> {
    const users = await this.db.manager.find(UserEntity, { where: { deletedAt: IsNull() }, order: { id: 'ASC' } });
    return users.map(toUserResponse);
  }

  /** A deleted user's token stops working at once; the row stays for the audit trail. */
  async remove(id: number): Promise<void> {
    const result = await this.db.write((m) =>
      m.createQueryBuilder().update(UserEntity).set({ deletedAt: this.clock.now().toISOString() }).where('id = :id AND deleted_at IS NULL', { id }).execute(),
    );
    if (!result.affected) throw new NotFoundException(`no user ${id}`);
  }

  /** After start-up: while no user exists (none bootstrapped either), say how to make the first one. */
  async explainFirstUser(): Promise<void> {
    if ((await this.db.manager.count(UserEntity)) === 0) this.logger.warn(FIRST_USER_HINT);
  }

  /** BOOTSTRAP_ADMIN_TOKEN: the first secretariat user, created only while no user exists. */
  async ensureBootstrapAdmin(token: string | undefined): Promise<void> {
    if (!token) return;
    await this.db.write(async (m) => {
      if ((await m.count(UserEntity)) > 0) return;
      await m.save(m.create(UserEntity, { name: 'admin', role: 'secretariat', member: null, email: null, tokenHash: hashToken(token), createdAt: this.clock.now().toISOString(), deletedAt: null }));
      this.logger.log('created the bootstrap secretariat user "admin" from BOOTSTRAP_ADMIN_TOKEN');
    });
  }
}
