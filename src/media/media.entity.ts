import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ImageMime } from './media-types';

/** An uploaded image, or a copy made to fit a network (`sourceId`): one row per distinct content. */
@Entity('media')
export class MediaEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('varchar', { unique: true })
  sha256!: string;

  @Column('varchar')
  mime!: ImageMime;

  @Column('integer')
  width!: number;

  @Column('integer')
  height!: number;

  @Column('integer')
  bytes!: number;

  /** The image this one is a smaller or re-encoded copy of; null for an upload. */
  @Column('integer', { name: 'source_id', nullable: true })
  sourceId!: number | null;

  @Column('integer', { name: 'created_by', nullable: true })
  createdBy!: number | null;

  @Column('varchar', { name: 'created_at' })
  createdAt!: string;
}
