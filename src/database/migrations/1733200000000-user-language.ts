import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Users get the language of their pages and e-mails (issue 11 #1). Null means "not chosen": pages
 * follow the browser's Accept-Language and e-mails are in English, as before.
 */
export class UserLanguage1733200000000 implements MigrationInterface {
  name = 'UserLanguage1733200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('users', new TableColumn({ name: 'ui_locale', type: 'varchar', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('users', 'ui_locale');
  }
}
