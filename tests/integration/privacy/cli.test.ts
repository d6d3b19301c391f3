// The operator commands, each run in a child process through its exported function (the way
// `quorum keys|audit|certificate …` will call it), against the real database.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntryId, createAuditLog } from '../../../core/privacy/audit-log.ts';
import { createDeletionCertificates } from '../../../core/privacy/deletion-certificates.ts';
import { createEnvelope } from '../../../core/privacy/envelope.ts';
import { openLocalKeyring } from '../../../core/privacy/local-keyring.ts';
import { SIGNING_KEY_FILE, loadSigningKey } from '../../../core/privacy/signing-key.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import { tenantDatabaseName, verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const moduleUrl = (file: string) => pathToFileURL(path.resolve(file)).href;

/** Runs `fn(config, ...args)` from an infra/cli module in a fresh Node process. */
function cli(file: string, fn: string, args: unknown[], env: Record<string, string>): Promise<Run> {
  const script = `
    const { loadConfig } = await import(${JSON.stringify(moduleUrl('infra/server/config.ts'))});
    const command = await import(${JSON.stringify(moduleUrl(file))});
    const loaded = loadConfig(process.env);
    if (!loaded.ok) throw new Error(loaded.problems.join('; '));
    process.exitCode = await command[${JSON.stringify(fn)}](loaded.config, ...${JSON.stringify(args)});
  `;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

let store: Store;
let client: MongoClient;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'quorum-cli-'));
const newDataDir = () => mkdtempSync(path.join(scratch, 'data-'));

beforeAll(async () => {
  store = await openStore({ uri: mongoUri() });
  client = await new MongoClient(mongoUri()).connect();
});

