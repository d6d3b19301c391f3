// The one outbox consumer: for each registered channel (one per platform) it claims the events
// waiting for that platform, hands each to the channel, and acknowledges it. A send that fails is
// tried again after a backoff (30 s, doubling, at most an hour apart) until the outbox lets the
// event expire (a week). No event is sent twice (sends.ts): each attempt is taken with a unique
// insert before the send, and a send whose end nobody recorded is not repeated.
//
// It runs as an Agenda job (job.ts), so one worker node at a time runs it on schedule; claims
// and the send ledger keep other nodes (and manual runs) from sending the same event again.
// Runs of one consumer take turns, so a manual run waits for the scheduled one instead of
// finding its events claimed (and returning before they were sent). A run stuck in a send that
// never returns holds the next one back for one lease at most: by then its claims have run out,
// and the send ledger keeps its events from being sent again.
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import { DeliveryChannels, type DeliveryChannel, type DeliveryItem } from './channel.ts';
import type { Outbox } from './outbox.ts';
import { SendLedger, sendExpiry, type SendRecord } from './sends.ts';

const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 3_600_000;

/** How long to wait before attempt `attempt + 1`, after attempt `attempt` failed. */
export function backoffMs(attempt: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1), LONGEST_RETRY_MS);
}

type Outcome = 'sent' | 'done-before' | 'unknown' | 'retry' | 'waiting';

export interface DeliveryConsumerOptions {
  outbox: Outbox;
  store: Store;
  logger: Logger;
  channels?: ReadonlyArray<DeliveryChannel | undefined>;
  now?: () => Date;
  /** Events claimed per platform and run (default 20). */
  batch?: number;
  /** How long a claim holds while its event is sent (default 5 minutes). */
  leaseMs?: number;
}

export class DeliveryConsumer {
  readonly channels = new DeliveryChannels();
  readonly #outbox: Outbox;
  readonly #ledger: SendLedger;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #batch: number;
  readonly #leaseMs: number;
  /** The run under way, which the next run waits for. */
  #turn: Promise<unknown> = Promise.resolve();

  constructor(options: DeliveryConsumerOptions) {
    this.#outbox = options.outbox;
    this.#ledger = new SendLedger(options.store);
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
    this.#batch = options.batch ?? 20;
    this.#leaseMs = options.leaseMs ?? 5 * 60_000;
    for (const channel of options.channels ?? []) if (channel) this.channels.register(channel);
  }

  /**
   * Delivers what waits for every channel (or for `platform`'s only); returns how many events
   * were settled (sent now, or found sent before) and acknowledged.
   */
  async runOnce(platform?: string): Promise<number> {
    const channels = platform
      ? [this.channels.get(platform)].filter((c): c is DeliveryChannel => c !== undefined)
      : this.channels.list();
    const run = this.#afterTurn(this.#turn).then(async () => {
      let settled = 0;
      for (const channel of channels) settled += await this.#runChannel(channel);
      return settled;
    });
    // A failed run does not stop the next one.
    this.#turn = run.catch(() => undefined);
    return run;
  }

  /** Resolves when the previous run ended, or after one lease if it has not. */
  #afterTurn(previous: Promise<unknown>): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const leaseOver = new Promise((resolve) => {
      timer = setTimeout(resolve, this.#leaseMs);
      timer.unref();
    });
    return Promise.race([previous, leaseOver]).finally(() => clearTimeout(timer));
  }

  async #runChannel(channel: DeliveryChannel): Promise<number> {
    const items = await this.#outbox.claim(channel.platform, {
      limit: this.#batch,
      leaseMs: this.#leaseMs,
    });
    let settled = 0;
    for (const item of items) {
      try {
        const outcome = await this.#handle(channel, item);
        if (outcome === 'sent' || outcome === 'done-before' || outcome === 'unknown') settled += 1;
      } catch (error) {
        // The ledger or the outbox failed, not the send: the claim runs out and it comes back.
        this.#logger.warn(
          { err: error, event: item.id, platform: channel.platform },
          'not delivered now',
        );
      }
    }
    return settled;
  }

  /** One claimed event: sent once, acknowledged, or put off until its next attempt. */
  async #handle(channel: DeliveryChannel, item: DeliveryItem): Promise<Outcome> {
    const { platform } = channel;
    const record = await this.#ledger.read(platform, item.id);
    const at = this.#now();
    if (record?.state === 'sent') {
      // Sent by a run that died before acknowledging.
      await this.#outbox.ack(platform, item.id);
      return 'done-before';
    }
    if (record?.state === 'sending') return this.#unknown(platform, item, record.attempts);
    if (record?.state === 'failed' && record.retryAt && record.retryAt > at) {
      await this.#outbox.defer(platform, item.id, record.retryAt);
      return 'waiting';
    }
    const attempt = (record?.attempts ?? 0) + 1;
    const expiresAt = sendExpiry(item.createdAt);
    if (!(await this.#ledger.begin(platform, item.id, attempt, expiresAt))) {
      return this.#unknown(platform, item, attempt);
    }
    const taken: Pick<SendRecord, '_id' | 'attempts' | 'expiresAt'> = {
      _id: SendLedger.id(platform, item.id),
      attempts: attempt,
      expiresAt,
    };
    try {
      await channel.deliver(item);
    } catch (error) {
      const retryAt = new Date(this.#now().getTime() + backoffMs(attempt));
      await this.#ledger.failed(
        taken,
        retryAt,
        error instanceof Error ? error.message : String(error),
      );
      await this.#outbox.defer(platform, item.id, retryAt);
      this.#logger.warn(
        { err: error, event: item.id, platform, attempt, retryAt },
        'not delivered yet; tried again later',
      );
      return 'retry';
    }
    await this.#ledger.sent(taken);
    await this.#outbox.ack(platform, item.id);
    return 'sent';
  }

  /** A send began and nobody recorded its end: it may have gone out, so it is not repeated. */
  async #unknown(platform: string, item: DeliveryItem, attempt: number | undefined) {
    this.#logger.warn(
      { event: item.id, platform, attempt },
      'an earlier delivery attempt stopped half-way; not sent again, so it is never sent twice',
    );
    await this.#outbox.ack(platform, item.id);
    return 'unknown' as const;
  }
}
