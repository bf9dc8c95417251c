import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import sqlite3 from 'sqlite3';
import { DataSource, DataSourceOptions, EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config';
import { ApprovalEntity } from '../approvals/approval.entity';
import { CampaignEntity } from '../campaigns/campaign.entity';
import { PostEventEntity } from '../posts/post-event.entity';
import { PostEntity } from '../posts/post.entity';
import { UserEntity } from '../users/user.entity';
import { InitialSchema1732600000000 } from './migrations/1732600000000-initial-schema';
import { ApprovalWorkflow1732700000000 } from './migrations/1732700000000-approval-workflow';
import { Publishing1732800000000 } from './migrations/1732800000000-publishing';
import { ReminderEntity } from '../approvals/reminder.entity';
import { CalendarTokenEntity } from '../calendar/calendar-token.entity';
import { WebSessionEntity } from '../web/web-session.entity';
import { SignInLinkEntity } from '../web/sign-in-link.entity';
import { CalendarTokens1732900000000 } from './migrations/1732900000000-calendar-tokens';
import { WebSessions1733000000000 } from './migrations/1733000000000-web-sessions';
import { CampaignState1733100000000 } from './migrations/1733100000000-campaign-state';
import { UserLanguage1733200000000 } from './migrations/1733200000000-user-language';
import { SignInLinks1733300000000 } from './migrations/1733300000000-sign-in-links';
import { ConnectedAccounts1733600000000 } from './migrations/1733600000000-connected-accounts';
import { AccountEntity, OAuthRequestEntity } from '../accounts/account.entity';
import { Media1733500000000 } from './migrations/1733500000000-media';
import { MediaEntity } from '../media/media.entity';
import { PostMediaEntity } from '../posts/post-media.entity';
import { ReportLinks1733700000000 } from './migrations/1733700000000-report-links';
import { ReportLinkEntity } from '../reports/report-link.entity';
import { MessageOverrides1733400000000 } from './migrations/1733400000000-message-overrides';
import { MessageOverrideEntity } from '../messages/message-override.entity';
import { MessageHistoryEntity } from '../messages/message-history.entity';
import { PostMetrics1733900000000 } from './migrations/1733900000000-post-metrics';
import { OAuthRequestTarget1734010000000 } from './migrations/1734010000000-oauth-request-target';
import { AccountAlerts1734030000000 } from './migrations/1734030000000-account-alerts';
import { PublishedId1734100000000 } from './migrations/1734100000000-published-id';

export const ENTITIES = [UserEntity, CampaignEntity, PostEntity, PostEventEntity, ApprovalEntity, ReminderEntity, CalendarTokenEntity, WebSessionEntity, SignInLinkEntity, AccountEntity, OAuthRequestEntity, MediaEntity, PostMediaEntity, ReportLinkEntity, MessageOverrideEntity, MessageHistoryEntity];
export const MIGRATIONS = [
  InitialSchema1732600000000, ApprovalWorkflow1732700000000, Publishing1732800000000, CalendarTokens1732900000000, WebSessions1733000000000, CampaignState1733100000000, UserLanguage1733200000000,
  SignInLinks1733300000000, MessageOverrides1733400000000, Media1733500000000,
  ConnectedAccounts1733600000000, ReportLinks1733700000000, PostMetrics1733900000000,
  OAuthRequestTarget1734010000000,
  AccountAlerts1734030000000,
  PublishedId1734100000000,
];

/** SQLite by default (one process); PostgreSQL with DATABASE_URL (several replicas). Never synchronize. */
export function dataSourceOptions(config: Pick<AppConfig, 'databasePath' | 'databaseUrl'>): DataSourceOptions {
  // Migrations run in openDataSource(), under a lock, never through synchronize.
  const common = { entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: false, synchronize: false, logging: false } as const;
  if (config.databaseUrl) return { ...common, type: 'postgres', url: config.databaseUrl };
  if (config.databasePath !== ':memory:') mkdirSync(dirname(config.databasePath), { recursive: true });
  // WAL + busy timeout so a reader (the CLI, a backup) never blocks the one writer (pitfalls.md §2).
  return { ...common, type: 'sqlite', database: config.databasePath, enableWAL: true, busyTimeout: 5000, driver: SQLITE_WITHOUT_TRACE };
}

/**
 * node's sqlite3 as TypeORM would load it, minus `verbose()`: TypeORM calls it, and it wraps every call
 * to build a long stack trace up front (util.inspect of each argument, SQL and parameters included), a
 * third of planning's database time (BENCHMARKS.md). Driver errors still carry SQLite's message and code.
 */
const SQLITE_WITHOUT_TRACE = Object.create(sqlite3, { verbose: { value: () => sqlite3 } });

function openReader(file: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const reader = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => (error ? reject(error) : resolve(reader)));
    // As the writer's connection: a checkpoint or recovery in progress is waited for, not an error.
    reader.configure('busyTimeout', 5000);
  });
}

/** Connects and applies pending migrations; replicas starting together take turns (an advisory lock). */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  await new Database(dataSource).exclusively('migrations', () => dataSource.runMigrations({ transaction: 'all' }));
  return dataSource;
}

