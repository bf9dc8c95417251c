import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The images of a post in order, each with its alt text in the post's language. */
@Entity('post_media')
export class PostMediaEntity {
  @PrimaryColumn('integer', { name: 'post_id' })
  postId!: number;

  @PrimaryColumn('integer')
  position!: number;

  @Column('integer', { name: 'media_id' })
  mediaId!: number;

  @Column('text')
  alt!: string;
}
