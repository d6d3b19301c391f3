// Audit anchors on the real database: deletion certificates and daily checkpoints sign the head
// of the audit log, and the verification checks the log against them, so entries cut off the
// end are named even when the head record was rewritten to match. Tampering goes through the
// raw driver, as someone with write access to the database would.
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import canonicalize from 'canonicalize';
import { MongoClient, type Collection } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tenant } from '../../../core/identity/models.ts';
import { auditCheckpointJob, checkpointTenant } from '../../../core/privacy/audit-checkpoint.ts';
import {
  auditEntryId,
  createAuditLog,
  type AuditInput,
  type AuditLog,
} from '../../../core/privacy/audit-log.ts';
import {
  createDeletionCertificates,
  type DeletionCertificates,
} from '../../../core/privacy/deletion-certificates.ts';
import { loadSigningKey, type SigningKey } from '../../../core/privacy/signing-key.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import {
  tenantDatabaseName,
  verifiedTenantContext,
  type TenantContext,
} from '../../../core/store/tenant-context.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';
import { json, startTestQuorum } from '../../support/quorum-app.ts';
import { organization } from '../meetings/people.ts';
import { capturedLogger } from '../../support/captured-logger.ts';

let store: Store;
let client: MongoClient;
let key: SigningKey;
let audit: AuditLog;
let certificates: DeletionCertificates;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'quorum-anchors-'));
const today = () => new Date().toISOString().slice(0, 10);

type Raw = Collection<{ _id: string; [key: string]: unknown }>;
const raw = (ctx: TenantContext, collection: string): Raw =>
  client.db(tenantDatabaseName(ctx)).collection(collection);

const newTenant = () => verifiedTenantContext(testTenantId(), 'system');

const entry = (i: number): AuditInput => ({
  action: 'booking.created',
  actor: `user:u${i}`,
  target: `booking:b${i}`,
  details: { attendees: [i] },
});

async function append(ctx: TenantContext, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) await audit.append(ctx, entry(i));
}

async function tenantWithEntries(count: number): Promise<TenantContext> {
  const ctx = newTenant();
  await append(ctx, count);
  return ctx;
}

const claim = (id: string) => ({
  subject: { kind: 'meeting', id },
  deleted: { 'transcript segments': 3 },
  kept: [],
  at: new Date(),
});

const hashOf = async (ctx: TenantContext, seq: number) =>
  (await raw(ctx, 'audit_log').findOne({ _id: auditEntryId(seq) }))!.hash as string;

/** What someone with write access does: the entries after `keep` deleted, the head moved back. */
async function cutAfter(ctx: TenantContext, keep: number): Promise<void> {
  await raw(ctx, 'audit_log').deleteMany({ _id: { $gt: auditEntryId(keep) } });
  await raw(ctx, 'audit_head').replaceOne(
    { _id: 'head' },
    { seq: keep, hash: await hashOf(ctx, keep) },
    { upsert: true },
  );
}

beforeAll(async () => {
  store = await openStore({ uri: mongoUri() });
  client = await new MongoClient(mongoUri()).connect();
  key = await loadSigningKey({ dataDir: scratch });
  audit = createAuditLog({ store, verificationKeys: key.publicJwk });
  certificates = createDeletionCertificates({
    store,
    signingKey: key,
    audit,
    issuer: 'https://quorum.example.org',
  });
});

