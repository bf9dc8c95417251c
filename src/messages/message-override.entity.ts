import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type ReviewDecision = 'reviewed' | 'returned';

/**
 * One message of one locale of a template folder as changed in the browser: its text (over the
 * shipped file's; null keeps the file's) and its national review, bound to the text it reviewed.
 */
@Entity('message_overrides')
@Unique('message_overrides_key', ['folder', 'locale', 'messageKey'])
export class MessageOverrideEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The folder under templates/ (a campaign's `templates`, shared by its editions). */
  @Column('varchar')
  folder!: string;

  @Column('varchar')
  locale!: string;

  @Column('varchar', { name: 'message_key' })
  messageKey!: string;

  @Column('text', { nullable: true })
  text!: string | null;

  /** Only with `text`: the short form, null for none. */
  @Column('text', { nullable: true })
  short!: string | null;

  /** Rises by one with every save or review; each carries the revision its caller read (0: no row yet). */
  @Column('integer')
  revision!: number;

  @Column('varchar', { name: 'updated_at' })
  updatedAt!: string;

  @Column('varchar', { name: 'updated_by' })
  updatedBy!: string;

  @Column('varchar', { name: 'review_decision', nullable: true })
  reviewDecision!: ReviewDecision | null;

  /** Hash of the text and short form reviewed: a later edit no longer matches it, so needs review again. */
  @Column('varchar', { name: 'review_hash', nullable: true })
  reviewHash!: string | null;

  @Column('varchar', { name: 'reviewed_by', nullable: true })
  reviewedBy!: string | null;

  @Column('varchar', { name: 'reviewed_at', nullable: true })
  reviewedAt!: string | null;

  @Column('text', { name: 'review_comment', nullable: true })
  reviewComment!: string | null;
}
