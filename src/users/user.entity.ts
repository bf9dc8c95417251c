import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../campaigns/campaign-definition';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('varchar')
  name!: string;

  @Column('varchar')
  role!: Role;

  /** The member a coordinator or comms user acts for; null for the secretariat. */
  @Column('varchar', { nullable: true })
  member!: string | null;

  /** SHA-256 of the bearer token: tokens are 256 random bits, so a fast hash is enough to store. */
  @Column('varchar', { name: 'token_hash', unique: true })
  tokenHash!: string;

  /** Where approval reminders go; a user without one gets none. */
  @Column('varchar', { nullable: true })
  email!: string | null;

  /** The language of the user's pages and e-mails (a UI_LOCALES tag); null: not chosen. */
  @Column('varchar', { name: 'ui_locale', nullable: true })
  uiLocale!: string | null;

  @Column('varchar', { name: 'created_at' })
  createdAt!: string;

  @Column('varchar', { name: 'deleted_at', nullable: true })
  deletedAt!: string | null;
}
