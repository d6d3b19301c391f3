// What the delivery consumer knows about sending one outbox event to one platform, so that no
// event is ever sent twice: not when two runs race for it, not when a run dies after sending and
// before acknowledging, not when a send outlives its claim.
//
// One record per platform and event (`<platform>|<eventId>`): the attempt under way or last made,
// and whether it was sent. Before each attempt the consumer inserts that attempt's marker
// (`<platform>|<eventId>#<attempt>`): the insert is refused atomically to everyone but the first,
// on FerretDB and MongoDB alike, so one run only ever makes a given attempt. A record left
// "sending" means a run began a send and never said how it ended: it may have gone out, so it is
// not sent again (at most once; the log says so).
//
// Every access is by exact `_id`. Records and markers expire a day after their event does
// (core/store/expiry.ts removes them), so the collection holds at most a week of events, times
// the platforms, times the attempts of the few that failed (one an hour at most, see consumer.ts).
import { Schema } from 'mongoose';
import { isDuplicateKeyError } from '../privacy/duplicate-key.ts';
import { defineModel, type Store } from '../store/store.ts';
import { EVENT_LIFETIME_MS } from './outbox.ts';

export type SendState = 'sending' | 'sent' | 'failed';

export interface SendRecord {
  _id: string;
  /** Absent on attempt markers. */
  state?: SendState;
  attempts?: number;
  /** When a failed send may be tried again. */
  retryAt?: Date;
  error?: string;
  expiresAt: Date;
}

export const DeliverySendModel = defineModel<SendRecord>(
  'DeliverySend',
  new Schema<SendRecord>(
    {
      _id: { type: String, required: true },
      state: String,
      attempts: Number,
      retryAt: Date,
      error: String,
      expiresAt: { type: Date, required: true },
    },
    { collection: 'delivery_sends', versionKey: false },
  ),
);

export const DELIVERY_COLLECTIONS = ['delivery_sends'];

const DAY_MS = 86_400_000;

/** An event's records outlive it, so an event offered again always finds what was done. */
export const sendExpiry = (eventCreatedAt: Date) =>
  new Date(eventCreatedAt.getTime() + EVENT_LIFETIME_MS + DAY_MS);

export class SendLedger {
  readonly #sends;

  constructor(store: Store) {
    this.#sends = store.controlModel(DeliverySendModel);
  }

  static id(platform: string, eventId: string): string {
    return `${platform}|${eventId}`;
  }

  read(platform: string, eventId: string): Promise<SendRecord | null> {
    return this.#sends.findById(SendLedger.id(platform, eventId)).lean();
  }

  /**
   * Takes attempt number `attempt` of this send, then records it as under way. False when some
   * run took that attempt already: it may be sending, or may have sent.
   */
  async begin(platform: string, eventId: string, attempt: number, expiresAt: Date) {
    const _id = SendLedger.id(platform, eventId);
    try {
      await this.#sends.create({ _id: `${_id}#${attempt}`, expiresAt });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return false;
    }
    await this.#write({ _id, state: 'sending', attempts: attempt, expiresAt });
    return true;
  }

  sent(record: Pick<SendRecord, '_id' | 'attempts' | 'expiresAt'>): Promise<void> {
    return this.#write({ ...record, state: 'sent' });
  }

  failed(record: Pick<SendRecord, '_id' | 'attempts' | 'expiresAt'>, retryAt: Date, error: string) {
    return this.#write({ ...record, state: 'failed', retryAt, error: error.slice(0, 500) });
  }

  async #write(record: SendRecord): Promise<void> {
    // Whole-record writes by `_id`: only the run holding the attempt writes its record.
    await this.#sends.replaceOne({ _id: record._id }, record, { upsert: true });
  }
}
