// Calendar connections over OAuth, end to end: Quorum's HTTP routes and services against OAuth
// authorization servers on loopback shaped like Google's and Microsoft's (RFC 6749/7636/7009
// wire format, tests/support/oauth-server.ts), and googleapis against a local Calendar API.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CONNECTIONS_COLLECTION,
  CalendarConnection,
} from '../../../core/calendars/connections/connection-model.ts';
import {
  createCalendarConnections,
  type CalendarConnections,
} from '../../../core/calendars/connections/connections.ts';
import { createCalendarOAuthClient } from '../../../core/calendars/connections/oauth-client.ts';
import { gatherFreeBusy } from '../../../core/calendars/free-busy.ts';
import { GrantRevokedError } from '../../../core/calendars/provider.ts';
import { User, type UserDoc } from '../../../core/identity/models.ts';
import { tenantDatabaseName, verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import type { TenantContext } from '../../../core/store/tenant-context.ts';
import { freePort } from '../../../infra/local/embedded-db.ts';
import { createCalendarVendors } from '../../../infra/providers/calendars.ts';
import { startFakeGoogle, type FakeGoogle } from '../../support/fake-google.ts';
import { startFakeOAuthServer, type FakeOAuthServer } from '../../support/oauth-server.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

const GOOGLE_SCOPES =
  'https://www.googleapis.com/auth/calendar.events https://www.googleapis.com/auth/calendar.freebusy';
const MICROSOFT_SCOPES =
  'https://graph.microsoft.com/Calendars.ReadWrite https://graph.microsoft.com/OnlineMeetings.ReadWrite offline_access';
const RANGE = { start: new Date('2030-03-04T00:00:00Z'), end: new Date('2030-03-05T00:00:00Z') };

let app: TestQuorum;
let google: FakeOAuthServer;
let microsoft: FakeOAuthServer;
let calendarApi: FakeGoogle;
let alpha: Browser;
let beta: Browser;
let alphaUser: UserDoc;
let betaUser: UserDoc;
/** The same services the server runs, built again with the Calendar API root pointed here. */
let connections: CalendarConnections;

async function signUp(who: string, ip: string): Promise<Browser> {
  const browser = new Browser(app.url);
  const res = await browser.request('/auth/signup', {
    method: 'POST',
    headers: { 'x-forwarded-for': ip },
    json: {
      organization: `${who} Inc`,
      name: who,
      email: `${who}@${who}.example`,
      password: 'velvet-harbor-lantern-42',
    },
  });
  expect(res.status).toBe(201);
  return browser;
}

const userOf = async (email: string) =>
  (await app.quorum.store.controlModel(User).findOne({ email }).lean())!;
const ctxOf = (user: UserDoc): TenantContext =>
  verifiedTenantContext(user.tenantId, 'session', user._id);
const connectionsOf = async (user: UserDoc) =>
  (await app.quorum.store.tenantModel(ctxOf(user), CalendarConnection))
    .find({ userId: user._id })
    .lean();

/** Every document of the tenant's database, as text. */
async function tenantDatabaseText(user: UserDoc): Promise<string> {
  const db = app.quorum.store.connection.useDb(tenantDatabaseName(ctxOf(user))).db!;
  const parts: string[] = [];
  for (const { name } of await db.listCollections().toArray()) {
    parts.push(JSON.stringify(await db.collection(name).find().toArray()));
  }
  return parts.join('\n');
}

/** Start → the provider's consent (completing at once) → back to Quorum's callback. */
async function connect(browser: Browser, provider: 'google' | 'microsoft') {
  const start = await browser.request(`/connect/${provider}/start?returnTo=/settings/calendars`);
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  const consent = await fetch(authorize, { redirect: 'manual' });
  const callback = consent.headers.get('location')!;
  expect(callback.startsWith(`${app.url}/connect/${provider}/callback?`)).toBe(true);
  const final = await browser.request(callback);
  return { authorize, final };
}

async function auditActions(browser: Browser) {
  const { entries } = await json(browser.request('/api/audit?limit=500'));
  return entries as { action: string; details: Record<string, unknown> }[];
}

beforeAll(async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  google = await startFakeOAuthServer({
    flavour: 'google',
    redirectUris: [`${base}/connect/google/callback`],
  });
  microsoft = await startFakeOAuthServer({
    flavour: 'microsoft',
    redirectUris: [`${base}/connect/microsoft/callback`],
  });
  calendarApi = await startFakeGoogle();
  // The Calendar API accepts exactly the access tokens the authorization server says are live.
  calendarApi.acceptedTokens = google.validAccessTokens;
  app = await startTestQuorum({
    PORT: String(port),
    QUORUM_BASE_URL: base,
    QUORUM_OPEN_SIGNUP: 'true',
    GOOGLE_CLIENT_ID: google.clientId,
    GOOGLE_CLIENT_SECRET: google.clientSecret,
    GOOGLE_ISSUER: google.issuer,
    MICROSOFT_CLIENT_ID: microsoft.clientId,
    MICROSOFT_CLIENT_SECRET: microsoft.clientSecret,
    MICROSOFT_ISSUER: microsoft.issuer,
  });
  alpha = await signUp('alpha', '192.0.2.11');
  beta = await signUp('beta', '192.0.2.12');
  alphaUser = await userOf('alpha@alpha.example');
  betaUser = await userOf('beta@beta.example');
  const client = (fake: FakeOAuthServer, provider: 'google' | 'microsoft') =>
    createCalendarOAuthClient({
      provider,
      issuer: new URL(fake.issuer),
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      allowInsecureRequests: true,
    });
  connections = createCalendarConnections({
    store: app.quorum.store,
    envelope: app.quorum.services.envelope,
    oauth: { google: client(google, 'google'), microsoft: client(microsoft, 'microsoft') },
    vendors: createCalendarVendors({ apiRoots: { google: calendarApi.rootUrl } }),
  });
  calendarApi.busy.set('alpha@alpha.example', [
    { start: '2030-03-04T09:00:00Z', end: '2030-03-04T10:00:00Z' },
  ]);
});

