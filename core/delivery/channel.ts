// What an adapter gives the delivery consumer: its platform's name and a way to deliver one
// outbox event there. The channel renders and sends (Block Kit to a Slack channel, a card into a
// Teams chat); claiming, acknowledging, retrying and never sending twice are the consumer's.
import type { OutboxEvent } from './outbox.ts';

export type DeliveryItem = OutboxEvent;

export interface DeliveryChannel {
  /** The platform, also the outbox consumer name: 1-40 lower-case letters, digits or "-". */
  readonly platform: string;
  /**
   * Renders the item and sends it. Resolves once sent, or when there is nothing to send (the
   * meeting was deleted since, nobody to send it to); rejects when it should be tried again.
   */
  deliver(item: DeliveryItem): Promise<void>;
}

/** The channels registered with the consumer, one per platform. */
export class DeliveryChannels {
  readonly #channels = new Map<string, DeliveryChannel>();

  register(channel: DeliveryChannel): this {
    if (this.#channels.has(channel.platform)) {
      throw new Error(`a delivery channel for "${channel.platform}" is registered twice`);
    }
    this.#channels.set(channel.platform, channel);
    return this;
  }

  get(platform: string): DeliveryChannel | undefined {
    return this.#channels.get(platform);
  }

  list(): DeliveryChannel[] {
    return [...this.#channels.values()];
  }
}

/**
 * The channel of a platform that receives meeting summaries: it posts each `meeting.summarized`
 * event with the adapter's `postSummary`, and only that.
 */
export function summaryChannel(
  platform: string,
  postSummary: (tenantId: string, meetingId: string) => Promise<unknown>,
): DeliveryChannel {
  return {
    platform,
    async deliver(item) {
      if (item.type === 'meeting.summarized') await postSummary(item.tenantId, item.meetingId);
    },
  };
}
