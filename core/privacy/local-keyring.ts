// KeyProvider backed by a keyring file under the data directory: the embedded default.
//
// The file (mode 0600) holds, per tenant, numbered 256-bit KEK versions. Data keys are wrapped
// with AES-256-GCM under a KEK version, with the tenant and version as additional data, so a
// wrapped key only unwraps for the tenant and version it was made for. Quorum refuses to start
// when the file is readable or writable by group or others.
//
// Several processes may share the file (the server, `quorum keys rotate`): every read checks
// whether the file changed, and every change happens under a lock file and replaces the file
// atomically, so no process ever loses another's new key.
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { isValidTenantId } from '../store/tenant-context.ts';
import { KeyFileError, KeyProviderError } from './errors.ts';
import { withFileLock } from './file-lock.ts';
import type { KeyProvider, WrappedKey } from './key-provider.ts';
import { assertPrivateFile, createPrivateFile, replacePrivateFile } from './private-file.ts';

const FORMAT = 'quorum-keyring/1';
const KEK_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const base64Key = z
  .string()
  .refine((s) => Buffer.from(s, 'base64').length === KEK_BYTES, 'must be 32 bytes in base64');

const keyringSchema = z.strictObject({
  format: z.literal(FORMAT),
  tenants: z.record(
    z.string().refine(isValidTenantId, 'not a tenant id'),
    z.strictObject({
      current: z.number().int().positive(),
      versions: z.record(
        z.string().regex(/^[1-9][0-9]*$/),
        z.strictObject({ key: base64Key, createdAt: z.string() }),
      ),
    }),
  ),
});

type Keyring = z.infer<typeof keyringSchema>;
type TenantKeys = Keyring['tenants'][string];

export interface LocalKeyringOptions {
  dataDir: string;
  /** File name inside dataDir; `keyring.json` by default. */
  fileName?: string;
  /** How long to wait for another process's change before giving up. */
  lockTimeoutMs?: number;
  now?: () => Date;
}

export interface LocalKeyring extends KeyProvider {
  readonly file: string;
}

function serialize(keyring: Keyring): string {
  return `${JSON.stringify(keyring, null, 2)}\n`;
}

function checkTenant(tenantId: string): void {
  if (!isValidTenantId(tenantId)) {
    throw new KeyProviderError(`invalid tenant id ${JSON.stringify(tenantId)}`);
  }
}

function wrapAad(tenantId: string, version: string): Buffer {
  return Buffer.from(`${FORMAT}\u0000${tenantId}\u0000${version}`);
}

/** Opens (or creates) the keyring; rejects with KeyFileError if it is unsafe or unreadable. */
export async function openLocalKeyring(options: LocalKeyringOptions): Promise<LocalKeyring> {
  const file = path.resolve(options.dataDir, options.fileName ?? 'keyring.json');
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await createPrivateFile(file, serialize({ format: FORMAT, tenants: {} }));
  const keyring = new LocalKeyringProvider(file, options);
  // Refuse at start, not at the first meeting: an unsafe keyring is an operator's mistake.
  await keyring.load();
  return keyring;
}

