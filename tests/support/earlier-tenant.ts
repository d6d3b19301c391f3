// A tenant as an earlier version created it: with no migration records, so the start-up steps
// run over its data. Tests that write old layouts into a tenant they created through today's
// code (which records every current step done at creation) call this first.
import { MigrationRecordModel } from '../../core/store/migrations.ts';
import type { Store } from '../../core/store/store.ts';

export async function asCreatedByEarlierVersion(store: Store, tenantId: string): Promise<void> {
  await store.controlModel(MigrationRecordModel).deleteMany({ tenantId });
}
