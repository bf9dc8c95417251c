import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../campaigns/campaign-definition';

/** One approval step given to one post, bound to the exact text and instant it was given for. */
@Entity('approvals')
@Index('approvals_post', ['postId', 'step'], { unique: true })
export class ApprovalEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('integer', { name: 'post_id' })
  postId!: number;

  @Column('integer')
  step!: number;

  @Column('varchar')
  role!: Role;

  @Column('integer', { name: 'user_id' })
  userId!: number;

  @Column('varchar', { name: 'user_name' })
  userName!: string;

  @Column('varchar')
  at!: string;

  @Column('varchar', { name: 'text_hash' })
  textHash!: string;

  @Column('varchar', { name: 'scheduled_at' })
  scheduledAt!: string;
}
