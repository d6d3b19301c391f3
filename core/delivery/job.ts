// The consumer on Agenda's schedule: every 15 seconds on one worker node (Agenda's job lock),
// as the adapters' own pollers did. Nodes that run no jobs never deliver.
import type { JobDefinition } from '../jobs/registry.ts';
import type { DeliveryConsumer } from './consumer.ts';

export const DELIVER_OUTBOX = 'delivery.deliver-outbox';

export function deliverOutboxJob(consumer: DeliveryConsumer): JobDefinition {
  return {
    name: DELIVER_OUTBOX,
    every: '15 seconds',
    async run(_data, { logger }) {
      const settled = await consumer.runOnce();
      if (settled > 0) logger.debug({ settled }, 'outbox events delivered');
    },
  };
}
