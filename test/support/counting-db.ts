import type { Database } from '../../src/database/database';

/**
 * The same Database, counting the round trips made through it: the transactions it opens (`write`)
 * and the statements sent outside them (`manager.query`). Every statement still runs on the real
 * database; only the counting is added.
 */
export function countingDb(db: Database) {
  let transactions = 0;
  let statements = 0;
  const write = db.write.bind(db);
  const manager = Object.create(db.manager);
  manager.query = (sql: string, params?: unknown[]) => (statements++, db.manager.query(sql, params));
  const counted: Database = Object.create(db, {
    write: { value: (work: Parameters<typeof write>[0]) => (transactions++, write(work)) },
    manager: { value: manager },
  });
  return { db: counted, transactions: () => transactions, statements: () => statements };
}
