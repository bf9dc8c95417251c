import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Public read-only links to one campaign's report (issue 15 #5): only the token's hash is kept; revoking sets revoked_at. */
export class ReportLinks1733700000000 implements MigrationInterface {
  name = 'ReportLinks1733700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'report_links',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'campaign_id', type: 'integer' },
        { name: 'token_hash', type: 'varchar' },
        { name: 'created_by', type: 'integer' },
        { name: 'created_at', type: 'varchar' },
        { name: 'revoked_at', type: 'varchar', isNullable: true },
      ],
      uniques: [{ name: 'report_links_token_hash', columnNames: ['token_hash'] }],
      foreignKeys: [
        { columnNames: ['campaign_id'], referencedTableName: 'campaigns', referencedColumnNames: ['id'] },
        { columnNames: ['created_by'], referencedTableName: 'users', referencedColumnNames: ['id'] },
      ],
      indices: [{ name: 'report_links_campaign', columnNames: ['campaign_id'] }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('report_links');
  }
}
