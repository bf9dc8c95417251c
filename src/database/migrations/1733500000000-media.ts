import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Uploaded images (issue 13): one row per content hash, and the images of each post with their alt text. */
export class Media1733500000000 implements MigrationInterface {
  name = 'Media1733500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'media',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'sha256', type: 'varchar' },
        { name: 'mime', type: 'varchar' },
        { name: 'width', type: 'integer' },
        { name: 'height', type: 'integer' },
        { name: 'bytes', type: 'integer' },
        { name: 'source_id', type: 'integer', isNullable: true },
        { name: 'created_by', type: 'integer', isNullable: true },
        { name: 'created_at', type: 'varchar' },
      ],
      uniques: [{ name: 'media_sha256', columnNames: ['sha256'] }],
      foreignKeys: [
        { columnNames: ['source_id'], referencedTableName: 'media', referencedColumnNames: ['id'] },
        { columnNames: ['created_by'], referencedTableName: 'users', referencedColumnNames: ['id'] },
      ],
    }));
    await q.createTable(new Table({
      name: 'post_media',
      columns: [
        { name: 'post_id', type: 'integer', isPrimary: true },
        { name: 'position', type: 'integer', isPrimary: true },
        { name: 'media_id', type: 'integer' },
        { name: 'alt', type: 'text' },
      ],
      foreignKeys: [
        { columnNames: ['post_id'], referencedTableName: 'posts', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        { columnNames: ['media_id'], referencedTableName: 'media', referencedColumnNames: ['id'] },
      ],
      indices: [{ name: 'post_media_media', columnNames: ['media_id'] }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('post_media');
    await q.dropTable('media');
  }
}
