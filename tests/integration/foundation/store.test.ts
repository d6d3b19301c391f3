import { Schema } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineModel, openStore, type Store } from '../../../core/store/store.ts';
import { tenantDatabaseName, verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';

interface Note {
  title: string;
  tags: string[];
}
const Note = defineModel<Note>(
  'Note',
  new Schema<Note>({ title: { type: String, required: true, index: true }, tags: [String] }),
);

let store: Store;
beforeAll(async () => {
  store = await openStore({ uri: mongoUri() });
});
afterAll(async () => {
  await store.close();
});

describe('store', () => {
  it('reads back a document written through mongoose', async () => {
    const ctx = verifiedTenantContext(testTenantId(), 'system');
    const Notes = await store.tenantModel(ctx, Note);
    const created = await Notes.create({ title: 'Quarterly planning', tags: ['q3', 'plan'] });
    const found = await Notes.findById(created._id).lean();
    expect(found?.title).toBe('Quarterly planning');
    expect(found?.tags).toEqual(['q3', 'plan']);
  });

  it('keeps two tenants in separate databases that never see each other', async () => {
    const a = verifiedTenantContext(testTenantId(), 'system');
    const b = verifiedTenantContext(testTenantId(), 'system');
    const NotesA = await store.tenantModel(a, Note);
    const NotesB = await store.tenantModel(b, Note);
    await NotesA.create({ title: 'only in A' });
    await NotesB.create({ title: 'only in B' });

    expect((await NotesA.find().lean()).map((n) => n.title)).toEqual(['only in A']);
    expect((await NotesB.find().lean()).map((n) => n.title)).toEqual(['only in B']);
    expect(await NotesB.countDocuments({ title: 'only in A' })).toBe(0);
    expect(NotesA.db.name).toBe(tenantDatabaseName(a));
    expect(NotesB.db.name).toBe(tenantDatabaseName(b));
    expect(NotesA.db.name).not.toBe(NotesB.db.name);
  });

  it('creates the schema indexes in the tenant database', async () => {
    const ctx = verifiedTenantContext(testTenantId(), 'system');
    const Notes = await store.tenantModel(ctx, Note);
    const indexes = await Notes.collection.indexes();
    expect(indexes.map((i) => Object.keys(i.key))).toContainEqual(['title']);
  });

  it('refuses a tenant id that could name another database', () => {
    for (const bad of ['', 'ABC123', 'a/b', 'quorum_control', '../x', 'a'.repeat(33), 'x y']) {
      expect(() => verifiedTenantContext(bad, 'system')).toThrow(/invalid tenant id/);
    }
  });
});
