// Encrypts chosen fields of a document before it is written and decrypts them after it is read,
// so meeting-content collections (transcript segments, summaries, action items, agendas) never
// hold those fields in plaintext.
//
//   const segments = sealedFields<Segment, 'text' | 'speaker'>(envelope, {
//     collection: 'transcript_segments',
//     fields: ['text', 'speaker'],
//     scope: (s) => ({ kind: 'meeting', meetingId: s.meetingId }),
//   });
//   await Segments.create(await segments.seal(ctx, { _id, meetingId, text, speaker }));
//   const segment = await segments.open(ctx, await Segments.findById(id).lean());
//
// The document must have its `_id` before sealing: the id is bound into each ciphertext.
// `seal` throws EncryptionFailedError before anything is written; `open` throws
// DecryptionFailedError, also when a field unexpectedly holds plaintext.
import type { TenantContext } from '../store/tenant-context.ts';
import type { DataKeyScope } from './data-keys.ts';
import type { Envelope } from './envelope.ts';
import { DecryptionFailedError, EncryptionFailedError } from './errors.ts';
import { isSealed } from './field-cipher.ts';

export interface SealedFieldsSpec<T, K extends keyof T & string> {
  collection: string;
  fields: readonly K[];
  /** Which data key protects this document; read from fields that stay in plaintext. */
  scope(doc: T): DataKeyScope;
  /** Compress the fields before sealing them (large values that compress well). */
  compress?: boolean;
}

/** A document as stored: the chosen fields hold sealed strings (q1, or q2 when compressed). */
export type Sealed<T, K extends keyof T> = Omit<T, K> & {
  [P in K]: undefined extends T[P] ? string | undefined : string;
};

export interface SealedFields<T, K extends keyof T & string> {
  seal(ctx: TenantContext, doc: T): Promise<Sealed<T, K>>;
  open(ctx: TenantContext, doc: Sealed<T, K>): Promise<T>;
}

function recordId(collection: string, doc: object): string {
  const id = (doc as { _id?: unknown })._id;
  if (id === undefined || id === null || String(id) === '') {
    throw new EncryptionFailedError(
      'invalid-input',
      `${collection}: give the document its _id before sealing; the id is bound into each ` +
        'encrypted field',
    );
  }
  return String(id);
}

export function sealedFields<T extends object, K extends keyof T & string>(
  envelope: Envelope,
  spec: SealedFieldsSpec<T, K>,
): SealedFields<T, K> {
  return {
    async seal(ctx, doc) {
      const id = recordId(spec.collection, doc);
      const scope = spec.scope(doc);
      const out = { ...doc } as Record<string, unknown>;
      await Promise.all(
        spec.fields.map(async (field) => {
          if (doc[field] === undefined) return;
          out[field] = await envelope.encrypt(
            ctx,
            scope,
            { collection: spec.collection, id, field },
            doc[field],
            { compress: spec.compress === true },
          );
        }),
      );
      return out as Sealed<T, K>;
    },

    async open(ctx, doc) {
      const id = String((doc as { _id?: unknown })._id);
      const out = { ...doc } as Record<string, unknown>;
      await Promise.all(
        spec.fields.map(async (field) => {
          const stored = (doc as Record<string, unknown>)[field];
          if (stored === undefined) return;
          if (!isSealed(stored)) {
            throw new DecryptionFailedError(
              'malformed',
              `${spec.collection}/${id}.${field} is not encrypted; refusing to return it`,
            );
          }
          out[field] = await envelope.decrypt(
            ctx,
            { collection: spec.collection, id, field },
            stored,
          );
        }),
      );
      return out as T;
    },
  };
}
