// The retention purge and the outbox: a purged meeting's "summarized" event must never be sent.
// An event still live is forgotten with the content; one expired a week after it was published
// is offered to nobody and left to the expiry sweep, so the purge does not look for it (a
// statement per meeting saved on the embedded database).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_LIFETIME_MS } from '../../../core/delivery/outbox.ts';
import { purgeExpiredForTenant } from '../../../core/meetings/retention/retention.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { Browser, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { backdateRetention, captionedMeeting, organization, type Org } from './people.ts';

let app: TestQuorum;
let acme: Org;
let ana: Browser;
const DAY = 86_400_000;

async function publishedMeeting(title: string): Promise<string> {
  const id = await captionedMeeting(ana, title);
  const deadline = Date.now() + 20_000;
  while (!(await meetings().findOne({ _id: id as never }))?.publishedAt) {
    if (Date.now() > deadline) throw new Error(`meeting ${id} was never published`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return id;
}

function meetings() {
  return app.quorum.store.connection.useDb(`quorum_t_${acme.tenantId}`).db!.collection('meetings');
}

function events() {
  return app.quorum.store.control.db!.collection('outbox_events');
}

const eventId = (meetingId: string) => `${acme.tenantId}:${meetingId}:meeting.summarized`;

/** Past its retention (10 days): its record and the retention list moved back 11 days. */
const expire = (id: string) => backdateRetention(app, acme.tenantId, [id], 11);

beforeAll(async () => {
  app = await startTestQuorum();
  acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' });
  ana = acme.admin;
  const res = await ana.request('/api/admin/settings', {
    method: 'PUT',
    json: { retentionDays: 10 },
  });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await app?.stop();
});

describe('the retention purge and the outbox', () => {
  it('forgets an event still live, and leaves an expired one to the sweep', async () => {
    const live = await publishedMeeting('Published this week');
    const old = await publishedMeeting('Published long ago');
    // The old meeting's event as a week and a day of age would leave it: published, created and
    // expired back then.
    const then = new Date(Date.now() - EVENT_LIFETIME_MS - DAY);
    await meetings().updateOne({ _id: old as never }, { $set: { publishedAt: then } });
    await events().updateOne(
      { _id: eventId(old) as never },
      { $set: { createdAt: then, expiresAt: new Date(then.getTime() + EVENT_LIFETIME_MS) } },
    );
    await expire(live);
    await expire(old);
    expect(
      await events().countDocuments({ _id: { $in: [eventId(live), eventId(old)] as never[] } }),
    ).toBe(2);

    const ctx = verifiedTenantContext(acme.tenantId, 'system');
    const report = await purgeExpiredForTenant({ kit: app.quorum.services.meetings.kit }, ctx);
    expect(report.purged).toBe(2);

    expect(await events().findOne({ _id: eventId(live) as never })).toBeNull();
    // Left for the expiry sweep, and offered to no one meanwhile.
    expect(await events().findOne({ _id: eventId(old) as never })).not.toBeNull();
    const offered = await app.quorum.services.meetings.outbox.claim('purge-test', { limit: 100 });
    expect(offered.map((event) => event.meetingId)).not.toContain(old);
    expect(offered.map((event) => event.meetingId)).not.toContain(live);
  });
});
