import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A sign-in link sent by e-mail: the link holds a random token, the database only its hash. */
@Entity('sign_in_links')
export class SignInLinkEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('varchar', { name: 'token_hash', unique: true })
  tokenHash!: string;

  @Column('integer', { name: 'user_id' })
  userId!: number;

  @Column('varchar', { name: 'created_at' })
  createdAt!: string;

  @Column('varchar', { name: 'expires_at' })
  expiresAt!: string;

  /** When the link signed someone in; a used link never works again. */
  @Column('varchar', { name: 'used_at', nullable: true })
  usedAt!: string | null;
}
