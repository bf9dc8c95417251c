import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Campaigns get a state. Campaigns already imported stay active: whether one of them is over is
 * decided by a person (its posts may have been acted on), not guessed by a migration.
 */
export class CampaignState1733100000000 implements MigrationInterface {
  name = 'CampaignState1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('campaigns', new TableColumn({ name: 'state', type: 'varchar', default: "'active'" }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('campaigns', 'state');
  }
}
