import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Browser sessions of the web interface (cookie → hashed id → user, with a CSRF token). */
export class WebSessions1733000000000 implements MigrationInterface {
  name = 'WebSessions1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'web_sessions',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'session_hash', type: 'varchar' },
        { name: 'user_id', type: 'integer' },
        { name: 'csrf_token', type: 'varchar' },
        { name: 'created_at', type: 'varchar' },
        { name: 'expires_at', type: 'varchar' },
      ],
      uniques: [{ name: 'web_sessions_hash', columnNames: ['session_hash'] }],
      foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('web_sessions');
  }
}
