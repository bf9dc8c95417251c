import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Network } from './length';
import type { PostStatus } from './post-status';
import type { Role } from '../campaigns/campaign-definition';

@Entity('posts')
@Index('posts_identity', ['campaignId', 'member', 'network', 'locale', 'slotDate', 'slotOrdinal'], { unique: true })
@Index('posts_campaign_schedule', ['campaignId', 'scheduledAt', 'id'])
@Index('posts_status_schedule', ['status', 'scheduledAt'])
@Index('posts_awaiting', ['awaitingRole', 'member', 'scheduledAt'])
@Index('posts_status_lease', ['status', 'leaseUntil'])
export class PostEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('integer', { name: 'campaign_id' })
  campaignId!: number;

  @Column('varchar')
  member!: string;

  @Column('varchar')
  network!: Network;

  @Column('varchar')
  locale!: string;

  @Column('varchar')
  theme!: string;

  @Column('varchar')
  message!: string;

  @Column('varchar', { name: 'slot_date' })
  slotDate!: string;

  @Column('integer', { name: 'slot_ordinal' })
  slotOrdinal!: number;

  /** The member's wall clock (`2021-10-29T10:00`); with `timezone` it is the truth, `scheduledAt` derives from it. */
  @Column('varchar', { name: 'local_time' })
  localTime!: string;

  @Column('varchar')
  timezone!: string;

  /** UTC instant, fixed-width ISO 8601, so text order is time order on every database. */
  @Column('varchar', { name: 'scheduled_at' })
  scheduledAt!: string;

  @Column('text')
  text!: string;

  @Column('varchar', { name: 'text_hash' })
  textHash!: string;

  @Column('integer')
  length!: number;

  @Column('integer', { name: 'max_length' })
  limit!: number;

  @Column('varchar')
  variant!: 'text' | 'short';

  @Column('boolean')
  fallback!: boolean;

  @Column('boolean', { name: 'needs_review' })
  needsReview!: boolean;

  /** Hash of what the plan last produced (text and local time): a re-plan rewrites only when it moves. */
  @Column('varchar', { name: 'planned_hash' })
  plannedHash!: string;

  @Column('varchar')
  status!: PostStatus;

  /** The member's approval steps when planned, in order: `coordinator,secretariat`. */
  @Column('varchar', { name: 'approval_steps' })
  approvalSteps!: string;

  /** How many of those steps have approved the current text and time. */
  @Column('integer', { name: 'approved_steps' })
  approvedSteps!: number;

  /** The role whose step is next while the post is in review; null otherwise. */
  @Column('varchar', { name: 'awaiting_role', nullable: true })
  awaitingRole!: Role | null;

  /** The revision the last step approved: the publishing idempotency key derives from it. */
  @Column('integer', { name: 'approved_revision', nullable: true })
  approvedRevision!: number | null;

  @Column('integer')
  revision!: number;

  /** The dispatcher holding the post while it is `publishing`, and until when (ISO instant). */
  @Column('varchar', { name: 'lease_owner', nullable: true })
  leaseOwner!: string | null;

  @Column('varchar', { name: 'lease_until', nullable: true })
  leaseUntil!: string | null;

  /** Sends tried for the approved revision. */
  @Column('integer')
  attempts!: number;

  @Column('varchar', { name: 'published_at', nullable: true })
  publishedAt!: string | null;

  @Column('varchar', { name: 'published_url', nullable: true })
  publishedUrl!: string | null;

  /** The network's own id of the post (tweet id, Graph id, urn, at:// uri); null when unknown or manual. */
  @Column('text', { name: 'published_id', nullable: true })
  publishedId!: string | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @Column('varchar', { name: 'created_at' })
  createdAt!: string;

  @Column('varchar', { name: 'updated_at' })
  updatedAt!: string;
}
