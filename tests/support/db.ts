// Helpers for tests that use the real database started by the global set-up.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

export function mongoUri(): string {
  return inject('mongoUri');
}

/** A fresh tenant id, so test files never share data. */
export function testTenantId(): string {
  return 't' + randomBytes(6).toString('hex');
}
