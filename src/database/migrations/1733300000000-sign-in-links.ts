import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** One-time sign-in links sent by e-mail (issue 11 #6): only the token's hash is kept, with its expiry and its use. */
export class SignInLinks1733300000000 implements MigrationInterface {
  name = 'SignInLinks1733300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'sign_in_links',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'token_hash', type: 'varchar' },
        { name: 'user_id', type: 'integer' },
        { name: 'created_at', type: 'varchar' },
        { name: 'expires_at', type: 'varchar' },
        { name: 'used_at', type: 'varchar', isNullable: true },
      ],
      uniques: [{ name: 'sign_in_links_hash', columnNames: ['token_hash'] }],
      foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('sign_in_links');
  }
}