/**
 * Every write goes through `write()`. On SQLite the driver has one connection that concurrent
 * transactions would share and corrupt (pitfalls.md §1), so writes run one at a time through a
 * promise queue; PostgreSQL gives each transaction its own pooled connection.
 */
export class Database {
  private tail: Promise<unknown> = Promise.resolve();
  /**
   * Multi-row INSERT texts by table, columns, row count and RETURNING: a batch of 1,000 posts is 24,000
   * placeholders, and building that text for every batch was a tenth of planning's main thread. A few
   * shapes recur (full batches), so a small cache, oldest out first.
   */
  private readonly insertSql = new Map<string, string>();
  /** SQLite: the read-only second connection of `read`, opened on first use. */
  private reader?: Promise<sqlite3.Database>;

  constructor(readonly dataSource: DataSource) {}

  get isSqlite(): boolean {
    return this.dataSource.options.type === 'sqlite';
  }

  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.isSqlite) return this.dataSource.transaction(work);
    const run = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs `work` while no other process does the same named work: PostgreSQL replicas starting at
   * once must not both migrate, import or bootstrap. SQLite has one process, so it just runs.
   */
  async exclusively<T>(name: string, work: () => Promise<T>): Promise<T> {
    if (this.isSqlite) return work();
    const key = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7262021);
    const session = this.dataSource.createQueryRunner();
    await session.connect();
    try {
      await session.query('select pg_advisory_lock($1)', [key]);
      return await work();
    } finally {
      await session.query('select pg_advisory_unlock($1)', [key]).catch(() => undefined);
      await session.release();
    }
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * A read of committed rows that must not wait behind the writer (`?` placeholders). SQLite's one
   * connection runs the write queue's transactions a statement at a time, each a round trip through
   * the event loop, and a read sent to it waits for their gaps; a second, read-only connection reads
   * the last committed state meanwhile (WAL). Unlike a read on the writer's connection, it never sees
   * a transaction still open. An in-memory database has no second connection: its one serves.
   */
  async read<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    const file = this.isSqlite ? String(this.dataSource.options.database) : ':memory:';
    if (file === ':memory:') return this.manager.query(this.sql(sql), params);
    const reader = await (this.reader ??= openReader(file));
    return new Promise((resolve, reject) => reader.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as R[]))));
  }

  /** Closes what `read` opened (the data source itself is TypeORM's to close). */
  async closeReader(): Promise<void> {
    const reader = await this.reader?.catch(() => undefined);
    this.reader = undefined;
    if (reader) await new Promise<void>((resolve, reject) => reader.close((error) => (error ? reject(error) : resolve())));
  }

  /** Writes SQL with `?` placeholders; PostgreSQL gets them numbered (`$1`, `$2`, …). */
  sql(text: string): string {
    if (this.isSqlite) return text;
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  }

  /** `?` placeholders for SQLite, `$n` for PostgreSQL. */
  placeholders(count: number, offset = 0): string[] {
    return Array.from({ length: count }, (_, i) => (this.isSqlite ? '?' : `$${offset + i + 1}`));
  }

  /**
   * Multi-row INSERT … RETURNING (SQLite ≥ 3.35 and PostgreSQL). Lower-case on purpose: TypeORM's
   * SQLite runner drops the rows of any statement that starts with "INSERT " (pitfalls.md §4).
   * `shared`: columns with the same value in every row, bound once as numbered parameters (`?1`, `$1`)
   * that every row names: the drivers convert each bound value on the calling thread, and a plan's
   * batch would otherwise bind its campaign, status, revision and timestamps a thousand times.
   */
  async insertReturning<R>(manager: EntityManager, table: string, columns: string[], rows: unknown[][], returning: string[], shared: Record<string, unknown> = {}): Promise<R[]> {
    if (rows.length === 0) return [];
    const sharedColumns = Object.keys(shared);
    const key = `${table}(${sharedColumns.join()}|${columns.join()})${rows.length}:${returning.join()}`;
    let sql = this.insertSql.get(key);
    if (!sql) {
      const once = sharedColumns.map((_, i) => (this.isSqlite ? `?${i + 1}` : `$${i + 1}`));
      // SQLite numbers a bare `?` one past the highest number used before it: the rows' values follow the shared ones.
      const values = rows.map((_, r) => `(${[...once, ...this.placeholders(columns.length, once.length + r * columns.length)].join(', ')})`);
      sql = `insert into ${table} (${[...sharedColumns, ...columns].join(', ')}) values ${values.join(', ')} returning ${returning.join(', ')}`;
      if (this.insertSql.size >= 32) this.insertSql.delete(this.insertSql.keys().next().value!);
      this.insertSql.set(key, sql);
    }
    const params = new Array<unknown>(sharedColumns.length + rows.length * columns.length);
    let i = 0;
    for (const column of sharedColumns) params[i++] = shared[column];
    for (const row of rows) for (const value of row) params[i++] = value;
    const result = await manager.query(sql, params);
    return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as R[];
  }
}
