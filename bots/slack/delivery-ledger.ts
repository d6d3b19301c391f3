// The memory of Slack deliveries that keeps the 3-second acknowledgement honest and cheap.
//
// One document per accepted request, keyed twice, both keys unique: its signature (the same
// signed request again is a replay, refused) and its delivery identity (a Slack retry of a
// delivery already handled, answered without running again). A unique insert is atomic on
// FerretDB and MongoDB alike, so this holds across nodes.
//
// Inserts arriving together are written together (insertMany, unordered): on the embedded
// database one write of fifty documents costs about what three single writes cost, and a
// burst of commands is where acknowledgements would otherwise queue behind each other.
// Documents last twice the 5-minute signature window; `sweep` removes older ones.
import { Schema, type Model, type mongo as mongodb } from 'mongoose';
import { isDuplicateKeyError } from '../../core/privacy/duplicate-key.ts';
import { defineModel, type Store } from '../../core/store/store.ts';
import { REPLAY_WINDOW_MS } from '../../core/webhooks/signatures.ts';

interface DeliveryDoc {
  /** The request's signature. */
  _id: string;
  /** What the delivery is (see delivery.ts): the same for Slack's retries of it. */
  identity: string;
  expiresAt: Date;
}

export const SlackDelivery = defineModel<DeliveryDoc>(
  'SlackDelivery',
  (() => {
    const schema = new Schema<DeliveryDoc>(
      {
        _id: { type: String, required: true },
        identity: { type: String, required: true },
        expiresAt: { type: Date, required: true },
      },
      { collection: 'slack_deliveries', versionKey: false },
    );
    schema.index({ identity: 1 }, { unique: true });
    schema.index({ expiresAt: 1 });
    return schema;
  })(),
);

export type Sighting = 'new' | 'replay' | 'retry';

interface Pending {
  doc: DeliveryDoc;
  resolve(sighting: Sighting): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 200;

export interface DeliveryLedger {
  /** Records a verified request: new, the same request again, or a retry of a handled one. */
  record(signature: string, identity: string): Promise<Sighting>;
  /** Removes records past their lifetime; returns how many. */
  sweep(): Promise<number>;
}

export function createDeliveryLedger(store: Store): DeliveryLedger {
  return new SlackDeliveryLedger(store);
}

class SlackDeliveryLedger implements DeliveryLedger {
  readonly #Deliveries: Model<DeliveryDoc>;
  #pending: Pending[] = [];
  #writing = false;

  constructor(store: Store) {
    this.#Deliveries = store.controlModel(SlackDelivery);
  }

  record(signature: string, identity: string): Promise<Sighting> {
    return new Promise<Sighting>((resolve, reject) => {
      this.#pending.push({
        doc: {
          _id: signature,
          identity,
          // Twice the window: a replay near the window's edge is still remembered.
          expiresAt: new Date(Date.now() + 2 * REPLAY_WINDOW_MS),
        },
        resolve,
        reject,
      });
      // Requests arriving while a write is under way go together in the next one.
      if (!this.#writing) setImmediate(() => void this.#drain());
      this.#writing = true;
    });
  }

  async sweep(): Promise<number> {
    const removed = await this.#Deliveries.deleteMany({ expiresAt: { $lt: new Date() } });
    return removed.deletedCount;
  }

  async #classify(entry: Pending, error: unknown): Promise<void> {
    if (!isDuplicateKeyError(error)) {
      entry.reject(error);
      return;
    }
    // The error does not say which key clashed (FerretDB names neither): look.
    const same = await this.#Deliveries.exists({ _id: entry.doc._id });
    entry.resolve(same ? 'replay' : 'retry');
  }

  async #write(batch: Pending[]): Promise<void> {
    const failed = new Map<number, unknown>();
    try {
      // The driver's insertMany: one unordered write, each document's keys checked on its own.
      await this.#Deliveries.collection.insertMany(
        batch.map(({ doc }) => ({ ...doc }) as unknown as mongodb.Document),
        { ordered: false },
      );
    } catch (error) {
      const writeErrors = (error as { writeErrors?: Array<{ index: number; code?: number }> })
        .writeErrors;
      if (!writeErrors) {
        for (const entry of batch) entry.reject(error);
        return;
      }
      for (const w of writeErrors) failed.set(w.index, { code: w.code });
    }
    await Promise.all(
      batch.map(async (entry, index) => {
        if (!failed.has(index)) entry.resolve('new');
        else await this.#classify(entry, failed.get(index)).catch(entry.reject);
      }),
    );
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.slice(0, MAX_BATCH);
        this.#pending = this.#pending.slice(batch.length);
        await this.#write(batch);
      }
    } finally {
      this.#writing = false;
    }
  }
}
