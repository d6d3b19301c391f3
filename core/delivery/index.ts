// Delivery of what the pipeline leaves in the outbox (a meeting's summary, …) to every platform
// that registered a channel, by one consumer run as a job. See consumer.ts.
export {
  DeliveryChannels,
  summaryChannel,
  type DeliveryChannel,
  type DeliveryItem,
} from './channel.ts';
export { DeliveryConsumer, backoffMs, type DeliveryConsumerOptions } from './consumer.ts';
export { DELIVER_OUTBOX, deliverOutboxJob } from './job.ts';
export {
  OUTBOX_COLLECTIONS,
  OUTBOX_EVENT_TYPES,
  createOutbox,
  outboxModels,
  type ClaimOptions,
  type Outbox,
  type OutboxEvent,
  type OutboxEventType,
} from './outbox.ts';
export { DELIVERY_COLLECTIONS, SendLedger, type SendRecord } from './sends.ts';
