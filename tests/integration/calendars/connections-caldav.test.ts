// Connecting a CalDAV calendar through Quorum's API, against a real Radicale server: the
// credentials are tried before anything is stored, and the app password is kept only sealed.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CONNECTIONS_COLLECTION,
  CalendarConnection,
} from '../../../core/calendars/connections/connection-model.ts';
import { gatherFreeBusy } from '../../../core/calendars/free-busy.ts';
import { User, type UserDoc } from '../../../core/identity/models.ts';
import {
  tenantDatabaseName,
  verifiedTenantContext,
  type TenantContext,
} from '../../../core/store/tenant-context.ts';
import { freePort } from '../../../infra/local/embedded-db.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { startRadicale, type RadicaleServer } from '../../support/radicale.ts';

const RANGE = { start: new Date('2030-05-06T00:00:00Z'), end: new Date('2030-05-07T00:00:00Z') };

let app: TestQuorum;
let radicale: RadicaleServer;
let browser: Browser;
let user: UserDoc;
let ctx: TenantContext;

const connectionDocs = async () =>
  (await app.quorum.store.tenantModel(ctx, CalendarConnection)).find({ userId: user._id }).lean();

async function tenantDatabaseText(): Promise<string> {
  const db = app.quorum.store.connection.useDb(tenantDatabaseName(ctx)).db!;
  const parts: string[] = [];
  for (const { name } of await db.listCollections().toArray()) {
    parts.push(JSON.stringify(await db.collection(name).find().toArray()));
  }
  return parts.join('\n');
}

const connectCalDav = (body: Record<string, unknown>) =>
  browser.request('/api/calendars/caldav', { method: 'POST', json: body });

beforeAll(async () => {
  radicale = await startRadicale();
  const work = await radicale.makeCalendar('work');
  await radicale.put(
    `${work}standup.ics`,
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Quorum tests//EN',
      'BEGIN:VEVENT',
      'UID:standup-1',
      'DTSTAMP:20300101T000000Z',
      'DTSTART:20300506T090000Z',
      'DTEND:20300506T093000Z',
      'SUMMARY:Standup',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  );
  app = await startTestQuorum();
  browser = new Browser(app.url);
  const res = await browser.request('/auth/signup', {
    method: 'POST',
    json: {
      organization: 'Delta Inc',
      name: 'Ana',
      email: 'ana@delta.example',
      password: 'velvet-harbor-lantern-42',
    },
  });
  expect(res.status).toBe(201);
  user = (await app.quorum.store
    .controlModel(User)
    .findOne({ email: 'ana@delta.example' })
    .lean())!;
  ctx = verifiedTenantContext(user.tenantId, 'session', user._id);
}, 30_000);

afterAll(async () => {
  await app?.stop();
  await radicale?.stop();
});

