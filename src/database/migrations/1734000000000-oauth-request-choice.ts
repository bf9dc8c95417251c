import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Facebook Login gives one token for a user who may manage many Pages (issue 14 #1): the connect form
 * asks which Page, and the answer must survive the round trip through Facebook's dialog beside the state.
 */
export class OAuthRequestChoice1734000000000 implements MigrationInterface {
  name = 'OAuthRequestChoice1734000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('oauth_requests', new TableColumn({ name: 'choice', type: 'varchar', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('oauth_requests', 'choice');
  }
}
