import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  signDeletionCertificate,
  verifyDeletionCertificate,
  type SignedDeletionCertificate,
} from '../../../core/privacy/deletion-certificate.ts';
import { KeyFileError } from '../../../core/privacy/errors.ts';
import {
  SIGNING_KEY_FILE,
  jwkThumbprint,
  loadSigningKey,
} from '../../../core/privacy/signing-key.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'quorum-signing-'));
const freshDir = () => mkdtempSync(path.join(scratch, 'dir-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const content = {
  id: '5b0f6a53-9d0c-4c38-9a53-0d8e8f6f7c11',
  tenantId: 'tenanta1',
  issuer: 'https://quorum.example.org',
  subject: { kind: 'meeting', id: 'm-42' },
  deleted: { 'transcript segments': 118, summaries: 1, audio: 1 },
  kept: [{ what: 'booking (ids, times, attendees)', why: 'the calendar event still exists' }],
  deletedAt: '2025-03-01T10:00:00.000Z',
  issuedAt: '2025-03-01T10:00:01.000Z',
};

function copy(cert: SignedDeletionCertificate): SignedDeletionCertificate {
  return JSON.parse(JSON.stringify(cert)) as SignedDeletionCertificate;
}

describe('certificate signing key', () => {
  it('is created 0600 on first use under the data dir and reused after', async () => {
    const dataDir = freshDir();
    const first = await loadSigningKey({ dataDir });
    const file = path.join(dataDir, SIGNING_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const second = await loadSigningKey({ dataDir });
    expect(second.kid).toBe(first.kid);
    expect(first.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: first.kid });
    expect(first.publicJwk).not.toHaveProperty('d');
  });

  it('names the key by its RFC 7638 thumbprint', async () => {
    const key = await loadSigningKey({ dataDir: freshDir() });
    expect(key.kid).toBe(jwkThumbprint(key.publicJwk));
    // RFC 8037 appendix A.3: the thumbprint of its example Ed25519 key.
    expect(
      jwkThumbprint({
        crv: 'Ed25519',
        kty: 'OKP',
        x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
      }),
    ).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  it('refuses a key file that group or others can read, and does not create one when asked not to', async () => {
    const dataDir = freshDir();
    await loadSigningKey({ dataDir });
    chmodSync(path.join(dataDir, SIGNING_KEY_FILE), 0o640);
    await expect(loadSigningKey({ dataDir })).rejects.toMatchObject({
      problem: 'insecure-permissions',
    });
    await expect(loadSigningKey({ dataDir: freshDir(), create: false })).rejects.toBeInstanceOf(
      KeyFileError,
    );
  });

  it('accepts an Ed25519 PEM from the deployment and refuses other key types', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const key = await loadSigningKey({ pem });
    expect(key.publicJwk.crv).toBe('Ed25519');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    await expect(
      loadSigningKey({ pem: rsa.export({ format: 'pem', type: 'pkcs8' }) as string }),
    ).rejects.toThrow(/need Ed25519/);
    await expect(loadSigningKey({ pem: 'nonsense' })).rejects.toThrow(/not a PEM private key/);
  });
});

describe('deletion certificate signature', async () => {
  const key = await loadSigningKey({ dataDir: freshDir() });
  const signed = signDeletionCertificate(content, key);

  it('verifies, as JSON text or parsed, with the JWK or a JWK Set', () => {
    expect(signed.certificate.kid).toBe(key.kid);
    expect(verifyDeletionCertificate(JSON.stringify(signed), key.publicJwk)).toMatchObject({
      valid: true,
    });
    expect(verifyDeletionCertificate(signed, { keys: [key.publicJwk] }).valid).toBe(true);
  });

  it('does not depend on member order (RFC 8785 canonical form is signed)', () => {
    const reordered = {
      signature: signed.signature,
      certificate: Object.fromEntries(Object.entries(signed.certificate).reverse()),
    };
    expect(verifyDeletionCertificate(JSON.stringify(reordered), key.publicJwk).valid).toBe(true);
  });

  it('reports altered content: a count, a kept reason, an added member', () => {
    const count = copy(signed);
    count.certificate.deleted['transcript segments'] = 5;
    const why = copy(signed);
    why.certificate.kept[0]!.why = 'because';
    const added = copy(signed) as unknown as { certificate: Record<string, unknown> };
    added.certificate.note = 'x';
    for (const altered of [count, why, added]) {
      expect(verifyDeletionCertificate(altered, key.publicJwk)).toMatchObject({
        valid: false,
        reason: 'content-altered',
      });
    }
  });

  it('reports a signature that does not match, even with the digest recomputed', async () => {
    const tampered = copy(signed);
    const bytes = Buffer.from(tampered.signature.value, 'base64url');
    bytes[0]! ^= 1;
    tampered.signature.value = bytes.toString('base64url');
    expect(verifyDeletionCertificate(tampered, key.publicJwk)).toMatchObject({
      valid: false,
      reason: 'signature-mismatch',
    });

    const forged = signDeletionCertificate({ ...content, deleted: { audio: 0 } }, key);
    const swapped = {
      certificate: forged.certificate,
      signature: { ...forged.signature, value: signed.signature.value },
    };
    expect(verifyDeletionCertificate(swapped, key.publicJwk)).toMatchObject({
      reason: 'signature-mismatch',
    });
  });

  it('reports an unknown key id, and a different key under the same kid', async () => {
    const other = await loadSigningKey({ dataDir: freshDir() });
    expect(verifyDeletionCertificate(signed, other.publicJwk)).toMatchObject({
      valid: false,
      reason: 'unknown-key-id',
    });
    const impostor = { ...other.publicJwk, kid: key.kid };
    expect(verifyDeletionCertificate(signed, impostor)).toMatchObject({
      reason: 'signature-mismatch',
    });
  });

  it('reports malformed input', () => {
    for (const bad of [
      'not json',
      '{}',
      JSON.stringify({ certificate: signed.certificate }),
      JSON.stringify({ ...signed, signature: { ...signed.signature, alg: 'RS256' } }),
      JSON.stringify({ ...signed, certificate: { ...signed.certificate, type: 'other' } }),
    ]) {
      expect(verifyDeletionCertificate(bad, key.publicJwk)).toMatchObject({
        valid: false,
        reason: 'malformed',
      });
    }
  });
});
