// The outbox consumer on the real database: each event reaches each platform's channel once and
// is acknowledged; failed sends come back after a backoff; and nothing is ever sent twice, not
// when two nodes run at once, not when a run dies after sending and before acknowledging.
//
// Two consumers are two nodes: each has its own channel object, both write into one list of what
// was sent. A "dead" run is one whose send went out and then never returned: its claim runs out
// (the test's clock moves on) and another node finds the event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryChannel, DeliveryItem } from '../../../core/delivery/channel.ts';
import { DeliveryConsumer, backoffMs } from '../../../core/delivery/consumer.ts';
import { createOutbox, type Outbox } from '../../../core/delivery/outbox.ts';
import { postedMarkersStep } from '../../../core/delivery/outbox-migration.ts';
import { SendLedger } from '../../../core/delivery/sends.ts';
import { createLogger } from '../../../core/logger.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';

const logger = createLogger({ level: 'silent' });
const LEASE_MS = 60_000;
let store: Store;
let clock: Date;
let outbox: Outbox;
const later = (ms: number) => (clock = new Date(clock.getTime() + ms));
const now = () => clock;
/** Each test a week after the last, so the events of the tests before it have expired. */
const nextWeek = () => later(8 * 86_400_000);

/** What every node's channels sent, as `<platform> <event id>`. */
let sent: string[];

interface TestChannel extends DeliveryChannel {
  /** Makes the next sends fail (`fail`) or go out and then never return (`die`). */
  next: Array<'fail' | 'die'>;
}

function channel(platform: string): TestChannel {
  const next: TestChannel['next'] = [];
  return {
    platform,
    next,
    async deliver(item: DeliveryItem) {
      const fault = next.shift();
      if (fault === 'fail') throw new Error('the platform said no');
      sent.push(`${platform} ${item.id}`);
      // Sent, then the process is gone: nothing after this line ever runs.
      if (fault === 'die') await new Promise(() => undefined);
    },
  };
}

const node = (...channels: DeliveryChannel[]) =>
  new DeliveryConsumer({ outbox, store, logger, channels, now, leaseMs: LEASE_MS });

const sentTo = (platform: string, tenant: string) =>
  sent.filter((s) => s.startsWith(`${platform} ${tenant}:`)).map((s) => s.split(':')[1]);

