import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Publishing: a claimed post holds a lease (owner, until) so that a crashed dispatcher's posts are
 * taken over; attempts count sends; the outcome is published_at/published_url or last_error.
 */
export class Publishing1732800000000 implements MigrationInterface {
  name = 'Publishing1732800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table posts add column lease_owner varchar null');
    await q.query('alter table posts add column lease_until varchar null');
    await q.query('alter table posts add column attempts integer not null default 0');
    await q.query('alter table posts add column published_at varchar null');
    await q.query('alter table posts add column published_url varchar null');
    await q.query('alter table posts add column last_error text null');
    await q.createIndex('posts', new TableIndex({ name: 'posts_status_lease', columnNames: ['status', 'lease_until'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('posts', 'posts_status_lease');
    for (const column of ['last_error', 'published_url', 'published_at', 'attempts', 'lease_until', 'lease_owner']) await q.dropColumn('posts', column);
  }
}