afterAll(async () => {
  await client?.close();
  await store?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('audit anchors', () => {
  it('names entries cut off the end after a certificate, with the head record rewritten to match', async () => {
    const ctx = await tenantWithEntries(6);
    const signed = await certificates.issueDeletionCertificate(ctx, claim('m-1'));
    expect(await certificates.issuedFor(ctx, 'meeting', 'm-1')).toMatchObject({ audited: false });
    await append(ctx, 2);
    await cutAfter(ctx, 4);

    const report = await audit.verifyAuditChain(ctx);
    expect(report).toMatchObject({
      intact: false,
      checked: 4,
      firstBad: { seq: 5, problem: 'truncated' },
    });
    expect(report.intact || report.firstBad.message).toBe(
      `the audit log ends at entry 4 but the anchor of ${signed.certificate.issuedAt} ` +
        `(certificate ${signed.certificate.id}) names entry 6 with hash ` +
        `${signed.certificate.auditHead?.hash}: entries were removed`,
    );
  });

  it("covers the deletion's own audit entry, so cutting just that entry is named", async () => {
    const ctx = await tenantWithEntries(3);
    const signed = await certificates.issueDeletionCertificate(ctx, {
      ...claim('m-2'),
      audit: { actor: 'user:u1', target: 'meeting:m-2', details: { reason: 'asked' } },
    });
    const [last] = await audit.entries(ctx, { limit: 1 });
    expect(last).toMatchObject({
      seq: 4,
      action: 'data.deleted',
      actor: 'user:u1',
      target: 'meeting:m-2',
      details: { certificateId: signed.certificate.id, kind: 'meeting', reason: 'asked' },
    });
    expect(signed.certificate.auditHead).toEqual({ seq: 4, hash: last!.hash });
    // Its subject's record says so: a retry that finds it does not audit the deletion again.
    expect(await certificates.issuedFor(ctx, 'meeting', 'm-2')).toEqual({
      certificateId: signed.certificate.id,
      audited: true,
    });

    await cutAfter(ctx, 3);
    expect(await audit.verifyAuditChain(ctx)).toMatchObject({
      intact: false,
      firstBad: { seq: 4, problem: 'truncated', message: expect.stringMatching(/names entry 4/) },
    });
  });

  it('names the anchored entry when new entries were appended over the cut', async () => {
    const ctx = await tenantWithEntries(5);
    await certificates.issueDeletionCertificate(ctx, claim('m-3'));
    await cutAfter(ctx, 3);
    // Appends carry on from the rewritten head: entries 4 to 6 are new, with new hashes.
    await append(ctx, 3);
    expect(await audit.verifyAuditChain(ctx)).toMatchObject({
      intact: false,
      checked: 4,
      firstBad: {
        seq: 5,
        problem: 'rewritten',
        message: expect.stringMatching(/^entry 5 is not the entry the anchor of .* names/),
      },
    });
  });

  it('verifies an untouched chain against its latest anchor, and against every anchor', async () => {
    const ctx = await tenantWithEntries(3);
    const deps = { audit, signingKey: key };
    expect(await checkpointTenant(deps, store, ctx)).toMatchObject({ made: true });
    await certificates.issueDeletionCertificate(ctx, {
      ...claim('m-4'),
      audit: { actor: 'system', target: 'meeting:m-4' },
    });
    await append(ctx, 2);
    expect(await checkpointTenant(deps, store, ctx)).toMatchObject({ made: true, day: today() });

    expect(await audit.verifyAuditChain(ctx)).toEqual({
      intact: true,
      entries: 6,
      head: { seq: 6, hash: await hashOf(ctx, 6) },
      anchor: {
        seq: 6,
        hash: await hashOf(ctx, 6),
        at: expect.any(String),
        source: { kind: 'checkpoint', id: today() },
        signature: 'verified',
      },
      anchors: 1,
    });
    // The latest, today's checkpoint (the later one of the day) and the certificate.
    expect(await audit.verifyAuditChain(ctx, { all: true })).toMatchObject({
      intact: true,
      entries: 6,
      anchors: 3,
    });
  });

  it('the checkpoint job signs each tenant’s head; the signature verifies with the public key', async () => {
    const jobStore = await openStore({ uri: mongoUri(), controlDbName: `qc_${testTenantId()}` });
    try {
      const ctx = await tenantWithEntries(4);
      const empty = newTenant();
      await jobStore.controlModel(Tenant).create([
        { _id: ctx.tenantId, name: 'Acme' },
        { _id: empty.tenantId, name: 'Empty' },
      ]);
      const { logger, text: output } = capturedLogger();
      await auditCheckpointJob({ audit, signingKey: key }).run({}, { store: jobStore, logger });

      const stored = await raw(ctx, 'audit_checkpoints').findOne({ _id: today() });
      const { anchor, signature } = JSON.parse(stored!.document as string);
      expect(anchor).toMatchObject({
        type: 'quorum.audit-anchor',
        tenantId: ctx.tenantId,
        kid: key.kid,
        seq: 4,
        hash: await hashOf(ctx, 4),
      });
      const publicKey = createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: key.publicJwk.x },
        format: 'jwk',
      });
      const bytes = Buffer.from(canonicalize(anchor)!, 'utf8');
      expect(verify(null, bytes, publicKey, Buffer.from(signature.value, 'base64url'))).toBe(true);
      const forged = Buffer.from(canonicalize({ ...anchor, seq: 3 })!, 'utf8');
      expect(verify(null, forged, publicKey, Buffer.from(signature.value, 'base64url'))).toBe(
        false,
      );
      // A copy in the log output, outside the database; an empty log has nothing to anchor.
      const line = output()
        .split('\n')
        .filter(Boolean)
        .map((text) => JSON.parse(text))
        .find((logged) => logged.msg === 'audit checkpoint');
      expect(line).toMatchObject({ tenantId: ctx.tenantId, checkpoint: { anchor, signature } });
      // That line, kept outside the database, is an anchor a verification can be given.
      await cutAfter(ctx, 3);
      await raw(ctx, 'audit_checkpoints').deleteMany({});
      expect(
        await audit.verifyAuditChain(ctx, {
          given: [{ name: 'quorum.log', document: JSON.stringify(line) }],
        }),
      ).toMatchObject({ firstBad: { problem: 'truncated' } });
      expect(await raw(empty, 'audit_checkpoints').countDocuments()).toBe(0);
    } finally {
      await jobStore.close();
    }
  });

  it('refuses to checkpoint a log cut after its latest anchor, keeping the anchor that shows it', async () => {
    const ctx = await tenantWithEntries(5);
    const deps = { audit, signingKey: key };
    await checkpointTenant(deps, store, ctx);
    await cutAfter(ctx, 3);
    await append(ctx, 1);
    const refused = await checkpointTenant(deps, store, ctx);
    expect(refused).toMatchObject({
      made: false,
      problem: expect.stringMatching(/names entry 5 with hash \w+, but the log no longer has/),
    });
    expect(await audit.verifyAuditChain(ctx)).toMatchObject({
      firstBad: { seq: 5, problem: 'truncated' },
    });
  });

  it('reports an anchor whose signature or content was tampered with', async () => {
    const ctx = await tenantWithEntries(3);
    await checkpointTenant({ audit, signingKey: key }, store, ctx);
    const checkpoints = raw(ctx, 'audit_checkpoints');
    const latest = (await checkpoints.findOne({ _id: 'latest' }))!;
    const signed = JSON.parse(latest.document as string);
    const value = signed.signature.value as string;
    const flipped = `${value[0] === 'A' ? 'B' : 'A'}${value.slice(1)}`;
    await checkpoints.updateOne(
      { _id: 'latest' },
      {
        $set: {
          document: JSON.stringify({ ...signed, signature: { alg: 'EdDSA', value: flipped } }),
        },
      },
    );
    const report = await audit.verifyAuditChain(ctx);
    expect(report).toMatchObject({ intact: false, firstBad: { problem: 'anchor-invalid' } });
    expect(report.intact || report.firstBad.message).toMatch(
      new RegExp(
        `^the anchor in checkpoint ${today()} does not verify \\(its signature was not made`,
      ),
    );

    // A day's checkpoint moved back to hide later entries: found by the full verification.
    await checkpoints.updateOne({ _id: 'latest' }, { $set: { document: latest.document } });
    const day = (await checkpoints.findOne({ _id: today() }))!;
    const moved = JSON.parse(day.document as string);
    moved.anchor.seq = 2;
    await checkpoints.updateOne({ _id: today() }, { $set: { document: JSON.stringify(moved) } });
    expect(await audit.verifyAuditChain(ctx)).toMatchObject({ intact: true });
    expect(await audit.verifyAuditChain(ctx, { all: true })).toMatchObject({
      intact: false,
      firstBad: { problem: 'anchor-invalid' },
    });
  });

  it('after the certificate key is replaced, the next anchor takes the latest place; older ones need the old key', async () => {
    const ctx = await tenantWithEntries(2);
    await certificates.issueDeletionCertificate(ctx, claim('m-6'));
    const replaced = await loadSigningKey({ dataDir: mkdtempSync(path.join(scratch, 'new-')) });
    const now = createAuditLog({ store, verificationKeys: replaced.publicJwk });
    expect(await now.verifyAuditChain(ctx)).toMatchObject({
      firstBad: { problem: 'anchor-invalid', message: expect.stringMatching(/not among the keys/) },
    });
    await audit.append(ctx, entry(3));
    expect(await checkpointTenant({ audit: now, signingKey: replaced }, store, ctx)).toMatchObject({
      made: true,
    });
    expect(await now.verifyAuditChain(ctx)).toMatchObject({ intact: true, anchor: { seq: 3 } });
    expect(await now.verifyAuditChain(ctx, { all: true })).toMatchObject({
      firstBad: {
        problem: 'anchor-invalid',
        message: expect.stringMatching(/^the anchor in certificate /),
      },
    });
    const both = createAuditLog({
      store,
      verificationKeys: { keys: [key.publicJwk, replaced.publicJwk] },
    });
    expect(await both.verifyAuditChain(ctx, { all: true })).toMatchObject({
      intact: true,
      anchors: 3,
    });
  });

  it('catches the cut with a certificate held elsewhere when every anchor in the database is gone', async () => {
    const ctx = await tenantWithEntries(4);
    const signed = await certificates.issueDeletionCertificate(ctx, {
      ...claim('m-5'),
      audit: { actor: 'system', target: 'meeting:m-5' },
    });
    const text = (await certificates.certificateText(ctx, signed.certificate.id))!;
    await cutAfter(ctx, 2);
    await raw(ctx, 'audit_checkpoints').deleteMany({});
    await raw(ctx, 'deletion_certificates').deleteMany({});
    expect(await audit.verifyAuditChain(ctx, { all: true })).toMatchObject({
      intact: true,
      anchor: null,
    });
    expect(
      await audit.verifyAuditChain(ctx, { given: [{ name: 'm-5.json', document: text }] }),
    ).toMatchObject({
      intact: false,
      firstBad: {
        seq: 3,
        problem: 'truncated',
        message: expect.stringMatching(/\(the file m-5.json\) names entry 5 with hash/),
      },
    });
    // Another organization's certificate is no anchor of this log.
    const other = await tenantWithEntries(1);
    expect(
      await audit.verifyAuditChain(other, { given: [{ name: 'm-5.json', document: text }] }),
    ).toMatchObject({
      intact: false,
      firstBad: {
        problem: 'anchor-invalid',
        message: expect.stringContaining(`anchors the log of tenant ${ctx.tenantId}`),
      },
    });
  });
});

