import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The audit log: one row per change of a post. Rows are only ever inserted. */
@Entity('post_events')
@Index('post_events_post', ['postId', 'id'])
export class PostEventEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('integer', { name: 'post_id' })
  postId!: number;

  @Column('integer', { name: 'campaign_id' })
  campaignId!: number;

  @Column('varchar')
  at!: string;

  /** Who acted: a user's name, or `planner` for a change made by (re-)planning. */
  @Column('varchar')
  actor!: string;

  @Column('integer', { name: 'actor_id', nullable: true })
  actorId!: number | null;

  @Column('varchar')
  action!: string;

  @Column('varchar', { name: 'from_status', nullable: true })
  fromStatus!: string | null;

  @Column('varchar', { name: 'to_status' })
  toStatus!: string;

  @Column('text', { nullable: true })
  comment!: string | null;

  @Column('varchar', { name: 'text_hash' })
  textHash!: string;

  @Column('varchar', { name: 'scheduled_at' })
  scheduledAt!: string;

  @Column('integer')
  revision!: number;
}
