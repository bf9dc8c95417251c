import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

const text = (name: string, nullable = false) => ({ name, type: 'varchar', isNullable: nullable });

/** Calendar subscription tokens: read-only, revocable, stored hashed; Table API so it runs on SQLite and PostgreSQL. */
export class CalendarTokens1732900000000 implements MigrationInterface {
  name = 'CalendarTokens1732900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'calendar_tokens',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'user_id', type: 'integer', isNullable: false },
        text('token_hash'), text('created_at'), text('revoked_at', true),
      ],
      uniques: [{ name: 'calendar_tokens_token_hash', columnNames: ['token_hash'] }],
      foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] }],
    }));
    await q.createIndex('calendar_tokens', new TableIndex({ name: 'calendar_tokens_user', columnNames: ['user_id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('calendar_tokens');
  }
}
