import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Messages edited and reviewed in the browser (issue 12 #2, #3), over the shipped template files, and their history. */
export class MessageOverrides1733400000000 implements MigrationInterface {
  name = 'MessageOverrides1733400000000';

  async up(q: QueryRunner): Promise<void> {
    const key = [
      { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const },
      { name: 'folder', type: 'varchar' },
      { name: 'locale', type: 'varchar' },
      { name: 'message_key', type: 'varchar' },
    ];
    await q.createTable(new Table({
      name: 'message_overrides',
      columns: [
        ...key,
        { name: 'text', type: 'text', isNullable: true },
        { name: 'short', type: 'text', isNullable: true },
        { name: 'revision', type: 'integer' },
        { name: 'updated_at', type: 'varchar' },
        { name: 'updated_by', type: 'varchar' },
        { name: 'review_decision', type: 'varchar', isNullable: true },
        { name: 'review_hash', type: 'varchar', isNullable: true },
        { name: 'reviewed_by', type: 'varchar', isNullable: true },
        { name: 'reviewed_at', type: 'varchar', isNullable: true },
        { name: 'review_comment', type: 'text', isNullable: true },
      ],
      uniques: [{ name: 'message_overrides_key', columnNames: ['folder', 'locale', 'message_key'] }],
    }));
    await q.createTable(new Table({
      name: 'message_history',
      columns: [
        ...key,
        { name: 'at', type: 'varchar' },
        { name: 'actor', type: 'varchar' },
        { name: 'actor_id', type: 'integer', isNullable: true },
        { name: 'action', type: 'varchar' },
        { name: 'revision', type: 'integer' },
        { name: 'before_text', type: 'text', isNullable: true },
        { name: 'before_short', type: 'text', isNullable: true },
        { name: 'after_text', type: 'text', isNullable: true },
        { name: 'after_short', type: 'text', isNullable: true },
        { name: 'comment', type: 'text', isNullable: true },
      ],
    }));
    await q.createIndex('message_history', new TableIndex({ name: 'message_history_message', columnNames: ['folder', 'locale', 'message_key'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('message_history');
    await q.dropTable('message_overrides');
  }
}
