// Server secrets for the embedded default: generated once into <dataDir>/secrets.json (mode
// 0600, refused if others can read it). In production they come from the environment (a vault),
// so that every web node shares them.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { assertPrivateFile, createPrivateFile } from '../../core/privacy/private-file.ts';

export interface ServerSecrets {
  /** Signs session tokens and the short-lived SSO state cookie. */
  sessionSecret: Uint8Array;
  /** Pepper of API-key digests. */
  apiKeyPepper: Uint8Array;
}

interface StoredSecrets {
  sessionSecret: string;
  apiKeyPepper: string;
}

const decode = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

export async function loadServerSecrets(options: {
  dataDir: string;
  sessionSecret: string | undefined;
  apiKeyPepper: string | undefined;
}): Promise<ServerSecrets> {
  if (options.sessionSecret && options.apiKeyPepper) {
    return {
      sessionSecret: decode(options.sessionSecret),
      apiKeyPepper: decode(options.apiKeyPepper),
    };
  }
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const file = path.resolve(options.dataDir, 'secrets.json');
  const fresh: StoredSecrets = {
    sessionSecret: randomBytes(32).toString('base64'),
    apiKeyPepper: randomBytes(32).toString('base64'),
  };
  await createPrivateFile(file, JSON.stringify(fresh));
  await assertPrivateFile(file, 'The secrets file');
  const stored = JSON.parse(await readFile(file, 'utf8')) as StoredSecrets;
  return {
    sessionSecret: decode(options.sessionSecret ?? stored.sessionSecret),
    apiKeyPepper: decode(options.apiKeyPepper ?? stored.apiKeyPepper),
  };
}
