// The embedded database serves `_id` lookups from an index: the launcher indexes the exact
// expression FerretDB's SQLite backend queries with (`_ferretdb_sjson->'$._id'`), for
// collections that existed at start and for those created while it runs, and FerretDB goes on
// managing its own indexes, collections and databases as before.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { MongoClient, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedDb, type EmbeddedDb } from '../../../infra/local/embedded-db.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quorum-id-index-'));
let db: EmbeddedDb;
let client: MongoClient;

/** The statements FerretDB runs for an `_id` (internal/backends/sqlite/collection.go). */
const ferretdbStatements = (table: string) => ({
  find: `SELECT _ferretdb_sjson FROM "${table}" WHERE _ferretdb_sjson->'$._id' = ?`,
  update: `UPDATE "${table}" SET _ferretdb_sjson = ? WHERE _ferretdb_sjson->'$._id' = ?`,
  delete: `DELETE FROM "${table}" WHERE _ferretdb_sjson->'$._id' IN (?, ?)`,
});

function sqliteFile(database: string): string {
  return path.join(dataDir, 'ferretdb', `${database}.sqlite`);
}

/** Reads a database file on a fresh read-only connection (so its view of the schema is current). */
function read<T>(database: string, use: (sqlite: DatabaseSync) => T): T | undefined {
  if (!existsSync(sqliteFile(database))) return undefined;
  const sqlite = new DatabaseSync(sqliteFile(database), { readOnly: true });
  try {
    return use(sqlite);
  } catch {
    return undefined; // FerretDB is still creating it
  } finally {
    sqlite.close();
  }
}

function tableOf(database: string, collection: string): string | undefined {
  return read(database, (sqlite) => {
    const row = sqlite
      .prepare('SELECT table_name FROM _ferretdb_collections WHERE name = ?')
      .get(collection);
    return row ? String(row.table_name) : undefined;
  });
}

function indexesOf(database: string, table: string): Array<{ name: string; sql: string }> {
  return (
    read(database, (sqlite) =>
      sqlite
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?")
        .all(table)
        .map((row) => ({ name: String(row.name), sql: String(row.sql) })),
    ) ?? []
  );
}

function plan(database: string, statement: string): string {
  return (
    read(database, (sqlite) =>
      sqlite
        .prepare(`EXPLAIN QUERY PLAN ${statement}`)
        .all()
        .map((row) => String(row.detail))
        .join('\n'),
    ) ?? ''
  );
}

async function waitFor<T>(what: string, check: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const hasIdIndex = (database: string, table: string) =>
  indexesOf(database, table).some((index) => index.name === `${table}_quorum_id`) || undefined;

beforeAll(async () => {
  // Its own database: this file drops databases and restarts FerretDB.
  db = await startEmbeddedDb({ dataDir });
  client = await new MongoClient(db.uri).connect();
});
afterAll(async () => {
  await client?.close();
  await db?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the _id index of the embedded database', () => {
  it("indexes a collection created while FerretDB runs, on the expression FerretDB's _id statements use", async () => {
    const notes = client.db('idx_live').collection<{ _id: string | ObjectId; n: number }>('notes');
    const objectId = new ObjectId();
    await notes.insertMany([
      ...Array.from({ length: 50 }, (_, n) => ({ _id: `note-${n}`, n })),
      { _id: objectId, n: 50 },
    ]);
    const table = await waitFor('the table', () => tableOf('idx_live', 'notes'));
    await waitFor('the _id index', () => hasIdIndex('idx_live', table));

    const index = indexesOf('idx_live', table).find((i) => i.name === `${table}_quorum_id`)!;
    expect(index.sql).toContain(`(_ferretdb_sjson->'$._id')`);
    const statements = ferretdbStatements(table);
    for (const [kind, statement] of Object.entries(statements)) {
      expect(plan('idx_live', statement), kind).toContain(`USING INDEX ${table}_quorum_id`);
    }

    // Served by the index, the answers are the same: strings and ObjectIds, read, changed, gone.
    expect(await notes.findOne({ _id: 'note-7' })).toEqual({ _id: 'note-7', n: 7 });
    expect(await notes.findOne({ _id: objectId })).toEqual({ _id: objectId, n: 50 });
    expect((await notes.updateOne({ _id: 'note-8' }, { $set: { n: 800 } })).modifiedCount).toBe(1);
    expect(await notes.findOne({ _id: 'note-8' })).toEqual({ _id: 'note-8', n: 800 });
    expect((await notes.deleteOne({ _id: 'note-9' })).deletedCount).toBe(1);
    expect(await notes.findOne({ _id: 'note-9' })).toBeNull();
    expect(await notes.countDocuments()).toBe(50);
  });

  it('is invisible to FerretDB: its own indexes, collection drops and database drops work as before', async () => {
    const tasks = client.db('idx_drops').collection('tasks');
    await tasks.insertOne({ _id: 'a' as never, owner: 'ana' });
    const table = await waitFor('the table', () => tableOf('idx_drops', 'tasks'));
    await waitFor('the _id index', () => hasIdIndex('idx_drops', table));

    await tasks.createIndex({ owner: 1 }, { name: 'by_owner' });
    expect((await tasks.listIndexes().toArray()).map((i) => i.name).sort()).toEqual([
      '_id_',
      'by_owner',
    ]);
    await tasks.dropIndexes();
    expect((await tasks.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
    expect(hasIdIndex('idx_drops', table)).toBe(true);

    // Dropping the collection drops its table with every index on it.
    expect(await tasks.drop()).toBe(true);
    expect(await client.db('idx_drops').listCollections().toArray()).toEqual([]);
    expect(indexesOf('idx_drops', table)).toEqual([]);
    // A collection of the same name made again is indexed again.
    await tasks.insertOne({ _id: 'b' as never });
    await waitFor('the new table', () => tableOf('idx_drops', 'tasks'));
    await waitFor('the new _id index', () => hasIdIndex('idx_drops', table));

    expect(await client.db('idx_drops').dropDatabase()).toBe(true);
    const names = (await client.db().admin().listDatabases()).databases.map((d) => d.name);
    expect(names).not.toContain('idx_drops');
    expect(existsSync(sqliteFile('idx_drops'))).toBe(false);
    await client
      .db('idx_drops')
      .collection('tasks')
      .insertOne({ _id: 'c' as never });
    expect(
      await client
        .db('idx_drops')
        .collection('tasks')
        .findOne({ _id: 'c' as never }),
    ).toEqual({
      _id: 'c',
    });
    await waitFor('the _id index in the new file', () => hasIdIndex('idx_drops', table));
  });

  it('indexes the collections that are there when FerretDB starts, before it answers', async () => {
    await client
      .db('idx_start')
      .collection('people')
      .insertOne({ _id: 'p1' as never });
    const table = await waitFor('the table', () => tableOf('idx_start', 'people'));
    await waitFor('the _id index', () => hasIdIndex('idx_start', table));
    await client.close();
    const port = db.port;
    await db.stop();
    // Gone while FerretDB is down, as in a database made before the launcher had the index.
    const sqlite = new DatabaseSync(sqliteFile('idx_start'));
    sqlite.exec(`DROP INDEX "${table}_quorum_id"`);
    sqlite.close();
    expect(hasIdIndex('idx_start', table)).toBeUndefined();

    db = await startEmbeddedDb({ dataDir, port });
    expect(hasIdIndex('idx_start', table)).toBe(true);
    client = await new MongoClient(db.uri).connect();
    expect(
      await client
        .db('idx_start')
        .collection('people')
        .findOne({ _id: 'p1' as never }),
    ).toEqual({ _id: 'p1' });
  });
});