afterAll(async () => {
  await app?.stop();
  await google?.stop();
  await microsoft?.stop();
  await calendarApi?.close();
});

describe('connecting', () => {
  it('uses the local calendar for someone who connected nothing', async () => {
    const calendar = await connections.calendarFor(ctxOf(alphaUser), alphaUser);
    expect(calendar.provider.kind).toBe('local');
    expect(calendar.calendarId).toBe('alpha@alpha.example');
    expect(calendar.connection).toBeNull();
    expect((await json(alpha.request('/api/calendars'))).fallback).toBe('local');
  });

  it('connects Google with calendar-only scopes, offline access and PKCE, storing tokens only sealed', async () => {
    const { authorize, final } = await connect(alpha, 'google');
    const asked = authorize.searchParams;
    expect(asked.get('scope')).toBe(GOOGLE_SCOPES);
    expect(asked.get('access_type')).toBe('offline');
    expect(asked.get('prompt')).toBe('consent');
    expect(asked.get('response_type')).toBe('code');
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(asked.get('state')).toBeTruthy();
    expect(asked.get('login_hint')).toBe('alpha@alpha.example');
    expect(final.status).toBe(302);
    expect(final.headers.get('location')).toBe('/settings/calendars');

    const listed = await json(alpha.request('/api/calendars'));
    expect(listed.connections).toEqual([
      expect.objectContaining({
        provider: 'google',
        accountEmail: 'alpha@alpha.example',
        status: 'connected',
        scopes: GOOGLE_SCOPES.split(' '),
      }),
    ]);
    expect(listed.fallback).toBeNull();

    // Two tokens were issued; neither appears anywhere in the tenant's database or the listing.
    expect(google.issued).toHaveLength(2);
    const stored = await tenantDatabaseText(alphaUser);
    const shown = JSON.stringify(listed);
    for (const secret of google.issued) {
      for (const piece of [secret, secret.slice(3, 19), secret.slice(-16)]) {
        expect(stored).not.toContain(piece);
        expect(shown).not.toContain(piece);
      }
    }
    // What is stored is the sealed form of exactly those tokens, bound to this record.
    const [doc] = await connectionsOf(alphaUser);
    const open = (field: 'accessToken' | 'refreshToken') =>
      app.quorum.services.envelope.openToken(
        ctxOf(alphaUser),
        { collection: CONNECTIONS_COLLECTION, id: doc!._id, field },
        doc![field]!,
      );
    expect(await open('accessToken')).toBe(google.issued[0]);
    expect(await open('refreshToken')).toBe(google.issued[1]);
    expect(doc!.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_000_000);

    const audit = await auditActions(alpha);
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'calendar.connected',
        details: expect.objectContaining({ provider: 'google' }),
      }),
    );
  });

  it('asks Microsoft for Calendars.ReadWrite, OnlineMeetings.ReadWrite and offline_access only', async () => {
    const { authorize, final } = await connect(beta, 'microsoft');
    expect(authorize.searchParams.get('scope')).toBe(MICROSOFT_SCOPES);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    // Google's parameters are Google's: Microsoft gets no access_type and no forced consent.
    expect(authorize.searchParams.has('access_type')).toBe(false);
    expect(authorize.searchParams.has('prompt')).toBe(false);
    expect(final.status).toBe(302);
    const [doc] = await connectionsOf(betaUser);
    expect(doc).toMatchObject({ provider: 'microsoft', status: 'connected' });
    const stored = await tenantDatabaseText(betaUser);
    for (const secret of microsoft.issued) expect(stored).not.toContain(secret);
  });

  it('refuses a declined consent, a partial grant and a forged or missing state, storing nothing', async () => {
    const browser = await signUp('gamma', '192.0.2.13');
    const gamma = await userOf('gamma@gamma.example');

    google.nextConsent = { kind: 'deny' };
    const declined = await connect(browser, 'google');
    expect(declined.final.status).toBe(400);
    expect(await json(declined.final)).toMatchObject({ error: 'declined' });

    // Google's consent screen lets people untick scopes: free/busy alone is not enough.
    const revokedBefore = google.revocations.length;
    google.nextConsent = {
      kind: 'allow',
      grantScopes: ['https://www.googleapis.com/auth/calendar.freebusy'],
    };
    const partial = await connect(browser, 'google');
    expect(partial.final.status).toBe(400);
    const refusal = await json(partial.final);
    expect(refusal.error).toBe('missing-scopes');
    expect(refusal.message).toContain('https://www.googleapis.com/auth/calendar.events');
    // The grant Quorum will not keep is handed back rather than left behind.
    expect(google.revocations.length).toBe(revokedBefore + 1);

    await browser.request('/connect/google/start');
    const forged = await browser.request('/connect/google/callback?code=stolen&state=forged');
    expect(forged.status).toBe(400);
    expect((await json(forged)).error).toBe('grant-failed');
    const noCookie = await new Browser(app.url).request('/connect/google/callback?code=x&state=y');
    expect(noCookie.status).toBe(401);
    const stale = await browser.request('/connect/google/callback?code=x&state=y');
    expect((await json(stale)).error).toBe('connect_expired');

    expect(await connectionsOf(gamma)).toEqual([]);
    expect((await new Browser(app.url).request('/connect/google/start')).status).toBe(401);
    expect((await browser.request('/connect/yahoo/start')).status).toBe(404);
  });
});

