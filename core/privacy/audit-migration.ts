// Storage migration: audit log entries written with a number `_id` get the 12-digit string
// `_id` the log writes now (audit-log.ts). Their hashes cover the entry's number, not the form of
// its `_id`, so the chain verifies unchanged; the head (a number and a hash) needs no change.
//
// Resumable: all copies are written before any original goes, copies already there are kept
// (a duplicate insert is refused), and the originals go in one delete at the end. Scans are
// fine here: migrations run before the server takes requests.
import { isDuplicateKeyError } from './duplicate-key.ts';
import type { MigrationStep } from '../store/migrations.ts';
import { AuditEntryModel, auditEntryId } from './audit-log.ts';

const CHUNK = 500;

export const auditStringIdsStep: MigrationStep = {
  name: 'audit-log-string-ids',
  description: 'audit log entries renamed to 12-digit string ids (hashes unchanged)',
  async runForTenant(store, ctx) {
    const Log = (await store.tenantModel(ctx, AuditEntryModel)).collection;
    const numbered = { _id: { $type: 'number' } } as never;
    let moved = 0;
    let chunk: Array<Record<string, unknown>> = [];
    const copy = async () => {
      if (chunk.length === 0) return;
      try {
        await Log.insertMany(chunk, { ordered: false });
      } catch (error) {
        // Copied by a run cut short: the copy there is the same entry.
        if (!isDuplicateKeyError(error)) throw error;
      }
      moved += chunk.length;
      chunk = [];
    };
    for await (const entry of Log.find(numbered)) {
      chunk.push({ ...entry, _id: auditEntryId(entry._id as unknown as number) });
      if (chunk.length >= CHUNK) await copy();
    }
    await copy();
    if (moved > 0) await Log.deleteMany(numbered);
    return moved;
  },
};
