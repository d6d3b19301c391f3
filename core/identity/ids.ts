// Random identifiers. Tenant ids are lowercase alphanumerics so they can name a database.
import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function randomId(length = 16): string {
  const bytes = randomBytes(length);
  let out = '';
  // 256 % 36 = 4: a tiny bias is irrelevant for identifiers (they are not secrets).
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

export const newTenantId = (): string => randomId(12);
export const newUserId = (): string => 'u' + randomId(15);
