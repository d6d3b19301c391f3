// `quorum keys rotate --tenant T`: a new key-encryption key version for the tenant, with every
// data key re-wrapped under it (the encrypted data is not touched), recorded in the audit log.
import type { Config } from '../server/config.ts';
import { createAuditLog } from '../../core/privacy/audit-log.ts';
import { createEnvelope } from '../../core/privacy/envelope.ts';
import { createAzureKeyVaultProvider } from '../providers/azure-key-vault/index.ts';
import type { KeyProvider } from '../../core/privacy/key-provider.ts';
import { openLocalKeyring } from '../../core/privacy/local-keyring.ts';
import { withTenantStore } from './audit.ts';

export async function keysRotateCommand(
  config: Config,
  options: { tenant: string; json?: boolean },
): Promise<number> {
  return withTenantStore(config, options.tenant, async (store, ctx) => {
    // The same provider the server uses: Key Vault when configured, else the local keyring.
    const keys: KeyProvider = config.keyVaultUrl
      ? createAzureKeyVaultProvider({ vaultUrl: config.keyVaultUrl })
      : await openLocalKeyring({ dataDir: config.dataDir });
    const result = await createEnvelope({ store, keys }).rotateTenantKey(ctx);
    await createAuditLog({ store }).append(ctx, {
      action: 'key.rotated',
      actor: 'operator:cli',
      target: `tenant:${ctx.tenantId}`,
      details: { kekVersion: result.kekVersion, rewrapped: result.rewrapped, provider: keys.name },
    });
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ tenant: ctx.tenantId, ...result })}\n`);
    } else {
      process.stdout.write(
        `tenant ${ctx.tenantId}: key-encryption key version ${result.kekVersion} is current; ` +
          `${result.rewrapped} data keys re-wrapped\n`,
      );
    }
    return 0;
  });
}
