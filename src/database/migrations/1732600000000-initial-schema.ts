import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
const text = (name: string, nullable = false) => ({ name, type: 'varchar', isNullable: nullable });
const long = (name: string, nullable = false) => ({ name, type: 'text', isNullable: nullable });
const int = (name: string, nullable = false) => ({ name, type: 'integer', isNullable: nullable });
const bool = (name: string) => ({ name, type: 'boolean', isNullable: false });

/**
 * The first schema, written with TypeORM's Table API so the same migration runs on SQLite and
 * PostgreSQL. Instants are fixed-width ISO 8601 text in UTC: text order is time order on both.
 */
export class InitialSchema1732600000000 implements MigrationInterface {
  name = 'InitialSchema1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'users',
      columns: [id, text('name'), text('role'), text('member', true), text('token_hash'), text('created_at'), text('deleted_at', true)],
      uniques: [{ name: 'users_token_hash', columnNames: ['token_hash'] }],
    }));
    await q.createTable(new Table({
      name: 'campaigns',
      columns: [id, text('slug'), text('name'), text('start_date'), text('end_date'), long('source'), text('plan_fingerprint'), text('created_at'), text('updated_at')],
      uniques: [{ name: 'campaigns_slug', columnNames: ['slug'] }],
    }));
    await q.createTable(new Table({
      name: 'posts',
      columns: [
        id, int('campaign_id'), text('member'), text('network'), text('locale'), text('theme'), text('message'),
        text('slot_date'), int('slot_ordinal'), text('local_time'), text('timezone'), text('scheduled_at'),
        long('text'), text('text_hash'), int('length'), int('max_length'), text('variant'), bool('fallback'),
        bool('needs_review'), text('planned_hash'), text('status'), int('revision'), text('created_at'), text('updated_at'),
      ],
      foreignKeys: [{ columnNames: ['campaign_id'], referencedTableName: 'campaigns', referencedColumnNames: ['id'] }],
    }));
    // One at a time: createIndices() runs them in parallel, which races on SQLite's one connection.
    for (const index of [
      new TableIndex({ name: 'posts_identity', columnNames: ['campaign_id', 'member', 'network', 'locale', 'slot_date', 'slot_ordinal'], isUnique: true }),
      new TableIndex({ name: 'posts_campaign_schedule', columnNames: ['campaign_id', 'scheduled_at', 'id'] }),
      new TableIndex({ name: 'posts_status_schedule', columnNames: ['status', 'scheduled_at'] }),
    ]) await q.createIndex('posts', index);
    await q.createTable(new Table({
      name: 'post_events',
      columns: [
        id, int('post_id'), int('campaign_id'), text('at'), text('actor'), int('actor_id', true), text('action'),
        text('from_status', true), text('to_status'), long('comment', true), text('text_hash'), text('scheduled_at'), int('revision'),
      ],
      foreignKeys: [{ columnNames: ['post_id'], referencedTableName: 'posts', referencedColumnNames: ['id'] }],
    }));
    await q.createIndex('post_events', new TableIndex({ name: 'post_events_post', columnNames: ['post_id', 'id'] }));
    await q.createTable(new Table({
      name: 'approvals',
      columns: [id, int('post_id'), int('step'), text('role'), int('user_id'), text('user_name'), text('at'), text('text_hash'), text('scheduled_at')],
      foreignKeys: [{ columnNames: ['post_id'], referencedTableName: 'posts', referencedColumnNames: ['id'] }],
    }));
    await q.createIndex('approvals', new TableIndex({ name: 'approvals_post', columnNames: ['post_id', 'step'], isUnique: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['approvals', 'post_events', 'posts', 'campaigns', 'users']) await q.dropTable(table);
  }
}
