import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who changed a message, when, and its text before and after (edits) or the decision (reviews). */
@Entity('message_history')
@Index('message_history_message', ['folder', 'locale', 'messageKey'])
export class MessageHistoryEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('varchar')
  folder!: string;

  @Column('varchar')
  locale!: string;

  @Column('varchar', { name: 'message_key' })
  messageKey!: string;

  @Column('varchar')
  at!: string;

  @Column('varchar')
  actor!: string;

  @Column('integer', { name: 'actor_id', nullable: true })
  actorId!: number | null;

  /** `edited`, `reviewed` or `returned`. */
  @Column('varchar')
  action!: string;

  @Column('integer')
  revision!: number;

  @Column('text', { name: 'before_text', nullable: true })
  beforeText!: string | null;

  @Column('text', { name: 'before_short', nullable: true })
  beforeShort!: string | null;

  @Column('text', { name: 'after_text', nullable: true })
  afterText!: string | null;

  @Column('text', { name: 'after_short', nullable: true })
  afterShort!: string | null;

  @Column('text', { nullable: true })
  comment!: string | null;
}