afterAll(async () => {
  await client?.close();
  await store?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('quorum audit verify', () => {
  it('says the chain is intact (exit 0), then names the first bad entry after tampering (exit 1)', async () => {
    const ctx = verifiedTenantContext(testTenantId(), 'system');
    const audit = createAuditLog({ store });
    for (const actor of ['user:a', 'user:b', 'user:c']) {
      await audit.append(ctx, { action: 'sign-out', actor });
    }
    const env = { MONGODB_URI: mongoUri(), QUORUM_DATA_DIR: newDataDir() };
    const intact = await cli(
      'infra/cli/audit.ts',
      'auditVerifyCommand',
      [{ tenant: ctx.tenantId }],
      env,
    );
    expect(intact.stderr).toBe('');
    expect(intact.status).toBe(0);
    expect(intact.stdout).toMatch(/^chain intact: 3 entries\n/);

    await client
      .db(tenantDatabaseName(ctx))
      .collection('audit_log')
      .updateOne({ _id: auditEntryId(2) as never }, { $set: { actor: 'user:z' } });
    const broken = await cli(
      'infra/cli/audit.ts',
      'auditVerifyCommand',
      [{ tenant: ctx.tenantId }],
      env,
    );
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/chain broken at entry 2 \(edited\)/);
  });

  it('names entries cut off the end after an anchor even with the head rewritten, also from a copy held elsewhere', async () => {
    const dataDir = newDataDir();
    const key = await loadSigningKey({ dataDir });
    const ctx = verifiedTenantContext(testTenantId(), 'system');
    const audit = createAuditLog({ store });
    for (const actor of ['user:a', 'user:b', 'user:c', 'user:d']) {
      await audit.append(ctx, { action: 'sign-out', actor });
    }
    const signed = await createDeletionCertificates({
      store,
      signingKey: key,
      audit,
      issuer: 'https://q.example',
    }).issueDeletionCertificate(ctx, {
      subject: { kind: 'meeting', id: 'm1' },
      deleted: { audio: 1 },
      kept: [],
      at: new Date(),
    });
    const { id, issuedAt, auditHead } = signed.certificate;
    const env = { MONGODB_URI: mongoUri(), QUORUM_DATA_DIR: dataDir };
    const verify = (options: object, environment = env) =>
      cli(
        'infra/cli/audit.ts',
        'auditVerifyCommand',
        [{ tenant: ctx.tenantId, ...options }],
        environment,
      );

    const [intact, noKey] = await Promise.all([
      verify({}),
      verify({}, { ...env, QUORUM_DATA_DIR: newDataDir() }),
    ]);
    expect(intact.stderr).toBe('');
    expect(intact.status).toBe(0);
    // The latest anchor (this certificate) and the certificate itself.
    expect(intact.stdout).toContain(
      `anchored: entry 4, sha256 ${auditHead!.hash}, by the anchor of ${issuedAt} ` +
        `(certificate ${id}); 2 anchor(s) checked\n`,
    );
    expect(noKey.status).toBe(0);
    expect(noKey.stdout).toMatch(/anchor signatures not checked: no certificate signing key/);

    // Entries 3 and 4 deleted, the head record moved back to entry 2.
    const db = client.db(tenantDatabaseName(ctx));
    await db.collection('audit_log').deleteMany({ _id: { $gt: auditEntryId(2) } as never });
    const two = await db.collection('audit_log').findOne({ _id: auditEntryId(2) as never });
    await db
      .collection('audit_head')
      .replaceOne({ _id: 'head' as never }, { seq: 2, hash: two!.hash }, { upsert: true });
    const cut = await verify({});
    expect(cut.status).toBe(1);
    expect(cut.stdout).toContain(
      `chain broken at entry 3 (truncated): the audit log ends at entry 2 but the anchor of ` +
        `${issuedAt} (certificate ${id}) names entry 4 with hash ${auditHead!.hash}: ` +
        'entries were removed\n',
    );

    // Every anchor in the database gone too: the certificate its customer holds still tells.
    await db.collection('audit_checkpoints').deleteMany({});
    await db.collection('deletion_certificates').deleteMany({});
    const held = path.join(dataDir, 'held.json');
    writeFileSync(held, JSON.stringify(signed));
    const [unanchored, withCopy, unreadable] = await Promise.all([
      verify({}),
      verify({ anchor: [held] }),
      verify({ anchor: [path.join(dataDir, 'nope.json')] }),
    ]);
    expect(unanchored.status).toBe(0);
    expect(unanchored.stdout).toMatch(/^chain intact: 2 entries\n.*\nno anchor yet: /);
    expect(withCopy.status).toBe(1);
    expect(withCopy.stdout).toContain(`(the file ${held}) names entry 4 with hash`);
    expect(unreadable.status).toBe(2);
    expect(unreadable.stderr).toMatch(/cannot read the anchor .*nope.json/);
  });

  it('refuses an unknown tenant (exit 1) and an invalid tenant id (exit 2)', async () => {
    const env = { MONGODB_URI: mongoUri(), QUORUM_DATA_DIR: newDataDir() };
    const [unknown, invalid] = await Promise.all([
      cli('infra/cli/audit.ts', 'auditVerifyCommand', [{ tenant: testTenantId() }], env),
      cli('infra/cli/audit.ts', 'auditVerifyCommand', [{ tenant: '../etc' }], env),
    ]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/has no database/);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toMatch(/invalid tenant id/);
  });
});

describe('quorum keys rotate', () => {
  it('re-wraps the data keys under a new KEK version and records it in the audit log', async () => {
    const dataDir = newDataDir();
    const ctx = verifiedTenantContext(testTenantId(), 'system');
    const keyring = await openLocalKeyring({ dataDir });
    const envelope = createEnvelope({ store, keys: keyring });
    const target = { collection: 'summaries', id: 's1', field: 'text' };
    const sealed = await envelope.encrypt(
      ctx,
      { kind: 'meeting', meetingId: 'm1' },
      target,
      'kept secret',
    );
    await envelope.sealToken(
      ctx,
      { collection: 'calendar_grants', id: 'g1', field: 'accessToken' },
      'ya29.token',
    );

    const run = await cli('infra/cli/keys.ts', 'keysRotateCommand', [{ tenant: ctx.tenantId }], {
      MONGODB_URI: mongoUri(),
      QUORUM_DATA_DIR: dataDir,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('key-encryption key version 2 is current; 2 data keys re-wrapped');

    const versions = await client
      .db(tenantDatabaseName(ctx))
      .collection('data_keys')
      .distinct('kekVersion');
    expect(versions).toEqual(['2']);
    const fresh = createEnvelope({ store, keys: await openLocalKeyring({ dataDir }) });
    expect(await fresh.decrypt(ctx, target, sealed)).toBe('kept secret');
    const [last] = await createAuditLog({ store }).entries(ctx, { limit: 1 });
    expect(last).toMatchObject({
      action: 'key.rotated',
      actor: 'operator:cli',
      details: { kekVersion: '2', rewrapped: 2 },
    });
  });

  it('refuses to run with a keyring others can read', async () => {
    const dataDir = newDataDir();
    const ctx = verifiedTenantContext(testTenantId(), 'system');
    const keyring = await openLocalKeyring({ dataDir });
    await createEnvelope({ store, keys: keyring }).sealToken(
      ctx,
      { collection: 'c', id: 'i', field: 'f' },
      't',
    );
    chmodSync(keyring.file, 0o644);
    const run = await cli('infra/cli/keys.ts', 'keysRotateCommand', [{ tenant: ctx.tenantId }], {
      MONGODB_URI: mongoUri(),
      QUORUM_DATA_DIR: dataDir,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`chmod 600 ${keyring.file}`);
  });
});

describe('quorum certificate verify (offline)', () => {
  it('exits 0 only when signature and content match, with the data dir key or --key', async () => {
    const dataDir = newDataDir();
    const key = await loadSigningKey({ dataDir });
    const ctx = verifiedTenantContext(testTenantId(), 'system');
    const signed = await createDeletionCertificates({
      store,
      signingKey: key,
      audit: createAuditLog({ store }),
      issuer: 'https://q.example',
    }).issueDeletionCertificate(ctx, {
      subject: { kind: 'meeting', id: 'm1' },
      deleted: { audio: 1 },
      kept: [],
      at: new Date(),
    });
    const good = path.join(dataDir, 'good.json');
    writeFileSync(good, JSON.stringify(signed, null, 2));
    const altered = path.join(dataDir, 'altered.json');
    writeFileSync(altered, JSON.stringify(signed).replace('"audio":1', '"audio":0'));
    const jwkFile = path.join(dataDir, 'key.jwk');
    writeFileSync(jwkFile, JSON.stringify({ keys: [key.publicJwk] }));
    const otherJwk = path.join(dataDir, 'other.jwk');
    writeFileSync(
      otherJwk,
      JSON.stringify((await loadSigningKey({ dataDir: newDataDir() })).publicJwk),
    );

    // No database anywhere near: an unreachable MONGODB_URI must not matter.
    const env = { QUORUM_DATA_DIR: dataDir, MONGODB_URI: 'mongodb://127.0.0.1:9/' };
    const verify = (file: string, options: object, environment: Record<string, string> = env) =>
      cli('infra/cli/certificate.ts', 'certificateVerifyCommand', [file, options], environment);
    const elsewhere = newDataDir();
    const pem = readFileSync(path.join(dataDir, SIGNING_KEY_FILE), 'utf8');
    const [withDataDir, withKey, tampered, unknownKey, missing, noKey, withPem] = await Promise.all(
      [
        verify(good, {}),
        verify(good, { key: jwkFile }),
        verify(altered, { key: jwkFile }),
        verify(good, { key: otherJwk }),
        verify(path.join(dataDir, 'nope.json'), {}),
        verify(good, {}, { QUORUM_DATA_DIR: elsewhere }),
        verify(good, {}, { QUORUM_DATA_DIR: elsewhere, QUORUM_SIGNING_KEY_PEM: pem }),
      ],
    );
    expect(withDataDir.status).toBe(0);
    expect(withDataDir.stdout).toMatch(/^valid: deletion certificate .* signed by key /);
    expect(withKey.status).toBe(0);
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toMatch(/^invalid \(content-altered\)/);
    expect(unknownKey.status).toBe(1);
    expect(unknownKey.stdout).toMatch(/^invalid \(unknown-key-id\)/);
    expect(missing.status).toBe(2);
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toMatch(/no certificate signing key at .*pass the published public key/);
    expect(withPem.status).toBe(0);
  });
});
