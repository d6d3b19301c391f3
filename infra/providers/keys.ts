// Which KeyProvider holds the tenants' key-encryption keys: Azure Key Vault when the deployment
// names a vault, else the local keyring file under the data folder.
import type { KeyProvider } from '../../core/privacy/key-provider.ts';
import { openLocalKeyring } from '../../core/privacy/local-keyring.ts';

export async function openKeyProvider(settings: {
  keyVaultUrl: string | undefined;
  dataDir: string;
}): Promise<KeyProvider> {
  // The Azure SDK is loaded only by deployments that use Key Vault.
  if (settings.keyVaultUrl) {
    const { createAzureKeyVaultProvider } = await import('./azure-key-vault/index.ts');
    return createAzureKeyVaultProvider({ vaultUrl: settings.keyVaultUrl });
  }
  return openLocalKeyring({ dataDir: settings.dataDir });
}
