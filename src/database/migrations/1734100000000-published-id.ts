import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14: the network's own id of a published post (tweet id, Graph `<page>_<post>`, LinkedIn urn,
 * at:// uri …), so that responses are read by id instead of re-derived from the URL, which fails for
 * Facebook's `pfbid…` permalinks (issue 15). Null for posts published before it, and for manual ones.
 */
export class PublishedId1734100000000 implements MigrationInterface {
  name = 'PublishedId1734100000000';

  async up(q: QueryRunner): Promise<void> {
    // Plain ALTER, as 1732800000000 does: TypeORM's addColumn rebuilds a SQLite table from its own reading
    // of it, and that reading of posts loses the columns earlier migrations added (no such column: approved_steps).
    await q.query('alter table posts add column published_id text null');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table posts drop column published_id');
  }
}
