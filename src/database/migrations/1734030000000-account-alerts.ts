import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Issue 14 #1, alerts before a post would fail: the refresh token's own expiry where the network gives
 * it (LinkedIn), and which alert condition was last mailed for the account (claimed once across replicas).
 */
export class AccountAlerts1734030000000 implements MigrationInterface {
  name = 'AccountAlerts1734030000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('accounts', [
      new TableColumn({ name: 'refresh_expires_at', type: 'varchar', isNullable: true }),
      new TableColumn({ name: 'alert_sent_for', type: 'varchar', isNullable: true }),
      new TableColumn({ name: 'alert_sent_at', type: 'varchar', isNullable: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('accounts', 'alert_sent_at');
    await q.dropColumn('accounts', 'alert_sent_for');
    await q.dropColumn('accounts', 'refresh_expires_at');
  }
}
