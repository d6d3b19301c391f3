// Writes the key documents (see connection-model.ts) of the connections made before they
// existed, so a person's calendar is found by exact `_id`.
import { upsertByIds } from '../../store/by-id.ts';
import type { MigrationStep } from '../../store/migrations.ts';
import {
  CalendarConnection,
  ConnectionKey,
  connectionKeyId,
  type ConnectionKeyDoc,
} from './connection-model.ts';

export const connectionKeysStep: MigrationStep = {
  name: 'calendar-connection-keys',
  description: 'calendar connections found through one key document per person and provider',
  async runForTenant(store, ctx) {
    const Connections = await store.tenantModel(ctx, CalendarConnection);
    const all = await Connections.find({}, { userId: 1, provider: 1, connectedAt: 1 })
      .sort({ connectedAt: 1 })
      .lean();
    // One per person and provider was the old unique index's rule; the latest wins regardless.
    const keys = new Map<string, ConnectionKeyDoc>();
    for (const doc of all) {
      const _id = connectionKeyId(doc.userId, doc.provider);
      keys.set(_id, { _id, connectionId: doc._id });
    }
    await upsertByIds(await store.tenantModel(ctx, ConnectionKey), [...keys.values()]);
    return keys.size;
  },
};
