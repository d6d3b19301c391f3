// The storage migration that seals titles written in plaintext before they were sealed
// (sealed-titles.ts): every record of each titled collection is read (a scan, as migrations
// may), and each field still in plaintext is sealed and written back by exact `_id`, that field
// only. Idempotent: a sealed field is left as it is, so a start killed half-way seals the rest
// on the next start. Readers accept both forms meanwhile.
import type { Model } from 'mongoose';
import type { MigrationStep } from '../store/migrations.ts';
import type { ModelDef, Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import { isSealedValue, type SealedTitles } from './sealed-titles.ts';

type Doc = { _id: unknown } & Record<string, unknown>;

export interface TitledCollection {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  model: ModelDef<any>;
  titles: SealedTitles<string>;
  fields: readonly string[];
  /**
   * For a record that had fields in plaintext (`plain`, as stored): more to change with it (say,
   * a key that held the title). Anything it writes elsewhere must be idempotent: it runs again
   * if the start stops before the record is written.
   */
  also?(ctx: TenantContext, doc: Doc, plain: readonly string[]): Promise<Record<string, unknown>>;
}

/** Updates per bulk command (see core/store/by-id.ts: short commands on the embedded database). */
const BULK_SIZE = 20;

async function sealCollection(store: Store, ctx: TenantContext, titled: TitledCollection) {
  const model = (await store.tenantModel(ctx, titled.model)) as Model<Doc>;
  let pending: Array<{ id: unknown; set: Record<string, unknown> }> = [];
  let sealed = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    await model.bulkWrite(
      pending.map(({ id, set }) => ({
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        updateOne: { filter: { _id: id } as any, update: { $set: set } },
      })),
      { ordered: false },
    );
    sealed += pending.length;
    pending = [];
  };
  for await (const doc of model.find({}).lean().cursor()) {
    const plain = titled.fields.filter((f) => typeof doc[f] === 'string' && !isSealedValue(doc[f]));
    if (plain.length === 0) continue;
    const id = String(doc._id);
    // Sealed as they are: a title of the old layout may even start like a sealed value.
    const set: Record<string, unknown> = {};
    for (const field of plain) {
      set[field] = await titled.titles.sealValue(ctx, id, field, doc[field] as string);
    }
    Object.assign(set, await titled.also?.(ctx, doc, plain));
    pending.push({ id: doc._id, set });
    if (pending.length >= BULK_SIZE) await flush();
  }
  await flush();
  return sealed;
}

export interface SealTitlesOptions {
  /**
   * Run once a tenant's titles were sealed, so the plaintext they replaced is in no file of the
   * embedded database either (its write-ahead log keeps old pages until a checkpoint:
   * DatabaseHandle.scrub). A failure is the caller's to report; the titles stay sealed.
   */
  scrub?: () => Promise<void>;
}

export function sealTitlesStep(
  collections: readonly TitledCollection[],
  options: SealTitlesOptions = {},
): MigrationStep {
  return {
    name: 'sealed-titles',
    description:
      'titles of meetings, bookings, polls, proposals and local calendar events sealed under the tenant titles key',
    async runForTenant(store, ctx) {
      let sealed = 0;
      for (const titled of collections) sealed += await sealCollection(store, ctx, titled);
      if (sealed > 0) await options.scrub?.();
      return sealed;
    },
  };
}
