import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Connected accounts (issue 14): a member's account on a network, its tokens sealed with AES-256-GCM
 * (the key id per row, so a rotated key still opens old rows), and the OAuth authorization requests
 * in flight (state and PKCE verifier kept server-side, bound to the session, single use).
 */
export class ConnectedAccounts1733600000000 implements MigrationInterface {
  name = 'ConnectedAccounts1733600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'accounts',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'name', type: 'varchar' },
        { name: 'member', type: 'varchar' },
        { name: 'network', type: 'varchar' },
        { name: 'external_id', type: 'varchar', isNullable: true },
        { name: 'handle', type: 'varchar', isNullable: true },
        { name: 'token_key_id', type: 'varchar', isNullable: true },
        { name: 'access_token_sealed', type: 'text', isNullable: true },
        { name: 'refresh_token_sealed', type: 'text', isNullable: true },
        { name: 'expires_at', type: 'varchar', isNullable: true },
        { name: 'status', type: 'varchar' },
        { name: 'status_reason', type: 'varchar', isNullable: true },
        { name: 'refresh_lease_until', type: 'varchar', isNullable: true },
        { name: 'revision', type: 'integer', default: 1 },
        { name: 'connected_by', type: 'integer', isNullable: true },
        { name: 'created_at', type: 'varchar' },
        { name: 'updated_at', type: 'varchar' },
      ],
      uniques: [{ name: 'accounts_name', columnNames: ['name'] }],
    }));
    await q.createTable(new Table({
      name: 'oauth_requests',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'state_hash', type: 'varchar' },
        { name: 'session_hash', type: 'varchar' },
        { name: 'user_id', type: 'integer' },
        { name: 'network', type: 'varchar' },
        { name: 'member', type: 'varchar' },
        { name: 'account_name', type: 'varchar' },
        { name: 'verifier_key_id', type: 'varchar' },
        { name: 'verifier_sealed', type: 'text' },
        { name: 'created_at', type: 'varchar' },
        { name: 'expires_at', type: 'varchar' },
        { name: 'used_at', type: 'varchar', isNullable: true },
      ],
      uniques: [{ name: 'oauth_requests_state', columnNames: ['state_hash'] }],
    }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('oauth_requests');
    await q.dropTable('accounts');
  }
}
