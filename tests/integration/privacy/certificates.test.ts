// Deletion certificates issued into the tenant database, and verified from what is stored.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../core/privacy/audit-log.ts';
import { verifyDeletionCertificate } from '../../../core/privacy/deletion-certificate.ts';
import { certificateSubjectsStep } from '../../../core/privacy/certificate-migration.ts';
import {
  createDeletionCertificates,
  type DeletionCertificates,
} from '../../../core/privacy/deletion-certificates.ts';
import { loadSigningKey, type SigningKey } from '../../../core/privacy/signing-key.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import { tenantDatabaseName, verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';

let store: Store;
let client: MongoClient;
let key: SigningKey;
let certificates: DeletionCertificates;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'quorum-cert-'));
const issuedAt = new Date('2025-03-01T10:00:05.000Z');

const claim = {
  subject: { kind: 'meeting', id: 'm-42' },
  deleted: { 'transcript segments': 118, summaries: 1, 'action items': 4 },
  kept: [{ what: 'booking (ids, times, attendees)', why: 'the calendar event still exists' }],
  at: new Date('2025-03-01T10:00:00.000Z'),
};

beforeAll(async () => {
  store = await openStore({ uri: mongoUri() });
  client = await new MongoClient(mongoUri()).connect();
  key = await loadSigningKey({ dataDir: scratch });
  certificates = createDeletionCertificates({
    store,
    signingKey: key,
    audit: createAuditLog({ store }),
    issuer: 'https://quorum.example.org',
    now: () => issuedAt,
  });
});

afterAll(async () => {
  await client?.close();
  await store?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('deletion certificates', () => {
  it('issues a signed certificate with id, tenant, issuer and key id, and stores it', async () => {
    const ctx = verifiedTenantContext(testTenantId(), 'system');
    const signed = await certificates.issueDeletionCertificate(ctx, claim);
    expect(signed.certificate).toMatchObject({
      type: 'quorum.deletion-certificate',
      version: 1,
      tenantId: ctx.tenantId,
      issuer: 'https://quorum.example.org',
      kid: key.kid,
      subject: claim.subject,
      deleted: claim.deleted,
      kept: claim.kept,
      deletedAt: '2025-03-01T10:00:00.000Z',
      issuedAt: '2025-03-01T10:00:05.000Z',
    });
    expect(signed.certificate.id).toMatch(/^[0-9a-f-]{36}$/);

    const text = await certificates.certificateText(ctx, signed.certificate.id);
    expect(JSON.parse(text!)).toEqual(signed);
    expect(verifyDeletionCertificate(text!, key.publicJwk)).toMatchObject({ valid: true });
    expect(await certificates.certificateText(ctx, 'no-such-id')).toBeUndefined();

    const stored = await client
      .db(tenantDatabaseName(ctx))
      .collection('deletion_certificates')
      .findOne({ _id: signed.certificate.id as never });
    expect(stored).toMatchObject({ subjectKind: 'meeting', subjectId: 'm-42' });
  });

  it('a certificate edited in the database no longer verifies', async () => {
    const ctx = verifiedTenantContext(testTenantId(), 'system');
    const signed = await certificates.issueDeletionCertificate(ctx, claim);
    const collection = client.db(tenantDatabaseName(ctx)).collection('deletion_certificates');
    const stored = await collection.findOne({ _id: signed.certificate.id as never });
    const edited = (stored!.document as string).replace('"summaries":1', '"summaries":0');
    expect(edited).not.toBe(stored!.document);
    await collection.updateOne(
      { _id: signed.certificate.id as never },
      { $set: { document: edited } },
    );
    const text = await certificates.certificateText(ctx, signed.certificate.id);
    expect(verifyDeletionCertificate(text!, key.publicJwk)).toMatchObject({
      valid: false,
      reason: 'content-altered',
    });
  });

  it('issues one certificate per subject, even to runs that race, and finds it by subject', async () => {
    const ctx = verifiedTenantContext(testTenantId(), 'system');
    const issued = await Promise.all(
      Array.from({ length: 4 }, () => certificates.issueDeletionCertificate(ctx, claim)),
    );
    const ids = new Set(issued.map((signed) => signed.certificate.id));
    expect(ids.size).toBe(1);
    const [id] = ids;
    expect(await certificates.findBySubject(ctx, 'meeting', 'm-42')).toBe(id);
    expect(await certificates.findBySubject(ctx, 'meeting', 'm-43')).toBeUndefined();
    const stored = client.db(tenantDatabaseName(ctx)).collection('deletion_certificates');
    expect(await stored.countDocuments()).toBe(1);
    expect(verifyDeletionCertificate(JSON.stringify(issued[3]), key.publicJwk)).toMatchObject({
      valid: true,
    });
  });

  it('keeps the certificate when runs that race name the same certificate id', async () => {
    const ctx = verifiedTenantContext(testTenantId(), 'system');
    const named = {
      ...claim,
      subject: { kind: 'meeting', id: 'm-44' },
      certificateId: randomUUID(),
    };
    const issued = await Promise.all(
      Array.from({ length: 3 }, () => certificates.issueDeletionCertificate(ctx, named)),
    );
    expect(issued.map((signed) => signed.certificate.id)).toEqual(
      Array(3).fill(named.certificateId),
    );
    expect(await certificates.findBySubject(ctx, 'meeting', 'm-44')).toBe(named.certificateId);
    const text = await certificates.certificateText(ctx, named.certificateId);
    expect(text).toBeDefined();
    expect(verifyDeletionCertificate(text!, key.publicJwk)).toMatchObject({ valid: true });
  });

  it('finds certificates issued before subject records existed, after the migration', async () => {
    const ctx = verifiedTenantContext(testTenantId(), 'system');
    const first = await certificates.issueDeletionCertificate(ctx, claim);
    const other = await certificates.issueDeletionCertificate(ctx, {
      ...claim,
      subject: { kind: 'account', id: 'u1' },
    });
    const db = client.db(tenantDatabaseName(ctx));
    // As the layout before: a second certificate of the same subject, issued later, and no
    // subject records at all.
    const later = {
      ...(await db
        .collection('deletion_certificates')
        .findOne({ _id: first.certificate.id as never }))!,
    };
    await db.collection('deletion_certificates').insertOne({
      ...later,
      _id: 'later-one' as never,
      issuedAt: new Date(issuedAt.getTime() + 1000),
    });
    await db.collection('deletion_certificate_subjects').deleteMany({});
    expect(await certificates.findBySubject(ctx, 'meeting', 'm-42')).toBeUndefined();

    expect(await certificateSubjectsStep.runForTenant(store, ctx)).toBe(2);
    expect(await certificateSubjectsStep.runForTenant(store, ctx)).toBe(2);
    expect(await certificates.findBySubject(ctx, 'meeting', 'm-42')).toBe('later-one');
    expect(await certificates.findBySubject(ctx, 'account', 'u1')).toBe(other.certificate.id);
  });

  it('refuses a claim that is not well formed, naming the problem', async () => {
    const ctx = verifiedTenantContext(testTenantId(), 'system');
    await expect(
      certificates.issueDeletionCertificate(ctx, { ...claim, deleted: { audio: -1 } }),
    ).rejects.toThrow(/deleted.audio/);
    await expect(
      certificates.issueDeletionCertificate(ctx, { ...claim, kept: [{ what: 'x', why: '' }] }),
    ).rejects.toThrow(/kept.0.why/);
    await expect(
      certificates.issueDeletionCertificate(ctx, { ...claim, at: '2025-03-01' as never }),
    ).rejects.toThrow(/at/);
  });
});
