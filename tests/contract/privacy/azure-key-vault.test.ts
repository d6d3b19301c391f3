// The Azure Key Vault KeyProvider through the real @azure/keyvault-keys clients, against a local
// server that speaks Key Vault's REST wire format (HTTPS, challenge-based bearer auth).
import https from 'node:https';
import { randomBytes } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureKeyVaultProvider } from '../../../infra/providers/azure-key-vault/index.ts';
import { createEnvelope } from '../../../core/privacy/envelope.ts';
import { DataKeyModel } from '../../../core/privacy/data-keys.ts';
import {
  DecryptionFailedError,
  EncryptionFailedError,
  KeyProviderError,
} from '../../../core/privacy/errors.ts';
import type { KeyProvider } from '../../../core/privacy/key-provider.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { startFakeKeyVault, type FakeKeyVault } from '../../support/fake-key-vault.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';

let vault: FakeKeyVault;
let provider: KeyProvider;
let store: Store;
const scopesAsked: string[] = [];

beforeAll(async () => {
  vault = await startFakeKeyVault();
  // Stands in for an @azure/identity credential: the vault only checks the bearer token.
  const credential: TokenCredential = {
    async getToken(scopes) {
      scopesAsked.push(...[scopes].flat());
      return { token: vault.token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  provider = createAzureKeyVaultProvider({
    vaultUrl: vault.url,
    credential,
    keySize: 2048,
    clientOptions: {
      agent: new https.Agent({ ca: vault.ca }),
      // The challenge names vault.azure.net, which 127.0.0.1 is not a subdomain of.
      disableChallengeResourceVerification: true,
      retryOptions: { maxRetries: 0 },
    },
  });
  store = await openStore({ uri: mongoUri() });
});

afterAll(async () => {
  await store?.close();
  await vault?.close();
});

describe('Azure Key Vault key provider (real SDK, local vault)', () => {
  it('creates the tenant key on first use and wraps and unwraps a data key with RSA-OAEP-256', async () => {
    const tenant = testTenantId();
    const dataKey = randomBytes(32);
    const { wrapped, kekVersion } = await provider.wrap(tenant, dataKey);

    expect(vault.versions(`quorum-tenant-${tenant}`)).toEqual([kekVersion]);
    expect(wrapped).toHaveLength(256);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(await provider.unwrap(tenant, wrapped, kekVersion)).toEqual(dataKey);
  });

  it('authenticates through the Key Vault challenge, asking for the vault scope', () => {
    expect(scopesAsked).toContain('https://vault.azure.net/.default');
    expect(vault.requests.some((r) => !r.authorized)).toBe(true);
    expect(vault.requests.filter((r) => r.authorized).length).toBeGreaterThan(0);
  });

  it('rotates by creating a new key version; older versions still unwrap', async () => {
    const tenant = testTenantId();
    const dataKey = randomBytes(32);
    const before = await provider.wrap(tenant, dataKey);
    const rotated = await provider.rotate(tenant);

    expect(rotated).not.toBe(before.kekVersion);
    expect(await provider.currentVersion(tenant)).toBe(rotated);
    expect(vault.versions(`quorum-tenant-${tenant}`)).toEqual([before.kekVersion, rotated]);
    const after = await provider.wrap(tenant, dataKey);
    expect(after.kekVersion).toBe(rotated);
    expect(await provider.unwrap(tenant, before.wrapped, before.kekVersion)).toEqual(dataKey);
    expect(await provider.unwrap(tenant, after.wrapped, after.kekVersion)).toEqual(dataKey);
  });

  it("keeps tenants apart: one tenant's wrapped key does not unwrap with another's key", async () => {
    const a = testTenantId();
    const b = testTenantId();
    const fromA = await provider.wrap(a, randomBytes(32));
    await provider.currentVersion(b);
    await expect(provider.unwrap(b, fromA.wrapped, fromA.kekVersion)).rejects.toThrow(
      KeyProviderError,
    );
  });

  it('reports a disabled or purged key as a KeyProviderError naming the key', async () => {
    const tenant = testTenantId();
    const { wrapped, kekVersion } = await provider.wrap(tenant, randomBytes(32));
    vault.disableVersion(`quorum-tenant-${tenant}`, kekVersion);
    await expect(provider.unwrap(tenant, wrapped, kekVersion)).rejects.toThrow(/disabled/);

    const other = testTenantId();
    const fromOther = await provider.wrap(other, randomBytes(32));
    vault.purgeKey(`quorum-tenant-${other}`);
    const error = await provider
      .unwrap(other, fromOther.wrapped, fromOther.kekVersion)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyProviderError);
    expect((error as Error).message).toMatch(
      new RegExp(`quorum-tenant-${other}/${fromOther.kekVersion}.*not found`),
    );
  });

  it('envelope on Key Vault: encrypts, survives rotation, and fails closed when the vault is down', async () => {
    const ctx = verifiedTenantContext(testTenantId(), 'system');
    const envelope = createEnvelope({ store, keys: provider });
    const target = { collection: 'summaries', id: 's1', field: 'text' };
    const sealed = await envelope.encrypt(
      ctx,
      { kind: 'meeting', meetingId: 'm1' },
      target,
      'Ship it',
    );

    const rotation = await envelope.rotateTenantKey(ctx);
    expect(rotation.rewrapped).toBe(1);
    const fresh = createEnvelope({ store, keys: provider });
    expect(await fresh.decrypt(ctx, target, sealed)).toBe('Ship it');

    vault.unavailable = true;
    try {
      const cold = createEnvelope({ store, keys: provider });
      const refused = await cold.decrypt(ctx, target, sealed).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DecryptionFailedError);
      expect(refused).toMatchObject({ reason: 'key-unavailable' });
      await expect(
        cold.encrypt(ctx, { kind: 'meeting', meetingId: 'm2' }, target, 'x'),
      ).rejects.toBeInstanceOf(EncryptionFailedError);
      const DataKeys = await store.tenantModel(ctx, DataKeyModel);
      expect(await DataKeys.exists({ _id: 'meeting:m2' })).toBeNull();
    } finally {
      vault.unavailable = false;
    }
  });
});