async function waitFor(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

beforeAll(async () => {
  // A clock of its own, far from the other files' events, so their days are not these.
  clock = new Date(Date.UTC(2033, 2, 3, 9, 0));
  store = await openStore({ uri: mongoUri() });
  outbox = createOutbox({ store, now });
});

afterAll(async () => {
  await store?.close();
});

describe('the delivery consumer', () => {
  it('sends each event once to each platform, and acknowledges it', async () => {
    sent = [];
    nextWeek();
    const tenant = testTenantId();
    for (const meeting of ['m1', 'm2']) {
      await outbox.publish({ type: 'meeting.summarized', tenantId: tenant, meetingId: meeting });
    }
    const consumer = node(channel('dt-chat-a'), channel('dt-chat-b'));
    expect(await consumer.runOnce()).toBe(4);
    expect(sentTo('dt-chat-a', tenant)).toEqual(['m1', 'm2']);
    expect(sentTo('dt-chat-b', tenant)).toEqual(['m1', 'm2']);
    // Acknowledged: a later run, on any node, has nothing left.
    later(LEASE_MS + 1);
    expect(await node(channel('dt-chat-a'), channel('dt-chat-b')).runOnce()).toBe(0);
    expect(sent).toHaveLength(4);
  });

  it('never sends twice when two nodes run at once, many times over', async () => {
    sent = [];
    nextWeek();
    const tenant = testTenantId();
    const meetings = Array.from({ length: 6 }, (_, i) => `race${i}`);
    for (const meeting of meetings) {
      await outbox.publish({ type: 'meeting.summarized', tenantId: tenant, meetingId: meeting });
    }
    const nodes = [node(channel('dt-race')), node(channel('dt-race'))];
    // An event acknowledged while another run still had it on its list of waiting events is
    // claimed by that run again: the send ledger tells it the event went out already.
    await Promise.all([...nodes, ...nodes, ...nodes].map((consumer) => consumer.runOnce()));
    expect(sentTo('dt-race', tenant).sort()).toEqual(meetings);
    later(LEASE_MS + 1);
    expect(await node(channel('dt-race')).runOnce()).toBe(0);
  });

  it('never sends twice when a run dies after sending and before acknowledging', async () => {
    sent = [];
    nextWeek();
    const tenant = testTenantId();
    await outbox.publish({ type: 'meeting.summarized', tenantId: tenant, meetingId: 'dies' });
    const dying = channel('dt-crash');
    dying.next.push('die');
    const first = node(dying);
    void first.runOnce();
    await waitFor('the dying run to send', () => sentTo('dt-crash', tenant).length === 1);

    // Within its lease, another node is not offered the event at all.
    const second = node(channel('dt-crash'));
    expect(await second.runOnce()).toBe(0);
    // Once the lease ran out, the other node takes the event over, sees the send under way
    // with no end recorded, and acknowledges it without sending.
    later(LEASE_MS + 1);
    expect(await second.runOnce()).toBe(1);
    later(LEASE_MS + 1);
    expect(await node(channel('dt-crash')).runOnce()).toBe(0);
    expect(sentTo('dt-crash', tenant)).toEqual(['dies']);
    const record = await new SendLedger(store).read(
      'dt-crash',
      `${tenant}:dies:meeting.summarized`,
    );
    expect(record).toMatchObject({ state: 'sending', attempts: 1 });
  });

  it('goes on, on the same node, after a send that never returns', async () => {
    sent = [];
    nextWeek();
    const tenant = testTenantId();
    await outbox.publish({ type: 'meeting.summarized', tenantId: tenant, meetingId: 'stuck' });
    const stuck = channel('dt-stuck');
    stuck.next.push('die');
    // A short lease, so the next run stops waiting for the stuck one soon.
    const consumer = new DeliveryConsumer({
      outbox,
      store,
      logger,
      channels: [stuck],
      now,
      leaseMs: 200,
    });
    void consumer.runOnce();
    await waitFor('the stuck send', () => sentTo('dt-stuck', tenant).length === 1);
    later(201);
    expect(await consumer.runOnce()).toBe(1);
    expect(sentTo('dt-stuck', tenant)).toEqual(['stuck']);
  });

  it('acknowledges without sending what a run sent and recorded before dying', async () => {
    sent = [];
    nextWeek();
    const tenant = testTenantId();
    const event = await outbox.publish({
      type: 'meeting.summarized',
      tenantId: tenant,
      meetingId: 'recorded',
    });
    // The earlier run claimed, took attempt 1, sent and recorded it; then it died.
    const ledger = new SendLedger(store);
    expect(await outbox.claim('dt-late-ack', { leaseMs: LEASE_MS })).toHaveLength(1);
    const expiresAt = new Date(clock.getTime() + 8 * 86_400_000);
    expect(await ledger.begin('dt-late-ack', event.id, 1, expiresAt)).toBe(true);
    await ledger.sent({ _id: SendLedger.id('dt-late-ack', event.id), attempts: 1, expiresAt });

    later(LEASE_MS + 1);
    expect(await node(channel('dt-late-ack')).runOnce()).toBe(1);
    expect(sent).toEqual([]);
    later(LEASE_MS + 1);
    expect(await outbox.claim('dt-late-ack')).toEqual([]);
  });

  it('tries a failed send again after a backoff, then sends it once', async () => {
    sent = [];
    nextWeek();
    const tenant = testTenantId();
    await outbox.publish({ type: 'meeting.summarized', tenantId: tenant, meetingId: 'flaky' });
    const flaky = channel('dt-retry');
    flaky.next.push('fail', 'fail');
    const consumer = node(flaky);
    expect(await consumer.runOnce()).toBe(0);
    // Not offered again before the backoff ends, however often the consumer runs.
    later(backoffMs(1) - 1_000);
    expect(await consumer.runOnce()).toBe(0);
    later(2_000);
    expect(await consumer.runOnce()).toBe(0); // the second failure
    later(backoffMs(2) - 1_000);
    expect(await consumer.runOnce()).toBe(0);
    later(2_000);
    expect(await consumer.runOnce()).toBe(1);
    expect(sentTo('dt-retry', tenant)).toEqual(['flaky']);
    expect(backoffMs(2)).toBe(2 * backoffMs(1));
    expect(backoffMs(40)).toBe(3_600_000);
  });

  it("keeps an adapter's old markers of posted summaries: what they name is not posted again", async () => {
    sent = [];
    nextWeek();
    const tenant = testTenantId();
    const posted = await outbox.publish({
      type: 'meeting.summarized',
      tenantId: tenant,
      meetingId: 'posted-before',
    });
    await outbox.publish({ type: 'meeting.summarized', tenantId: tenant, meetingId: 'not-yet' });
    // Before the one consumer, the adapter marked what it posted (`_id`: the event id).
    const markers = store.control.collection<{ _id: string; at: Date }>('dt_summary_posts');
    await markers.insertOne({ _id: posted.id, at: clock });
    const step = postedMarkersStep({
      name: 'dt-summary-markers',
      platform: 'dt-legacy',
      collection: 'dt_summary_posts',
    });
    const ctx = verifiedTenantContext(tenant, 'system');
    expect(await step.runForTenant(store, ctx)).toBe(1);
    expect(await step.runForTenant(store, ctx)).toBe(0);
    expect(await markers.findOne({ _id: posted.id })).toBeNull();

    expect(await node(channel('dt-legacy')).runOnce()).toBe(2);
    expect(sentTo('dt-legacy', tenant)).toEqual(['not-yet']);
  });
});