describe('GET /api/audit', () => {
  it("checks the chain against the tenant's latest anchor", async () => {
    const app = await startTestQuorum();
    try {
      const org = await organization(app, 'Anchor Co', {
        name: 'Ana',
        email: 'ana@anchor.example',
      });
      const { services } = app.quorum;
      const ctx = verifiedTenantContext(org.tenantId, 'system');
      for (let i = 1; i <= 3; i++) await services.audit.append(ctx, entry(i));
      const deps = { audit: services.audit, signingKey: services.signingKey };
      expect(await checkpointTenant(deps, services.store, ctx)).toMatchObject({ made: true });
      const { seq } = await services.audit.head(ctx);

      const before = await json(org.admin.request('/api/audit'));
      expect(before.verification).toMatchObject({
        intact: true,
        anchor: { seq, source: { kind: 'checkpoint' }, signature: 'verified' },
      });
      await cutAfter(ctx, seq - 2);
      const after = await json(org.admin.request('/api/audit'));
      expect(after.verification).toMatchObject({
        intact: false,
        firstBad: {
          seq: seq - 1,
          problem: 'truncated',
          message: expect.stringMatching(
            new RegExp(`ends at entry ${seq - 2} but .* names entry ${seq} `),
          ),
        },
      });
    } finally {
      await app.stop();
    }
  });
});