class LocalKeyringProvider implements LocalKeyring {
  readonly name = 'local-keyring';
  readonly file: string;
  readonly #lockFile: string;
  readonly #lockTimeoutMs: number;
  readonly #now: () => Date;
  #cached: { stamp: string; keyring: Keyring } | undefined;
  // One change at a time within this process; the lock file covers other processes.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(file: string, options: LocalKeyringOptions) {
    this.file = file;
    this.#lockFile = `${file}.lock`;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 5000;
    this.#now = options.now ?? (() => new Date());
  }

  /** The keyring as the file holds it now; re-read only when the file changed. */
  async load(): Promise<Keyring> {
    const file = this.file;
    const info = await assertPrivateFile(file, 'keyring');
    // Changes replace the file, so a new inode means new content.
    const stamp = `${info.ino}:${info.size}:${info.mtimeMs}`;
    if (this.#cached?.stamp === stamp) return this.#cached.keyring;
    const text = await readFile(file, 'utf8');
    let parsed;
    try {
      parsed = keyringSchema.safeParse(JSON.parse(text));
    } catch (error) {
      throw new KeyFileError('malformed', file, `keyring ${file} is not valid JSON`, {
        cause: error,
      });
    }
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new KeyFileError(
        'malformed',
        file,
        `keyring ${file} is not a Quorum keyring: ${issue.path.join('.') || 'file'} ${issue.message}`,
      );
    }
    this.#cached = { stamp, keyring: parsed.data };
    return parsed.data;
  }

  #change<T>(edit: (keyring: Keyring) => { next?: Keyring; result: T }): Promise<T> {
    const file = this.file;
    const run = this.#queue.then(() =>
      withFileLock(this.#lockFile, `keyring ${file}`, this.#lockTimeoutMs, async () => {
        const { next, result } = edit(await this.load());
        if (next) await replacePrivateFile(file, serialize(next));
        return result;
      }),
    );
    this.#queue = run.catch(() => {});
    return run;
  }

  #withNewVersion(keyring: Keyring, tenantId: string): { next: Keyring; result: string } {
    const existing: TenantKeys | undefined = keyring.tenants[tenantId];
    const numbers = Object.keys(existing?.versions ?? {}).map(Number);
    const version = numbers.length === 0 ? 1 : Math.max(...numbers) + 1;
    const entry = {
      key: randomBytes(KEK_BYTES).toString('base64'),
      createdAt: this.#now().toISOString(),
    };
    const tenant: TenantKeys = {
      current: version,
      versions: { ...existing?.versions, [String(version)]: entry },
    };
    return {
      next: { ...keyring, tenants: { ...keyring.tenants, [tenantId]: tenant } },
      result: String(version),
    };
  }

  async #kek(tenantId: string, version: string) {
    const entry = (await this.load()).tenants[tenantId]?.versions[version];
    if (!entry) {
      throw new KeyProviderError(
        `key-encryption key version ${version} of tenant ${tenantId} is not in keyring ${this.file}: ` +
          'it was removed, or this is not the keyring that wrapped the data key',
      );
    }
    return createSecretKey(Buffer.from(entry.key, 'base64'));
  }

  // The KeyProvider methods are bound: callers may pass them around on their own.
  currentVersion = async (tenantId: string): Promise<string> => {
    checkTenant(tenantId);
    const known = (await this.load()).tenants[tenantId];
    if (known) return String(known.current);
    // First use: create version 1, unless another process just did.
    return this.#change((keyring) => {
      const existing = keyring.tenants[tenantId];
      return existing
        ? { result: String(existing.current) }
        : this.#withNewVersion(keyring, tenantId);
    });
  };

  wrap = async (tenantId: string, dataKey: Buffer): Promise<WrappedKey> => {
    const kekVersion = await this.currentVersion(tenantId);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', await this.#kek(tenantId, kekVersion), iv);
    cipher.setAAD(wrapAad(tenantId, kekVersion));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
    return { wrapped: Buffer.concat([iv, body]), kekVersion };
  };

  unwrap = async (tenantId: string, wrapped: Buffer, kekVersion: string): Promise<Buffer> => {
    checkTenant(tenantId);
    if (wrapped.length < IV_BYTES + TAG_BYTES) {
      throw new KeyProviderError(`wrapped key of tenant ${tenantId} is too short to be one`);
    }
    const decipher = createDecipheriv(
      'aes-256-gcm',
      await this.#kek(tenantId, kekVersion),
      wrapped.subarray(0, IV_BYTES),
    );
    decipher.setAAD(wrapAad(tenantId, kekVersion));
    decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(wrapped.subarray(IV_BYTES, wrapped.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch (error) {
      throw new KeyProviderError(
        `wrapped key does not unwrap under KEK version ${kekVersion} of tenant ${tenantId}: ` +
          'it was altered or wrapped for another tenant or version',
        { cause: error },
      );
    }
  };

  rotate = async (tenantId: string): Promise<string> => {
    checkTenant(tenantId);
    return this.#change((keyring) => this.#withNewVersion(keyring, tenantId));
  };
}
