import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A read-only token for calendar subscriptions: calendar clients can only put a secret in the URL,
 * so a leaked URL must not open the whole API. It acts with the role and member of its user.
 */
@Entity('calendar_tokens')
@Index('calendar_tokens_user', ['userId'])
export class CalendarTokenEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('integer', { name: 'user_id' })
  userId!: number;

  /** SHA-256 of the token (256 random bits, like user tokens): shown once, never stored in plain text. */
  @Column('varchar', { name: 'token_hash', unique: true })
  tokenHash!: string;

  @Column('varchar', { name: 'created_at' })
  createdAt!: string;

  @Column('varchar', { name: 'revoked_at', nullable: true })
  revokedAt!: string | null;
}
