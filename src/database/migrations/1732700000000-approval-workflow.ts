import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * The approval workflow: each post carries its member's approval steps and how many are done, the
 * role it awaits and the revision it was approved at; users may have an e-mail address for
 * reminders; one reminder digest per user and day; and the audit log refuses UPDATE and DELETE at
 * the database itself, whatever code runs against it.
 */
export class ApprovalWorkflow1732700000000 implements MigrationInterface {
  name = 'ApprovalWorkflow1732700000000';

  async up(q: QueryRunner): Promise<void> {
    const sqlite = q.connection.options.type === 'sqlite';
    await q.query(`alter table posts add column approval_steps varchar not null default 'coordinator'`);
    await q.query('alter table posts add column approved_steps integer not null default 0');
    await q.query('alter table posts add column awaiting_role varchar null');
    await q.query('alter table posts add column approved_revision integer null');
    await q.createIndex('posts', new TableIndex({ name: 'posts_awaiting', columnNames: ['awaiting_role', 'member', 'scheduled_at'] }));
    await q.query('alter table users add column email varchar null');
    await q.createTable(new Table({
      name: 'reminders',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'user_id', type: 'integer' },
        { name: 'day', type: 'varchar' },
        { name: 'sent_at', type: 'varchar' },
        { name: 'posts', type: 'integer' },
      ],
      uniques: [{ name: 'reminders_user_day', columnNames: ['user_id', 'day'] }],
      foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] }],
    }));
    if (sqlite) {
      for (const operation of ['update', 'delete']) {
        await q.query(`create trigger post_events_no_${operation} before ${operation} on post_events
          begin select raise(abort, 'post_events is append-only'); end`);
      }
    } else {
      await q.query(`create function post_events_append_only() returns trigger language plpgsql as
        $$ begin raise exception 'post_events is append-only'; end $$`);
      await q.query(`create trigger post_events_append_only before update or delete on post_events
        for each statement execute function post_events_append_only()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'sqlite') {
      await q.query('drop trigger post_events_no_update');
      await q.query('drop trigger post_events_no_delete');
    } else {
      await q.query('drop trigger post_events_append_only on post_events');
      await q.query('drop function post_events_append_only');
    }
    await q.dropTable('reminders');
    await q.dropColumn('users', 'email');
    await q.dropIndex('posts', 'posts_awaiting');
    for (const column of ['approved_revision', 'awaiting_role', 'approved_steps', 'approval_steps']) await q.dropColumn('posts', column);
  }
}