describe('tokens', () => {
  it('refreshes an expired access token once, however many calls need it at the same time', async () => {
    const ctx = ctxOf(alphaUser);
    const Connections = await app.quorum.store.tenantModel(ctx, CalendarConnection);
    const [before] = await connectionsOf(alphaUser);
    // Within the 60 s margin counts as expired.
    await Connections.updateOne(
      { _id: before!._id },
      { $set: { expiresAt: new Date(Date.now() + 30_000) } },
    );
    const refreshes = google.refreshRequests();

    const calendars = await Promise.all(
      [1, 2, 3].map(() => connections.calendarFor(ctx, alphaUser)),
    );
    expect(calendars.map((c) => c.provider.kind)).toEqual(['google', 'google', 'google']);
    const answers = await Promise.all(
      calendars.flatMap((c) => [
        c.provider.freeBusy({ calendars: [c.calendarId], ...RANGE }),
        c.provider.freeBusy({ calendars: [c.calendarId], ...RANGE }),
      ]),
    );
    expect(google.refreshRequests()).toBe(refreshes + 1);
    for (const answer of answers) {
      expect(answer['alpha@alpha.example']).toEqual({
        ok: true,
        busy: [
          {
            start: Date.parse('2030-03-04T09:00:00Z'),
            end: Date.parse('2030-03-04T10:00:00Z'),
            status: 'busy',
          },
        ],
      });
    }
    // Only the refreshed token reached the Calendar API, and it is stored (sealed) for next time.
    const fresh = google.issued.at(-1)!;
    const used = new Set(calendarApi.requests.map((r) => r.authorization));
    expect(used.has(`Bearer ${fresh}`)).toBe(true);
    expect(used.has(`Bearer ${google.issued[0]}`)).toBe(false);
    const [after] = await connectionsOf(alphaUser);
    expect(after!.accessToken).not.toBe(before!.accessToken);
    expect(after!.refreshToken).toBe(before!.refreshToken); // Google keeps its refresh token
    expect(after!.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
    expect(after!.refreshedAt).toBeInstanceOf(Date);

    const source = connections.tokenSource(ctx, after!._id);
    expect(await source.accessToken()).toBe(fresh);
    expect(google.refreshRequests()).toBe(refreshes + 1);
  });

  it('refreshes once when the Calendar API refuses a token that has not expired', async () => {
    google.invalidateAccessTokens();
    const refreshes = google.refreshRequests();
    const calendar = await connections.calendarFor(ctxOf(alphaUser), alphaUser);
    const answer = await calendar.provider.freeBusy({ calendars: [calendar.calendarId], ...RANGE });
    expect(answer['alpha@alpha.example']?.ok).toBe(true);
    expect(google.refreshRequests()).toBe(refreshes + 1);
  });

  it('stores the new refresh token Microsoft hands out with each refresh', async () => {
    const ctx = ctxOf(betaUser);
    const [doc] = await connectionsOf(betaUser);
    const Connections = await app.quorum.store.tenantModel(ctx, CalendarConnection);
    await Connections.updateOne({ _id: doc!._id }, { $set: { expiresAt: new Date(0) } });
    const token = await connections.tokenSource(ctx, doc!._id).accessToken();
    expect(microsoft.validAccessTokens.has(token)).toBe(true);
    const [after] = await connectionsOf(betaUser);
    const refresh = await app.quorum.services.envelope.openToken(
      ctx,
      { collection: CONNECTIONS_COLLECTION, id: doc!._id, field: 'refreshToken' },
      after!.refreshToken!,
    );
    expect(refresh).toBe(microsoft.issued.at(-1));
    expect(refresh).not.toBe(microsoft.issued[1]);
  });

  it('marks a revoked grant as needing reconnection and reports GrantRevokedError, then reconnects', async () => {
    const ctx = ctxOf(alphaUser);
    google.revokeAllGrants(); // the person removed Quorum in their Google account
    const refreshes = google.refreshRequests();
    const calendar = await connections.calendarFor(ctx, alphaUser);
    await expect(
      calendar.provider.freeBusy({ calendars: [calendar.calendarId], ...RANGE }),
    ).rejects.toBeInstanceOf(GrantRevokedError);
    expect(google.refreshRequests()).toBe(refreshes + 1);

    const [doc] = await connectionsOf(alphaUser);
    expect(doc).toMatchObject({
      status: 'needs-reconnect',
      accessToken: null,
      refreshToken: null,
    });
    expect(doc!.problem).toMatch(/Connect the calendar again/);
    const listed = await json(alpha.request('/api/calendars'));
    expect(listed.connections[0]).toMatchObject({ status: 'needs-reconnect' });

    // A search now reports the calendar as unknown (never as free), without asking Google again.
    const again = await connections.calendarFor(ctx, alphaUser);
    const result = await gatherFreeBusy(
      [{ provider: again.provider, calendars: [again.calendarId] }],
      RANGE,
      { deadlineMs: 5000, onProviderError: connections.onProviderError },
    );
    expect(result['alpha@alpha.example']).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(google.refreshRequests()).toBe(refreshes + 1);
    await expect(connections.tokenSource(ctx, doc!._id).accessToken()).rejects.toBeInstanceOf(
      GrantRevokedError,
    );

    const { final } = await connect(alpha, 'google');
    expect(final.status).toBe(302);
    const [reconnected] = await connectionsOf(alphaUser);
    expect(reconnected).toMatchObject({ _id: doc!._id, status: 'connected', problem: null });
    const fresh = await connections.calendarFor(ctx, alphaUser);
    const answer = await fresh.provider.freeBusy({ calendars: [fresh.calendarId], ...RANGE });
    expect(answer['alpha@alpha.example']?.ok).toBe(true);
  });

  it('marks the connection when the Calendar API still refuses a freshly refreshed token', async () => {
    const ctx = ctxOf(alphaUser);
    // Every token is refused, even new ones: the grant lost its calendar permission.
    const live = google.validAccessTokens;
    calendarApi.acceptedTokens = new Set();
    try {
      const calendar = await connections.calendarFor(ctx, alphaUser);
      const result = await gatherFreeBusy(
        [{ provider: calendar.provider, calendars: [calendar.calendarId] }],
        RANGE,
        { deadlineMs: 5000, onProviderError: connections.onProviderError },
      );
      expect(result['alpha@alpha.example']).toMatchObject({ ok: false, reason: 'error' });
      await vi.waitFor(async () => {
        const [doc] = await connectionsOf(alphaUser);
        expect(doc!.status).toBe('needs-reconnect');
      });
      const [doc] = await connectionsOf(alphaUser);
      expect(doc!.problem).toContain('refused');
      expect(doc!.refreshToken).toBeNull();
    } finally {
      calendarApi.acceptedTokens = live;
    }
    const { final } = await connect(alpha, 'google');
    expect(final.status).toBe(302);
  });
});

describe('disconnecting', () => {
  it("gives tenant A 404 for tenant B's connection, which stays as it was", async () => {
    const [betaConnection] = await connectionsOf(betaUser);
    const res = await alpha.request(`/api/calendars/${betaConnection!._id}`, { method: 'DELETE' });
    expect(res.status).toBe(404);
    expect((await connectionsOf(betaUser))[0]).toEqual(betaConnection);
    expect(JSON.stringify(await json(alpha.request('/api/calendars')))).not.toContain(
      betaConnection!._id,
    );
  });

  it('revokes the grant at Google, then deletes the tokens', async () => {
    const [doc] = await connectionsOf(alphaUser);
    const refreshToken = await app.quorum.services.envelope.openToken(
      ctxOf(alphaUser),
      { collection: CONNECTIONS_COLLECTION, id: doc!._id, field: 'refreshToken' },
      doc!.refreshToken!,
    );
    const revocations = google.revocations.length;
    const res = await alpha.request(`/api/calendars/${doc!._id}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      disconnected: true,
      provider: 'google',
      revokedAtProvider: true,
      note: null,
    });
    expect(google.revocations.length).toBe(revocations + 1);
    const revoked = google.revocations.at(-1)!;
    expect(revoked.get('token')).toBe(refreshToken);
    expect(revoked.get('token_type_hint')).toBe('refresh_token');
    expect(await connectionsOf(alphaUser)).toEqual([]);
    // Revoked at Google: the refresh token is dead there too.
    const refreshAtGoogle = await fetch(`${google.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: google.clientId,
        client_secret: google.clientSecret,
      }),
    });
    expect(await json(refreshAtGoogle)).toMatchObject({ error: 'invalid_grant' });
    expect(await auditActions(alpha)).toContainEqual(
      expect.objectContaining({
        action: 'calendar.disconnected',
        details: expect.objectContaining({ provider: 'google', revokedAtProvider: true }),
      }),
    );
    expect((await alpha.request(`/api/calendars/${doc!._id}`, { method: 'DELETE' })).status).toBe(
      404,
    );
  });

  it('deletes Microsoft tokens and tells where to remove the consent, as Microsoft cannot revoke', async () => {
    const [doc] = await connectionsOf(betaUser);
    const res = await beta.request(`/api/calendars/${doc!._id}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ provider: 'microsoft', revokedAtProvider: false });
    expect(body.note).toContain('https://myapps.microsoft.com');
    expect(microsoft.revocations).toEqual([]);
    expect(await connectionsOf(betaUser)).toEqual([]);
    expect(await tenantDatabaseText(betaUser)).not.toContain(doc!.refreshToken!);
  });
});

describe('personal data', () => {
  it('exports connections without secrets and erases them with revocation', async () => {
    await connect(alpha, 'google');
    const exported = await json(alpha.request('/api/me/export'));
    expect(exported.calendarConnections).toEqual([
      expect.objectContaining({ provider: 'google', status: 'connected' }),
    ]);
    const text = JSON.stringify(exported);
    for (const secret of google.issued) expect(text).not.toContain(secret);

    const section = app.quorum.services.personalData.find((s) => s.name === 'calendarConnections')!;
    const ctx = verifiedTenantContext(alphaUser.tenantId, 'system');
    expect(await section.count(ctx, alphaUser)).toEqual({ calendarConnections: 1 });
    const revocations = google.revocations.length;
    expect(await section.erase(ctx, alphaUser)).toEqual({ calendarConnections: 1 });
    expect(google.revocations.length).toBe(revocations + 1);
    expect(await connectionsOf(alphaUser)).toEqual([]);
  });
});
