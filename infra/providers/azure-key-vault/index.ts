// KeyProvider backed by Azure Key Vault: the production default.
//
// One RSA key per tenant, named `quorum-tenant-<tenantId>`; its Key Vault key versions are the
// tenant's KEK versions. Data keys are wrapped and unwrapped by the vault (RSA-OAEP-256), so the
// private key never leaves it. Rotation creates a new version of the key (Key Vault's "create
// key" on an existing name); older versions keep unwrapping until an operator disables them.
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { CryptographyClient, KeyClient, type KeyClientOptions } from '@azure/keyvault-keys';
import { isValidTenantId } from '../../../core/store/tenant-context.ts';
import { KeyProviderError } from '../../../core/privacy/errors.ts';
import { ExpiringLru } from '../../../core/privacy/expiring-lru.ts';
import type { KeyProvider } from '../../../core/privacy/key-provider.ts';

const ALGORITHM = 'RSA-OAEP-256';

export interface AzureKeyVaultOptions {
  /** e.g. https://my-vault.vault.azure.net */
  vaultUrl: string;
  /** Defaults to DefaultAzureCredential (managed identity, workload identity, environment…). */
  credential?: TokenCredential;
  /** Key name prefix; the tenant id is appended. Default `quorum-tenant-`. */
  keyNamePrefix?: string;
  /** RSA modulus size for new KEK versions. Default 3072. */
  keySize?: number;
  /** Passed to the SDK clients: retry options, or an HTTPS agent and challenge settings in tests. */
  clientOptions?: KeyClientOptions;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

export function createAzureKeyVaultProvider(options: AzureKeyVaultOptions): KeyProvider {
  let vaultUrl: URL;
  try {
    vaultUrl = new URL(options.vaultUrl);
  } catch {
    throw new Error(`Key Vault URL ${JSON.stringify(options.vaultUrl)} is not a URL`);
  }
  if (vaultUrl.protocol !== 'https:') {
    throw new Error(`Key Vault URL must use https, got ${vaultUrl.origin}`);
  }
  const base = vaultUrl.origin;
  const credential = options.credential ?? new DefaultAzureCredential();
  const prefix = options.keyNamePrefix ?? 'quorum-tenant-';
  const keySize = options.keySize ?? 3072;
  const keyClient = new KeyClient(base, credential, options.clientOptions);
  const cryptoClients = new ExpiringLru<CryptographyClient>({ max: 1000, ttlMs: 3_600_000 });

  function keyName(tenantId: string): string {
    if (!isValidTenantId(tenantId)) {
      throw new KeyProviderError(`invalid tenant id ${JSON.stringify(tenantId)}`);
    }
    return `${prefix}${tenantId}`;
  }

  function failure(what: string, error: unknown): KeyProviderError {
    const detail = error instanceof Error ? error.message : String(error);
    return new KeyProviderError(`Azure Key Vault ${base}: ${what} failed: ${detail}`, {
      cause: error,
    });
  }

  async function createVersion(name: string): Promise<string> {
    try {
      const key = await keyClient.createRsaKey(name, { keySize, keyOps: ['wrapKey', 'unwrapKey'] });
      return key.properties.version!;
    } catch (error) {
      throw failure(`creating a version of key ${name}`, error);
    }
  }

  async function currentVersion(tenantId: string): Promise<string> {
    const name = keyName(tenantId);
    try {
      return (await keyClient.getKey(name)).properties.version!;
    } catch (error) {
      if (statusOf(error) !== 404) throw failure(`reading key ${name}`, error);
    }
    // First use for this tenant. Two processes racing here make two versions; both unwrap.
    return createVersion(name);
  }

  function cryptography(name: string, version: string): CryptographyClient {
    if (!/^[0-9a-zA-Z]+$/.test(version)) {
      throw new KeyProviderError(`invalid Key Vault key version ${JSON.stringify(version)}`);
    }
    const id = `${base}/keys/${name}/${version}`;
    let client = cryptoClients.get(id);
    if (!client) {
      client = new CryptographyClient(id, credential, options.clientOptions);
      cryptoClients.set(id, client);
    }
    return client;
  }

  return {
    name: 'azure-key-vault',
    currentVersion,

    async wrap(tenantId, dataKey) {
      const kekVersion = await currentVersion(tenantId);
      const name = keyName(tenantId);
      try {
        const result = await cryptography(name, kekVersion).wrapKey(ALGORITHM, dataKey);
        return { wrapped: Buffer.from(result.result), kekVersion };
      } catch (error) {
        throw failure(`wrapping a data key with ${name}/${kekVersion}`, error);
      }
    },

    async unwrap(tenantId, wrapped, kekVersion) {
      const name = keyName(tenantId);
      try {
        const result = await cryptography(name, kekVersion).unwrapKey(ALGORITHM, wrapped);
        return Buffer.from(result.result);
      } catch (error) {
        throw failure(`unwrapping a data key with ${name}/${kekVersion}`, error);
      }
    },

    rotate: (tenantId) => createVersion(keyName(tenantId)),
  };
}
