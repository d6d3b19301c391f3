// Deletion that really deletes: on the embedded database, by the time a deletion certificate
// is issued, the deleted bytes are in no file of the data folder (FerretDB runs SQLite with
// secure_delete, and the launcher checkpoints and truncates every -wal file before signing);
// when that cannot be done, no certificate is issued.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../core/privacy/audit-log.ts';
import { createDeletionCertificates } from '../../../core/privacy/deletion-certificates.ts';
import { loadSigningKey } from '../../../core/privacy/signing-key.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import { tenantDatabaseName, verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { startEmbeddedDb, type EmbeddedDb } from '../../../infra/local/embedded-db.ts';
import { testTenantId } from '../../support/db.ts';
import { json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { captionedMeeting, organization, waitForStatus } from '../meetings/people.ts';
import { createMeetingPipeline } from '../../../core/meetings/pipeline/pipeline.ts';
import { certifyOwed } from '../../../core/meetings/retention/source-certificates.ts';

/** Every file under a folder, with its path. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The byte strings found in some file under `dir`. */
function foundUnder(dir: string, needles: Buffer[]): Buffer[] {
  const files = filesUnder(dir).map((file) => readFileSync(file));
  return needles.filter((needle) => files.some((bytes) => bytes.includes(needle)));
}

describe('deleting a meeting on the embedded database', () => {
  let app: TestQuorum;

  beforeAll(async () => {
    // Quorum as `npm start` runs it: its own embedded database in its own data folder.
    app = await startTestQuorum({}, { ownDatabase: true });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('leaves its data key and transcript in no file of the data folder once the certificate is issued', async () => {
    const acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' });
    const id = await captionedMeeting(acme.admin, 'Budget review');
    expect((await waitForStatus(acme.admin, id, ['ready', 'failed'])).status).toBe('ready');

    const tenantDb = app.quorum.store.connection.useDb(`quorum_t_${acme.tenantId}`).db!;
    const dataKeys = tenantDb.collection<{ _id: string; wrapped?: string }>('data_keys');
    const { wrapped } = (await dataKeys.findOne({ _id: `meeting:${id}` }))!;
    expect(wrapped).toMatch(/^[A-Za-z0-9+/]{40,}={0,2}$/);
    const chunks = await tenantDb
      .collection<{ segments: string }>('meeting_chunks')
      .find({ meetingId: id })
      .toArray();
    expect(chunks.length).toBeGreaterThan(0);
    const stored = [
      // The wrapped key as stored: base64 text in its document (which is updated, not deleted).
      Buffer.from(wrapped!, 'utf8'),
      // The transcript as stored, sealed text (its documents are deleted).
      ...chunks.map((chunk) => Buffer.from(chunk.segments, 'utf8')),
    ];
    // The scan finds them all while the meeting exists, so it can tell.
    expect(foundUnder(app.dataDir, stored)).toHaveLength(stored.length);
    // The key as the key provider made it, in case anything kept it so.
    const needles = [...stored, Buffer.from(wrapped!, 'base64')];

    const deleted = await acme.admin.request(`/api/meetings/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect((await json(deleted)).certificateId).toEqual(expect.any(String));
    expect(foundUnder(app.dataDir, needles).map(String)).toEqual([]);
    // The tombstone stays, without the key.
    expect(await dataKeys.findOne({ _id: `meeting:${id}` })).toMatchObject({
      destroyedAt: expect.any(Date),
    });
  });
});

describe('deleting captions once transcribed, on the embedded database', () => {
  let app: TestQuorum;

  beforeAll(async () => {
    // A web node runs no jobs: this test moves the meeting on itself, step by step.
    app = await startTestQuorum({ QUORUM_ROLE: 'web' }, { ownDatabase: true });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('leaves them in no file of the data folder once their certificate is issued', async () => {
    const acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' });
    const id = await captionedMeeting(acme.admin, 'Budget review');
    const tenantDb = app.quorum.store.connection.useDb(`quorum_t_${acme.tenantId}`).db!;
    const sources = tenantDb.collection<{ _id: string; captions?: string }>('meeting_sources');
    const { captions } = (await sources.findOne({ _id: id }))!;
    const needle = Buffer.from(captions!, 'utf8');
    expect(foundUnder(app.dataDir, [needle])).toHaveLength(1);

    const { kit } = app.quorum.services.meetings;
    const ctx = verifiedTenantContext(acme.tenantId, 'system');
    expect(await createMeetingPipeline(kit).process(acme.tenantId, id)).toBe('done');
    const { recording } = await json(acme.admin.request(`/api/meetings/${id}`));
    expect(await certifyOwed(kit, ctx)).toBe(1);
    expect((await acme.admin.request(`/api/certificates/${recording.certificateId}`)).status).toBe(
      200,
    );
    expect(foundUnder(app.dataDir, [needle])).toEqual([]);
    expect(await sources.countDocuments({ _id: id })).toBe(0);
  });
});

describe('a scrub that cannot finish', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quorum-scrub-'));
  let db: EmbeddedDb;
  let store: Store;

  beforeAll(async () => {
    db = await startEmbeddedDb({ dataDir, scrubTimeoutMs: 500 });
    store = await openStore({ uri: db.uri });
  });
  afterAll(async () => {
    await store?.close();
    await db?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('issues no certificate, and one once the scrub can finish', async () => {
    const certificates = createDeletionCertificates({
      store,
      storage: db,
      signingKey: await loadSigningKey({ dataDir }),
      audit: createAuditLog({ store }),
      issuer: 'https://quorum.example.org',
    });
    const ctx = verifiedTenantContext(testTenantId(), 'system');
    const database = tenantDatabaseName(ctx);
    await store.connection.useDb(database).db!.collection('notes').insertOne({ text: 'gone soon' });
    const claim = {
      subject: { kind: 'meeting', id: 'm-1' },
      deleted: { notes: 1 },
      kept: [],
      at: new Date(),
    };

    // A reader in the middle of a read keeps the -wal file in use: it cannot be truncated.
    const reader = new DatabaseSync(path.join(dataDir, 'ferretdb', `${database}.sqlite`));
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM _ferretdb_collections').get();
    try {
      await expect(certificates.issueDeletionCertificate(ctx, claim)).rejects.toThrow(
        /no deletion certificate for meeting m-1: the deleted data could not be scrubbed from storage \(.*checkpoint still blocked after 500ms/,
      );
      expect(await certificates.findBySubject(ctx, 'meeting', 'm-1')).toBeUndefined();
    } finally {
      reader.exec('COMMIT');
      reader.close();
    }

    const signed = await certificates.issueDeletionCertificate(ctx, claim);
    expect(await certificates.findBySubject(ctx, 'meeting', 'm-1')).toBe(signed.certificate.id);
  });

  it("scrubs only the tenant's database for meeting content: a reader elsewhere does not block it", async () => {
    const certificates = createDeletionCertificates({
      store,
      storage: db,
      signingKey: await loadSigningKey({ dataDir }),
      audit: createAuditLog({ store }),
      issuer: 'https://quorum.example.org',
    });
    const ctx = verifiedTenantContext(testTenantId(), 'system');
    await store.connection
      .useDb(tenantDatabaseName(ctx))
      .db!.collection('notes')
      .insertOne({ text: 'gone soon' });
    // Another database with something in its -wal file, and a reader in the middle of a read.
    const other = 'quorum_other';
    await store.connection.useDb(other).db!.collection('notes').insertOne({ text: 'busy' });
    const reader = new DatabaseSync(path.join(dataDir, 'ferretdb', `${other}.sqlite`));
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM _ferretdb_collections').get();
    const claim = {
      subject: { kind: 'meeting', id: 'm-2' },
      deleted: { notes: 1 },
      kept: [],
      at: new Date(),
    };
    try {
      // Every database: the reader blocks it.
      await expect(certificates.issueDeletionCertificate(ctx, claim)).rejects.toThrow(
        /checkpoint still blocked after 500ms/,
      );
      const signed = await certificates.issueDeletionCertificate(ctx, claim, { scrub: 'tenant' });
      expect(await certificates.findBySubject(ctx, 'meeting', 'm-2')).toBe(signed.certificate.id);
    } finally {
      reader.exec('COMMIT');
      reader.close();
    }
  });
});
