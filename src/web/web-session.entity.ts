import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A browser sign-in: the cookie holds a random id, the database only its hash. */
@Entity('web_sessions')
export class WebSessionEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('varchar', { name: 'session_hash', unique: true })
  sessionHash!: string;

  @Column('integer', { name: 'user_id' })
  userId!: number;

  /** The token every form of this session must carry (CSRF). */
  @Column('varchar', { name: 'csrf_token' })
  csrfToken!: string;

  @Column('varchar', { name: 'created_at' })
  createdAt!: string;

  @Column('varchar', { name: 'expires_at' })
  expiresAt!: string;
}
