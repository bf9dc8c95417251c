import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ACCOUNT_STATUSES = ['connected', 'needs-reconnect', 'revoked'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** A member's account on a network. The sealed tokens never leave AccountsService. */
@Entity('accounts')
export class AccountEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  /** What a channel names: `publisher: {type: x, account: si-x}`. */
  @Column('varchar', { unique: true })
  name!: string;

  @Column('varchar')
  member!: string;

  @Column('varchar')
  network!: string;

  /** The network's id of the account (X: the user id), for reading its recent posts. */
  @Column('varchar', { name: 'external_id', nullable: true })
  externalId!: string | null;

  @Column('varchar', { nullable: true })
  handle!: string | null;

  @Column('varchar', { name: 'token_key_id', nullable: true })
  tokenKeyId!: string | null;

  @Column('text', { name: 'access_token_sealed', nullable: true })
  accessTokenSealed!: string | null;

  @Column('text', { name: 'refresh_token_sealed', nullable: true })
  refreshTokenSealed!: string | null;

  /** When the access token expires (ISO). */
  @Column('varchar', { name: 'expires_at', nullable: true })
  expiresAt!: string | null;

  /** When the refresh token itself expires (ISO), where the network says so; null: unknown or never. */
  @Column('varchar', { name: 'refresh_expires_at', nullable: true })
  refreshExpiresAt!: string | null;

  @Column('varchar')
  status!: AccountStatus;

  @Column('varchar', { name: 'status_reason', nullable: true })
  statusReason!: string | null;

  /** While a refresh is under way somewhere: the others wait for its result rather than refresh too. */
  @Column('varchar', { name: 'refresh_lease_until', nullable: true })
  refreshLeaseUntil!: string | null;

  /**
   * The alert condition last mailed about (account-alert-rule.ts), claimed by compare-and-swap so that
   * one replica sends it once; not part of `revision`, so an alert never makes a page's form stale.
   */
  @Column('varchar', { name: 'alert_sent_for', nullable: true })
  alertSentFor!: string | null;

  @Column('varchar', { name: 'alert_sent_at', nullable: true })
  alertSentAt!: string | null;

  /** Rises with every change; every write is conditional on the revision read (compare-and-swap). */
  @Column('integer')
  revision!: number;

  @Column('integer', { name: 'connected_by', nullable: true })
  connectedBy!: number | null;

  @Column('varchar', { name: 'created_at' })
  createdAt!: string;

  @Column('varchar', { name: 'updated_at' })
  updatedAt!: string;
}

/** An authorization request in flight: its state (hashed) and PKCE verifier (sealed), single use. */
@Entity('oauth_requests')
export class OAuthRequestEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('varchar', { name: 'state_hash', unique: true })
  stateHash!: string;

  @Column('varchar', { name: 'session_hash' })
  sessionHash!: string;

  @Column('integer', { name: 'user_id' })
  userId!: number;

  @Column('varchar')
  network!: string;

  @Column('varchar')
  member!: string;

  @Column('varchar', { name: 'account_name' })
  accountName!: string;

  @Column('varchar', { name: 'verifier_key_id' })
  verifierKeyId!: string;

  @Column('text', { name: 'verifier_sealed' })
  verifierSealed!: string;

  @Column('varchar', { name: 'created_at' })
  createdAt!: string;

  @Column('varchar', { name: 'expires_at' })
  expiresAt!: string;

  @Column('varchar', { name: 'used_at', nullable: true })
  usedAt!: string | null;

  /** What the connect form named besides the account (a LinkedIn organisation URN); null where the network asks nothing. */
  @Column('varchar', { nullable: true })
  target!: string | null;
}
