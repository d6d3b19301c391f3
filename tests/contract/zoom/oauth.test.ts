// Linking Zoom users, against the fake Zoom OAuth server: the app context decides who asks,
// in-client OAuth with PKCE links them, tokens are stored sealed and refreshed, a browser can
// link while signed in, and a user who removes the app loses the link.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sealAppContext } from '../../support/fake-zoom.ts';
import { json } from '../../support/quorum-app.ts';
import { ANA_ZOOM, zoomOrg, type ZoomOrg } from '../../e2e/zoom/zoom-org.ts';

let org: ZoomOrg;
const MEI = {
  id: 'MeiZoomUser000000000001',
  accountId: ANA_ZOOM.accountId,
  email: 'mei@acme.example',
  displayName: 'Mei Chen',
};
const RAJ = {
  id: 'RajZoomUser000000000001',
  accountId: ANA_ZOOM.accountId,
  email: 'raj@acme.example',
  displayName: 'Raj Patel',
};

beforeAll(async () => {
  org = await zoomOrg();
  org.zoom.users.set(MEI.id, MEI);
  org.zoom.users.set(RAJ.id, RAJ);
});
afterAll(async () => {
  await org?.stop();
});

function contextFor(uid: string, secret = org.zoom.clientSecret) {
  const now = Date.now();
  return sealAppContext({ typ: 'panel', uid, ts: now, exp: now + 600_000 }, secret);
}

function session(context: string) {
  return fetch(`${org.app.url}/zoom/api/session`, {
    method: 'POST',
    headers: { 'x-zoom-app-context': context },
  });
}

function complete(context: string, code: string, state: string) {
  return fetch(`${org.app.url}/zoom/oauth/callback`, {
    method: 'POST',
    headers: { 'x-zoom-app-context': context, 'content-type': 'application/json' },
    body: JSON.stringify({ code, state }),
  });
}

async function authorizeFor(uid: string) {
  const res = await session(contextFor(uid));
  expect(res.status).toBe(401);
  const body = await json(res);
  expect(body.error).toBe('zoom_not_linked');
  return body.authorize as { codeChallenge: string; state: string };
}

const redirect = () => `${org.app.url}/zoom/oauth/callback`;

test('a context not sealed for this app, or none, is refused', async () => {
  const forged = await session(contextFor(RAJ.id, 'some-other-apps-client-secret'));
  expect(forged.status).toBe(401);
  expect((await json(forged)).error).toBe('invalid_app_context');
  const none = await fetch(`${org.app.url}/zoom/api/session`, { method: 'POST' });
  expect(none.status).toBe(401);
});

test('in-client OAuth with PKCE links the Zoom user and opens a one-hour panel session', async () => {
  const { codeChallenge, state } = await authorizeFor(RAJ.id);
  expect(codeChallenge).toMatch(/^[\w-]{43}$/);
  const code = org.zoom.consent(RAJ.id, codeChallenge, redirect());
  const res = await complete(contextFor(RAJ.id), code, state);
  expect(res.status).toBe(200);
  expect(await json(res)).toMatchObject({ user: { email: 'raj@acme.example' } });
  const request = org.zoom.tokenRequests.at(-1)!;
  expect(request.get('grant_type')).toBe('authorization_code');
  expect(createHash('sha256').update(request.get('code_verifier')!).digest('base64url')).toBe(
    codeChallenge,
  );
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('quorum_session='))!;
  const expires = Date.parse(/Expires=([^;]+)/i.exec(cookie)![1]!);
  expect(expires - Date.now()).toBeLessThanOrEqual(3_600_000);
  expect(expires - Date.now()).toBeGreaterThan(3_000_000);
  const me = await fetch(`${org.app.url}/api/me`, { headers: { cookie: cookie.split(';')[0]! } });
  expect((await json(me)).email).toBe('raj@acme.example');
  // Next time the panel opens, Raj is known at once.
  const again = await session(contextFor(RAJ.id));
  expect(again.status).toBe(200);
  // The state was used once.
  expect((await complete(contextFor(RAJ.id), code, state)).status).toBe(400);
  // The link and the panel sign-in are in the organization's audit log.
  const { entries } = await json(org.ana.request('/api/audit?limit=50'));
  const mine = entries.filter(
    (e: { actor: string; action: string }) =>
      e.action === 'account.linked' || e.action === 'sign-in.succeeded',
  );
  expect(
    mine.some(
      (e: { action: string; details: { platform?: string } }) =>
        e.action === 'account.linked' && e.details.platform === 'zoom',
    ),
  ).toBe(true);
  expect(
    mine.some((e: { details: { method?: string } }) => e.details.method === 'zoom-app-context'),
  ).toBe(true);
  // Tokens are stored sealed, never as issued.
  const raw = await org.app.quorum.store.control
    .collection('zoom_user_links')
    .findOne({ _id: RAJ.id as never });
  expect(JSON.stringify(raw)).not.toMatch(/zat_|zrt_/);
});

