// The KeyProvider port: each tenant's key-encryption key (KEK), with versions.
//
// Data keys never leave Quorum unwrapped except inside the provider call that wraps them; the
// KEK itself never leaves the provider. Implementations: local-keyring.ts (a 0600 file),
// infra/providers/azure-key-vault (one RSA key per tenant in Azure Key Vault, key versions =
// KEK versions; infra/providers/keys.ts chooses between the two). Every method throws KeyProviderError when it cannot do its job.

export interface WrappedKey {
  readonly wrapped: Buffer;
  /** The KEK version that wrapped it; needed to unwrap. */
  readonly kekVersion: string;
}

export interface KeyProvider {
  /** Stored with each data key so an operator can tell which provider wrapped it. */
  readonly name: string;
  /** The tenant's current KEK version, creating the tenant's first KEK if it has none. */
  currentVersion(tenantId: string): Promise<string>;
  /** Wraps a data key under the tenant's current KEK version. */
  wrap(tenantId: string, dataKey: Buffer): Promise<WrappedKey>;
  unwrap(tenantId: string, wrapped: Buffer, kekVersion: string): Promise<Buffer>;
  /** Makes a new KEK version current and returns it; older versions still unwrap. */
  rotate(tenantId: string): Promise<string>;
}
