// The Ed25519 key that signs deletion certificates.
//
// Embedded default: a PKCS#8 PEM file under the data directory, created 0600 on first use and
// refused when group or others can read or write it. Production: the PEM text handed in by the
// composition root (from its secret store); core never reads the environment. The public half
// is published as a JWK whose `kid` is its RFC 7638 thumbprint.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { KeyFileError } from './errors.ts';
import { assertPrivateFile, createPrivateFile } from './private-file.ts';

export const SIGNING_KEY_FILE = 'certificate-signing-key.pem';

export interface PublicSigningJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: PublicSigningJwk;
}

export type SigningKeySource =
  /** The key file under `dataDir`; created on first use unless `create` is false. */
  | { dataDir: string; create?: boolean }
  /** A PKCS#8 PEM private key (from the deployment's secret store). */
  | { pem: string };

/** RFC 7638: SHA-256 over the required members in lexicographic order, base64url. */
export function jwkThumbprint(jwk: { crv: string; kty: string; x: string }): string {
  const members = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return createHash('sha256').update(members).digest('base64url');
}

export function publicJwkOf(key: KeyObject): PublicSigningJwk {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const { x } = publicKey.export({ format: 'jwk' });
  if (publicKey.asymmetricKeyType !== 'ed25519' || !x) {
    throw new Error(`certificate keys are Ed25519, not ${publicKey.asymmetricKeyType}`);
  }
  return {
    kty: 'OKP',
    crv: 'Ed25519',
    x,
    kid: jwkThumbprint({ crv: 'Ed25519', kty: 'OKP', x }),
    alg: 'EdDSA',
    use: 'sig',
  };
}

function fromPem(pem: string, origin: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    throw new Error(`${origin} is not a PEM private key`, { cause: error });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `${origin} is an ${privateKey.asymmetricKeyType} key; deletion certificates need Ed25519 ` +
        '(make one with: openssl genpkey -algorithm ed25519)',
    );
  }
  const publicJwk = publicJwkOf(privateKey);
  return { kid: publicJwk.kid, privateKey, publicJwk };
}

export async function loadSigningKey(source: SigningKeySource): Promise<SigningKey> {
  if ('pem' in source) return fromPem(source.pem, 'the certificate signing key');
  const file = path.resolve(source.dataDir, SIGNING_KEY_FILE);
  if (source.create !== false) {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    // Exclusive create: if another process made the key first, its key is the one used.
    await createPrivateFile(file, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
  }
  try {
    await assertPrivateFile(file, 'certificate signing key');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new KeyFileError('not-a-file', file, `no certificate signing key at ${file}`, {
        cause: error,
      });
    }
    throw error;
  }
  return fromPem(await readFile(file, 'utf8'), `certificate signing key ${file}`);
}
