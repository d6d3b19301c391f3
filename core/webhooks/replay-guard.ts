// A short-lived memory of deliveries already accepted, shared by every node through the
// database: a unique-key insert per delivery (atomic on FerretDB and MongoDB alike), expiring
// with the expiry job (core/store/expiry.ts) once the replay window has passed.
import { Schema } from 'mongoose';
import { defineModel, type Store } from '../store/store.ts';
import { isDuplicateKeyError } from '../privacy/duplicate-key.ts';
import { REPLAY_WINDOW_MS } from './signatures.ts';

interface DeliveryDoc {
  _id: string;
  expiresAt: Date;
}
const Delivery = defineModel<DeliveryDoc>(
  'WebhookDelivery',
  (() => {
    const schema = new Schema<DeliveryDoc>(
      { _id: { type: String, required: true }, expiresAt: { type: Date, required: true } },
      { collection: 'webhook_deliveries', versionKey: false },
    );
    schema.index({ expiresAt: 1 });
    return schema;
  })(),
);
export const replayGuardModels = [Delivery];

export interface ReplayGuard {
  /** True the first time a delivery id is seen within the window; false for a replay. */
  firstSighting(source: string, deliveryId: string): Promise<boolean>;
}

export function createReplayGuard(store: Store): ReplayGuard {
  const Deliveries = store.controlModel(Delivery);
  return {
    async firstSighting(source, deliveryId) {
      try {
        await Deliveries.create({
          _id: `${source}:${deliveryId}`.slice(0, 512),
          // Twice the window: a replay near the window's edge is still remembered.
          expiresAt: new Date(Date.now() + 2 * REPLAY_WINDOW_MS),
        });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    },
  };
}