test('a state started for one Zoom user does not complete for another', async () => {
  const { codeChallenge, state } = await authorizeFor(MEI.id);
  const code = org.zoom.consent(MEI.id, codeChallenge, redirect());
  const res = await complete(contextFor(ANA_ZOOM.id), code, state);
  expect(res.status).toBe(400);
  expect((await json(res)).error).toBe('authorization_expired');
});

test('a Zoom user with no Quorum account of that email is told so', async () => {
  const { codeChallenge, state } = await authorizeFor(MEI.id);
  const code = org.zoom.consent(MEI.id, codeChallenge, redirect());
  const res = await complete(contextFor(MEI.id), code, state);
  expect(res.status).toBe(403);
  const body = await json(res);
  expect(body.error).toBe('no_such_person');
  expect(body.message).toContain('mei@acme.example');
});

test('a browser signed in to Quorum links Zoom too, and expired tokens are refreshed for Zoom links', async () => {
  org.zoom.accessTokenLifetimeSeconds = 30; // inside the refresh margin: every use refreshes
  const away = await fetch(`${org.app.url}/zoom/connect`, { redirect: 'manual' });
  expect(away.status).toBe(302);
  expect(away.headers.get('location')).toMatch(/^\/app/);
  const start = await org.ana.request('/zoom/connect');
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  expect(authorize.origin + authorize.pathname).toBe(`${org.zoom.url}/oauth/authorize`);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('client_id')).toBe(org.zoom.clientId);
  const code = org.zoom.consent(
    ANA_ZOOM.id,
    authorize.searchParams.get('code_challenge')!,
    authorize.searchParams.get('redirect_uri')!,
  );
  const done = await org.ana.request(
    `/zoom/oauth/callback?code=${code}&state=${authorize.searchParams.get('state')}`,
  );
  expect(done.status).toBe(200);
  expect(await done.text()).toContain('Zoom is linked');

  const before = org.zoom.tokenRequests.length;
  const start2 = new Date(Date.now() + 3 * 86_400_000);
  start2.setUTCHours(11, 0, 0, 0);
  const booked = await org.ana.request('/api/bookings', {
    method: 'POST',
    json: {
      title: 'Roadmap',
      start: start2.toISOString(),
      end: new Date(start2.getTime() + 1_800_000).toISOString(),
      attendees: [],
      linkType: 'zoom',
    },
  });
  expect(booked.status).toBe(201);
  expect((await json(booked)).booking.joinUrl).toBe(org.zoom.meetings.at(-1)!.joinUrl);
  expect(org.zoom.tokenRequests.slice(before).map((r) => r.get('grant_type'))).toEqual([
    'refresh_token',
  ]);
  org.zoom.accessTokenLifetimeSeconds = 3600;
});

test('without a Zoom grant, a Zoom link is refused with what to do', async () => {
  const raj = await fetch(`${org.app.url}/zoom/api/session`, {
    method: 'POST',
    headers: { 'x-zoom-app-context': contextFor(RAJ.id) },
  });
  const cookie = raj.headers.getSetCookie()[0]!.split(';')[0]!;
  const removed = await org.webhook({
    event: 'app_deauthorized',
    event_ts: Date.now(),
    payload: {
      account_id: RAJ.accountId,
      user_id: RAJ.id,
      signature: 'x',
      deauthorization_time: new Date().toISOString(),
      client_id: org.zoom.clientId,
    },
  });
  expect(removed.status).toBe(200);
  await org.app.quorum.services.zoom!.idle();
  expect((await session(contextFor(RAJ.id))).status).toBe(401);
  const start = new Date(Date.now() + 4 * 86_400_000);
  start.setUTCHours(12, 0, 0, 0);
  const res = await fetch(`${org.app.url}/api/bookings`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', origin: org.app.url },
    body: JSON.stringify({
      title: 'Sync',
      start: start.toISOString(),
      end: new Date(start.getTime() + 1_800_000).toISOString(),
      attendees: [],
      linkType: 'zoom',
    }),
  });
  expect(res.status).toBe(400);
  expect((await json(res)).message).toContain('Zoom is not connected');
  // A follow-up of a booking the person cannot see is refused.
  const unseen = await fetch(`${org.app.url}/api/bookings`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', origin: org.app.url },
    body: JSON.stringify({
      title: 'Sync',
      start: start.toISOString(),
      end: new Date(start.getTime() + 1_800_000).toISOString(),
      attendees: [],
      linkType: 'none',
      followUpOf: 'a-booking-raj-cannot-see',
    }),
  });
  expect(unseen.status).toBe(404);
});
