// A repeating meeting asked for in Teams chat ("every other Tuesday … for 8 weeks"), with
// activities sent as the Bot Connector sends them: Tuesdays whose every meeting is free, booked
// from the card as one series.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking } from '../../../core/scheduling/booking/booking-model.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { json } from '../../support/quorum-app.ts';
import {
  ANA,
  CHAT,
  RAJ,
  executeActions,
  invoke,
  message,
  teamsOrg,
  textOf,
  type TeamsOrg,
} from './teams-org.ts';

let org: TeamsOrg;
beforeAll(async () => {
  org = await teamsOrg();
});
afterAll(async () => {
  await org?.stop();
});

describe('a repeating meeting from Teams chat', () => {
  it('offers Tuesdays and books the chosen one as a series every two weeks, four times', async () => {
    const before = org.connector.sent.length;
    const text = 'every other tuesday 30m with <at>Raj Patel</at> for 8 weeks';
    const res = await org.send(message(org, ANA, text, [RAJ], { id: CHAT }));
    expect(res.status).toBe(200);
    const sent = org.connector.sent.slice(before).find((s) => s.method === 'POST')!;
    const card = (sent.body.attachments as Array<{ content: Record<string, unknown> }>)[0]!.content;
    expect(textOf(card)).toContain('repeats: every 2 weeks, 4 times');
    const buttons = executeActions(card);
    expect(buttons.length).toBeGreaterThan(0);
    for (const button of buttons) {
      const start = DateTime.fromMillis(Number(button.data.s), { zone: 'Europe/Berlin' });
      expect(start.weekday).toBe(2);
    }
    const booked = await json(await org.send(invoke(org, ANA, buttons[0]!, sent.id)));
    expect(textOf(booked.value)).toContain('Booked');
    const ctx = verifiedTenantContext(org.tenantId, 'system');
    const Bookings = await org.app.quorum.store.tenantModel(ctx, Booking);
    const [booking] = await Bookings.find({ status: 'confirmed' }).lean();
    expect(booking?.start.getTime()).toBe(Number(buttons[0]!.data.s));
    expect(booking?.series).toMatchObject({
      rule: { frequency: 'weekly', interval: 2, count: 4 },
      timeZone: 'Europe/Berlin',
    });
  });
});
