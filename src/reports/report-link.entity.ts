import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A public, read-only link to one campaign's report: whoever holds it sees that page and nothing else. */
@Entity('report_links')
@Index('report_links_campaign', ['campaignId'])
export class ReportLinkEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('integer', { name: 'campaign_id' })
  campaignId!: number;

  /** SHA-256 of the token (256 random bits): shown once when created, never stored in plain text. */
  @Column('varchar', { name: 'token_hash', unique: true })
  tokenHash!: string;

  @Column('integer', { name: 'created_by' })
  createdBy!: number;

  @Column('varchar', { name: 'created_at' })
  createdAt!: string;

  @Column('varchar', { name: 'revoked_at', nullable: true })
  revokedAt!: string | null;
}
