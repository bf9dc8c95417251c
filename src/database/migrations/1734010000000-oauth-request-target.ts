import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * What the connect form named besides the account (issue 14: the LinkedIn organisation the account posts
 * as), kept with the state until the network sends the user back; null for networks that ask nothing.
 */
export class OAuthRequestTarget1734010000000 implements MigrationInterface {
  name = 'OAuthRequestTarget1734010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('oauth_requests', new TableColumn({ name: 'target', type: 'varchar', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('oauth_requests', 'target');
  }
}
