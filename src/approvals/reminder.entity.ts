import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** One reminder digest sent to one user on one day: the unique pair keeps it to one a day. */
@Entity('reminders')
@Unique('reminders_user_day', ['userId', 'day'])
export class ReminderEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('integer', { name: 'user_id' })
  userId!: number;

  @Column('varchar')
  day!: string;

  @Column('varchar', { name: 'sent_at' })
  sentAt!: string;

  @Column('integer')
  posts!: number;
}
