// `quorum certificate verify FILE [--key JWK_FILE]`: checks a deletion certificate offline.
// Without --key it uses the public half of this deployment's signing key (QUORUM_SIGNING_KEY_PEM,
// else the key file under the data directory). Exit 0
// only when the signature and the content match; 1 when they do not; 2 when the certificate
// or the key cannot be read.
import { readFile } from 'node:fs/promises';
import type { Config } from '../server/config.ts';
import {
  verifyDeletionCertificate,
  type VerificationKeys,
} from '../../core/privacy/deletion-certificate.ts';
import { loadSigningKey } from '../../core/privacy/signing-key.ts';

type KeyConfig = Pick<Config, 'dataDir' | 'signingKeyPem'>;

/** The key(s) from `--key`, else the public half of this deployment's signing key. */
export async function verificationKeys(
  config: KeyConfig,
  keyFile: string | undefined,
): Promise<VerificationKeys> {
  if (keyFile) {
    try {
      return JSON.parse(await readFile(keyFile, 'utf8')) as VerificationKeys;
    } catch (error) {
      throw new Error(`cannot read the key ${keyFile} as a JWK: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  try {
    const source = config.signingKeyPem
      ? { pem: config.signingKeyPem }
      : { dataDir: config.dataDir, create: false };
    return (await loadSigningKey(source)).publicJwk;
  } catch (error) {
    throw new Error(
      `${(error as Error).message}; pass the published public key with --key JWK_FILE`,
      { cause: error },
    );
  }
}

export async function certificateVerifyCommand(
  config: KeyConfig,
  file: string,
  options: { key?: string; json?: boolean },
): Promise<number> {
  let text: string;
  let keys: VerificationKeys;
  try {
    text = await readFile(file, 'utf8');
    keys = await verificationKeys(config, options.key);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const verdict = verifyDeletionCertificate(text, keys);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(verdict)}\n`);
  } else if (verdict.valid) {
    const c = verdict.certificate;
    process.stdout.write(
      `valid: deletion certificate ${c.id} for ${c.subject.kind} ${c.subject.id} ` +
        `(tenant ${c.tenantId}, deleted ${c.deletedAt}), signed by key ${c.kid}\n`,
    );
  } else {
    process.stdout.write(`invalid (${verdict.reason}): ${verdict.message}\n`);
  }
  return verdict.valid ? 0 : 1;
}
