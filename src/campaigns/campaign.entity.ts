import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CampaignState } from './campaign-life';

@Entity('campaigns')
export class CampaignEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('varchar', { unique: true })
  slug!: string;

  @Column('varchar')
  name!: string;

  @Column('varchar', { name: 'start_date' })
  startDate!: string;

  @Column('varchar', { name: 'end_date' })
  endDate!: string;

  /** `archived` when imported after its last date: no job touches it, its posts are read-only. */
  @Column('varchar', { default: 'active' })
  state!: CampaignState;

  /** The campaign object exactly as imported (JSON), returned by GET /api/campaigns/:slug. */
  @Column('text')
  source!: string;

  /** Hash of the validated definition and its templates: equal means a re-plan changes nothing. */
  @Column('varchar', { name: 'plan_fingerprint' })
  planFingerprint!: string;

  @Column('varchar', { name: 'created_at' })
  createdAt!: string;

  @Column('varchar', { name: 'updated_at' })
  updatedAt!: string;
}

/** The campaign's approval lead time in ms (its file's approvalLeadHours, default 24). */
export function approvalLeadMs(campaign: Pick<CampaignEntity, 'source'>): number {
  return Number(JSON.parse(campaign.source).approvalLeadHours ?? 24) * 3_600_000;
}
