// Data keys: one per meeting, one per tenant for OAuth tokens, one per tenant for titles (of
// meetings, bookings, polls, proposals and local calendar events: sealed-titles.ts), stored only
// wrapped by the tenant's KEK, in the tenant database (`data_keys`).
import { Schema } from 'mongoose';
import { defineModel } from '../store/store.ts';

export type DataKeyScope =
  | { readonly kind: 'meeting'; readonly meetingId: string }
  | { readonly kind: 'tokens' }
  | { readonly kind: 'titles' };

export interface DataKeyRecord {
  /** `meeting:<meetingId>`, `tokens` or `titles`; also written into every ciphertext made with it. */
  _id: string;
  /** base64 of the wrapped key; removed when the key is destroyed. */
  wrapped?: string;
  kekVersion?: string;
  provider?: string;
  createdAt?: Date;
  rotatedAt?: Date;
  /** Set when the key was destroyed (crypto-shredding); the record stays as a tombstone. */
  destroyedAt?: Date;
}

export const DataKeyModel = defineModel<DataKeyRecord>(
  'DataKey',
  new Schema<DataKeyRecord>(
    {
      _id: { type: String, required: true },
      wrapped: String,
      kekVersion: String,
      provider: String,
      createdAt: Date,
      rotatedAt: Date,
      destroyedAt: Date,
    },
    { collection: 'data_keys', versionKey: false },
  ),
);

const MEETING_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function dataKeyId(scope: DataKeyScope): string {
  if (scope.kind === 'tokens' || scope.kind === 'titles') return scope.kind;
  if (!MEETING_ID.test(scope.meetingId)) {
    throw new Error(
      `invalid meeting id ${JSON.stringify(scope.meetingId)} for a data key: ` +
        'use 1-128 letters, digits, "-" or "_"',
    );
  }
  return `meeting:${scope.meetingId}`;
}
