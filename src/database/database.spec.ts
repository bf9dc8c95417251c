import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { Database, dataSourceOptions, openDataSource } from './database';

describe('Database.read on SQLite', () => {
  let dir: string;
  let dataSource: DataSource;
  let db: Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'database-read-'));
    dataSource = await openDataSource(dataSourceOptions({ databasePath: join(dir, 'read.sqlite') }));
    db = new Database(dataSource);
    await db.write((m) => m.query('create table scratch (x text)'));
    await db.write((m) => m.query("insert into scratch (x) values ('committed')"));
  });
  afterEach(async () => {
    await db.closeReader();
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the committed rows while a write transaction is open, never its uncommitted ones', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const insertedYet = new Promise<void>((r) => (inserted = r));
    const writing = db.write(async (m) => {
      await m.query("insert into scratch (x) values ('uncommitted')");
      inserted();
      await gate;
    });
    await insertedYet;
    // The writer's own connection is inside that transaction: a read there sees its row.
    expect((await db.manager.query('select x from scratch order by x')).map((r: { x: string }) => r.x)).toEqual(['committed', 'uncommitted']);
    expect((await db.read<{ x: string }>('select x from scratch order by x')).map((r) => r.x)).toEqual(['committed']);
    release();
    await writing;
    expect((await db.read<{ x: string }>('select x from scratch where x = ?', ['uncommitted'])).map((r) => r.x)).toEqual(['uncommitted']);
  });

  it('cannot write through the read connection, and opens it again after closing', async () => {
    await expect(db.read("insert into scratch (x) values ('sneaked')")).rejects.toThrow(/SQLITE_READONLY/);
    await db.closeReader();
    expect(await db.read('select count(*) as n from scratch')).toEqual([{ n: 1 }]);
  });

  it('reads through the one connection of an in-memory database', async () => {
    const memory = await openDataSource(dataSourceOptions({ databasePath: ':memory:' }));
    try {
      const inMemory = new Database(memory);
      await inMemory.write((m) => m.query("create table scratch (x text)"));
      await inMemory.write((m) => m.query("insert into scratch (x) values ('here')"));
      expect(await inMemory.read('select x from scratch')).toEqual([{ x: 'here' }]);
      await inMemory.closeReader();
    } finally {
      await memory.destroy();
    }
  });
});
