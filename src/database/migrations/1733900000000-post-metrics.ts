import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Response figures collected from the networks (issue 15 #2): one row per collection, never updated,
 * so the report can show growth. A count the network does not give is null; `error` says why the
 * network refused ("deleted", "token refused") instead of counting zero. `next_due_at` is when the
 * post is due again (collection-schedule.ts), null: never again.
 */
export class PostMetrics1733900000000 implements MigrationInterface {
  name = 'PostMetrics1733900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'post_metrics',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'post_id', type: 'integer' },
        { name: 'collected_at', type: 'varchar' },
        { name: 'likes', type: 'integer', isNullable: true },
        { name: 'reposts', type: 'integer', isNullable: true },
        { name: 'replies', type: 'integer', isNullable: true },
        { name: 'quotes', type: 'integer', isNullable: true },
        { name: 'impressions', type: 'integer', isNullable: true },
        { name: 'error', type: 'varchar', isNullable: true },
        { name: 'next_due_at', type: 'varchar', isNullable: true },
      ],
      foreignKeys: [{ columnNames: ['post_id'], referencedTableName: 'posts', referencedColumnNames: ['id'] }],
      indices: [{ name: 'post_metrics_post_collected', columnNames: ['post_id', 'collected_at'] }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('post_metrics');
  }
}
