import { EntityManager, In } from 'typeorm';
import type { Database } from '../database/database';
import { PostMediaEntity } from './post-media.entity';

/** An image as a post holds it: which upload (or conforming copy), and its alt text. */
export interface PostMediaRef {
  mediaId: number;
  alt: string;
}

/** The images of each post, in order. */
export async function loadPostMedia(m: EntityManager, postIds: number[]): Promise<Map<number, PostMediaRef[]>> {
  const byPost = new Map<number, PostMediaRef[]>();
  if (postIds.length === 0) return byPost;
  const rows = await m.find(PostMediaEntity, { where: { postId: In([...new Set(postIds)]) }, order: { postId: 'ASC', position: 'ASC' } });
  for (const row of rows) byPost.set(row.postId, [...(byPost.get(row.postId) ?? []), { mediaId: row.mediaId, alt: row.alt }]);
  return byPost;
}

/** An image of a post as a send needs it. */
export interface PostImageToSend {
  postId: number;
  alt: string;
  sha256: string;
  mime: string;
  width: number;
  height: number;
}

/**
 * The images of each claimed post, in order, in one query of committed rows (`Database.read`): on
 * SQLite it does not queue behind the writer's group commits, and a claimed post's images cannot change
 * (an edit of a post being published is refused).
 */
export async function loadImagesToSend(db: Database, postIds: number[]): Promise<Map<number, PostImageToSend[]>> {
  const byPost = new Map<number, PostImageToSend[]>();
  const unique = [...new Set(postIds)];
  if (unique.length === 0) return byPost;
  const rows = await db.read<PostImageToSend & { postId: number | string }>(`select pm.post_id as "postId", pm.alt, m.sha256, m.mime, m.width, m.height
    from post_media pm join media m on m.id = pm.media_id where pm.post_id in (${unique.map(() => '?').join(', ')}) order by pm.post_id, pm.position`, unique);
  for (const row of rows) {
    const postId = Number(row.postId);
    byPost.set(postId, [...(byPost.get(postId) ?? []), { ...row, postId, width: Number(row.width), height: Number(row.height) }]);
  }
  return byPost;
}

export function sameMedia(a: PostMediaRef[], b: PostMediaRef[]): boolean {
  return a.length === b.length && a.every((item, i) => item.mediaId === b[i].mediaId && item.alt === b[i].alt);
}

/**
 * Only after changePosts changed the post row (same transaction): the images are part of the
 * post's content, and an edit of them is an edit like any other (revision, history, approvals).
 */
export async function replacePostMedia(db: Database, m: EntityManager, postId: number, media: PostMediaRef[]): Promise<void> {
  await m.query(db.sql('delete from post_media where post_id = ?'), [postId]);
  if (media.length === 0) return;
  await m.insert(PostMediaEntity, media.map((item, position) => ({ postId, position, mediaId: item.mediaId, alt: item.alt })));
}