describe('connecting a CalDAV calendar', () => {
  it('refuses a wrong password with a clear 400 and stores nothing', async () => {
    const res = await connectCalDav({
      serverUrl: radicale.url,
      username: radicale.username,
      password: 'not-the-app-password',
    });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error).toBe('caldav-refused');
    expect(body.message).toContain('refused username "ana"');
    expect(body.message).toContain('app password');
    expect(await connectionDocs()).toEqual([]);
    expect(await tenantDatabaseText()).not.toContain('not-the-app-password');
  });

  it('refuses plain http to another machine, an address with no CalDAV server, and missing fields', async () => {
    const insecure = await connectCalDav({
      serverUrl: 'http://caldav.example.com/',
      username: 'ana',
      password: radicale.password,
    });
    expect(insecure.status).toBe(400);
    expect(await json(insecure)).toMatchObject({ error: 'caldav-insecure' });

    // A typed address cannot make Quorum call into its own network (a cloud metadata service).
    const internal = await connectCalDav({
      serverUrl: 'https://169.254.169.254/latest/',
      username: 'ana',
      password: radicale.password,
    });
    expect(internal.status).toBe(400);
    expect(await json(internal)).toMatchObject({ error: 'caldav-private-address' });

    const nobody = await connectCalDav({
      serverUrl: `http://127.0.0.1:${await freePort()}/`,
      username: 'ana',
      password: radicale.password,
    });
    expect(nobody.status).toBe(400);
    expect(await json(nobody)).toMatchObject({ error: 'caldav-unreachable' });

    const missing = await connectCalDav({ serverUrl: radicale.url, username: 'ana' });
    expect(missing.status).toBe(400);
    expect((await json(missing)).message).toMatch(/^password:/);
    expect(await connectionDocs()).toEqual([]);
  });

  it('connects with the right password, keeping it only sealed, and reads free/busy with it', async () => {
    const res = await connectCalDav({
      serverUrl: radicale.url,
      username: radicale.username,
      password: radicale.password,
    });
    expect(res.status).toBe(201);
    const { connection } = await json(res);
    expect(connection).toMatchObject({
      provider: 'caldav',
      status: 'connected',
      username: 'ana',
      serverUrl: radicale.url,
      // The username is not an address, so the calendar is the signed-in person's.
      accountEmail: 'ana@delta.example',
    });
    const listed = JSON.stringify(await json(browser.request('/api/calendars')));
    expect(listed).toContain(connection.id);
    expect(listed).not.toContain(radicale.password);
    expect(await tenantDatabaseText()).not.toContain(radicale.password);
    const [doc] = await connectionDocs();
    expect(
      await app.quorum.services.envelope.openToken(
        ctx,
        { collection: CONNECTIONS_COLLECTION, id: doc!._id, field: 'password' },
        doc!.password!,
      ),
    ).toBe(radicale.password);

    const calendar = await app.quorum.services.calendarConnections.calendarFor(ctx, user);
    expect(calendar.provider.kind).toBe('caldav');
    const busy = await calendar.provider.freeBusy({ calendars: [calendar.calendarId], ...RANGE });
    expect(busy['ana@delta.example']).toEqual({
      ok: true,
      busy: [
        {
          start: Date.parse('2030-05-06T09:00:00Z'),
          end: Date.parse('2030-05-06T09:30:00Z'),
          status: 'busy',
        },
      ],
    });
    const { entries } = await json(browser.request('/api/audit'));
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'calendar.connected',
        details: expect.objectContaining({ provider: 'caldav' }),
      }),
    );
  });

  it('marks the connection for reconnection when the server stops accepting the password', async () => {
    const [doc] = await connectionDocs();
    // As if the app password was revoked at the provider: the stored one no longer works.
    const stale = await app.quorum.services.envelope.sealToken(
      ctx,
      { collection: CONNECTIONS_COLLECTION, id: doc!._id, field: 'password' },
      'revoked-app-password',
    );
    const Connections = await app.quorum.store.tenantModel(ctx, CalendarConnection);
    await Connections.updateOne({ _id: doc!._id }, { $set: { password: stale } });

    const connections = app.quorum.services.calendarConnections;
    const calendar = await connections.calendarFor(ctx, user);
    const result = await gatherFreeBusy(
      [{ provider: calendar.provider, calendars: [calendar.calendarId] }],
      RANGE,
      { deadlineMs: 10_000, onProviderError: connections.onProviderError },
    );
    expect(result['ana@delta.example']?.ok).toBe(false);
    await vi.waitFor(async () => {
      expect((await connectionDocs())[0]).toMatchObject({
        status: 'needs-reconnect',
        password: null,
      });
    });
    const listed = await json(browser.request('/api/calendars'));
    expect(listed.connections[0].problem).toContain('Connect the calendar again');

    // Connecting again with the working password restores the same connection.
    const again = await connectCalDav({
      serverUrl: radicale.url,
      username: radicale.username,
      password: radicale.password,
    });
    expect(again.status).toBe(201);
    expect((await json(again)).connection).toMatchObject({ id: doc!._id, status: 'connected' });
  });

  it('disconnects: the sealed password and the record are deleted, and the person is told to revoke it', async () => {
    const [doc] = await connectionDocs();
    const res = await browser.request(`/api/calendars/${doc!._id}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ provider: 'caldav', revokedAtProvider: false });
    expect(body.note).toContain('revoke that app password');
    expect(await connectionDocs()).toEqual([]);
    expect(await tenantDatabaseText()).not.toContain(doc!.password!);
    const { entries } = await json(browser.request('/api/audit'));
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'calendar.disconnected',
        details: expect.objectContaining({ provider: 'caldav' }),
      }),
    );
    const fallback = await app.quorum.services.calendarConnections.calendarFor(ctx, user);
    expect(fallback.provider.kind).toBe('local');
  });

  it('keeps one record when the same calendar is connected twice at the same moment', async () => {
    const body = {
      serverUrl: radicale.url,
      username: radicale.username,
      password: radicale.password,
    };
    const answers = await Promise.all([connectCalDav(body), connectCalDav(body)]);
    expect(answers.map((r) => r.status)).toEqual([201, 201]);
    const [first, second] = await Promise.all(answers.map((r) => json(r)));
    expect(second.connection.id).toBe(first.connection.id);
    expect((await connectionDocs()).map((d) => d._id)).toEqual([first.connection.id]);
    const calendar = await app.quorum.services.calendarConnections.calendarFor(ctx, user);
    expect(calendar.connection?.id).toBe(first.connection.id);
  });
});
