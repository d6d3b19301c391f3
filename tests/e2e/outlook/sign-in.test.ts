// Signing the Outlook pane in: Office SSO (the access token Office hands the add-in, checked by
// Quorum against the Microsoft-shaped issuer's published keys) and the dialog fallback (Quorum's
// Microsoft sign-in in a popup that hands the pane a session token). The issuer is a real OpenID
// Provider on loopback (tests/support/oidc-issuer.ts) whose signing key this test also holds, to
// sign access tokens the way the Microsoft identity platform does for Office SSO.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import type { Browser as Chromium } from 'playwright-core';
import { freePort } from '../../../infra/local/embedded-db.ts';
import { launchChromium } from '../../support/chromium.ts';
import { startTestIssuer, type TestIssuer } from '../../support/oidc-issuer.ts';
import { officeStandInScript, type StandInConfig } from '../../support/office-stand-in.ts';
import { json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { organization } from '../../integration/meetings/people.ts';

let app: TestQuorum;
let issuer: TestIssuer;
let chromium: Chromium;
let privateKey: CryptoKey;
const KID = 'office-sso-test-key';
const ANA = { sub: 'ms-ana-sub', email: 'ana@acme.example', name: 'Ana Lopez', tid: 'acme-tid' };

beforeAll(async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.privateKey)), kid: KID, alg: 'RS256', use: 'sig' };
  issuer = await startTestIssuer({
    flavour: 'microsoft',
    redirectUris: [`${base}/auth/sso/microsoft/callback`],
    jwks: { keys: [jwk] },
  });
  issuer.signInAs(ANA);
  app = await startTestQuorum({
    PORT: String(port),
    QUORUM_BASE_URL: base,
    MICROSOFT_CLIENT_ID: issuer.clientId,
    MICROSOFT_CLIENT_SECRET: issuer.clientSecret,
    MICROSOFT_ISSUER: issuer.issuer,
  });
  // Ana's account exists (password); Microsoft sign-in links to it by her verified email.
  const org = await organization(app, 'Acme', { name: ANA.name, email: ANA.email });
  const settings = await org.admin.request('/api/me/settings', {
    method: 'PUT',
    json: {
      timeZone: 'UTC',
      workingHours: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' },
      ],
      defaultLinkType: 'none',
    },
  });
  expect(settings.status).toBe(200);
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await app?.stop();
  await issuer?.stop();
});

/** An access token as the Microsoft identity platform issues it to an add-in (v2). */
function officeToken(
  claims: { aud?: string; iss?: string; exp?: number; sub?: string } = {},
  key: CryptoKey = privateKey,
): Promise<string> {
  const jwt = new SignJWT({
    tid: ANA.tid,
    preferred_username: ANA.email,
    name: ANA.name,
    scp: 'access_as_user',
    ver: '2.0',
  })
    .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
    .setIssuer(claims.iss ?? issuer.issuer)
    .setAudience(claims.aud ?? issuer.clientId)
    .setSubject(claims.sub ?? ANA.sub)
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 3600);
  return jwt.sign(key);
}

const sso = (token: string) =>
  fetch(`${app.url}/outlook/auth/sso`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });

describe('Office SSO', () => {
  it("turns Office's Microsoft token into a Quorum session token the pane sends as a bearer", async () => {
    const res = await sso(await officeToken());
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await json(res);
    expect(body.user).toMatchObject({ email: ANA.email, name: ANA.name });
    const me = await json(
      fetch(`${app.url}/api/me`, { headers: { authorization: `Bearer ${body.token}` } }),
    );
    expect(me.email).toBe(ANA.email);
    // The api://host/client-id audience form is accepted too.
    const api = await sso(
      await officeToken({ aud: `api://quorum.example.com/${issuer.clientId}` }),
    );
    expect(api.status).toBe(200);
  });

  it('refuses tokens for another app, from another issuer, expired, or signed with another key', async () => {
    const other = await generateKeyPair('RS256');
    const refused = [
      await officeToken({ aud: 'someone-elses-app' }),
      await officeToken({ aud: `api://quorum.example.com/someone-elses-app` }),
      await officeToken({ iss: 'https://login.example.net/other/v2.0' }),
      await officeToken({ exp: Math.floor(Date.now() / 1000) - 600 }),
      await officeToken({}, other.privateKey),
    ];
    for (const token of refused) {
      const res = await sso(token);
      expect(res.status).toBe(401);
      expect((await json(res)).message).toMatch(/could not be verified/);
      expect(app.logs()).not.toContain(token);
    }
    const bad = await fetch(`${app.url}/api/me`, { headers: { authorization: 'Bearer nonsense' } });
    expect(bad.status).toBe(401);
    expect((await json(bad)).error).toBe('sign_in_required');
    expect((await sso('short')).status).toBe(400);
  });
});

function paneConfig(accessToken?: string): StandInConfig {
  const start = new Date(Date.now() + 86_400_000);
  start.setUTCHours(9, 0, 0, 0);
  return {
    mode: 'appointment-compose',
    mailboxVersion: '1.13',
    timeZone: 'UTC',
    user: { emailAddress: ANA.email, displayName: ANA.name },
    ...(accessToken ? { accessToken } : {}),
    item: {
      subject: 'Intro',
      required: [{ emailAddress: 'mia@partner.example', displayName: 'Mia' }],
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 60_000).toISOString(),
      body: '',
      bodyType: 'html',
    },
  };
}

describe('the dialog and the opener policy', () => {
  it('lets the sign-in dialog keep its link to Outlook, and no other page', async () => {
    const coop = async (path: string) =>
      (await fetch(`${app.url}${path}`, { redirect: 'manual' })).headers.get(
        'cross-origin-opener-policy',
      );
    expect(await coop('/auth/sso/microsoft/start?returnTo=%2Foutlook%2Fauth-done')).toBe(
      'unsafe-none',
    );
    expect(await coop('/outlook/auth-done')).toBe('unsafe-none');
    expect(await coop('/outlook/taskpane')).toBe('same-origin-allow-popups');
    expect(await coop('/app')).toBe('same-origin');
  });
});

describe('the pane without cookies, as in an Outlook frame', () => {
  it('signs in with Office SSO and calls Quorum with the bearer token', async () => {
    const context = await chromium.newContext();
    const config = paneConfig(await officeToken());
    await context.route('**/outlook/office-js/office.js', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: officeStandInScript(config) }),
    );
    const page = await context.newPage();
    const auth: Array<string | undefined> = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/scheduling/find')) auth.push(r.headers().authorization);
    });
    await page.goto(`${app.url}/outlook/taskpane`);
    await page.locator('[data-slot-start]').first().waitFor();
    expect(auth[0]).toMatch(/^Bearer ey/);
    expect((await context.cookies()).some((c) => c.name === 'quorum_session')).toBe(false);
    await context.close();
  });

  it('falls back to the sign-in dialog when SSO is unavailable', async () => {
    const context = await chromium.newContext();
    const config = paneConfig();
    await context.route('**/outlook/office-js/office.js', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: officeStandInScript(config) }),
    );
    const page = await context.newPage();
    await page.goto(`${app.url}/outlook/taskpane`);
    const popup = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const dialog = await popup;
    // Through Quorum's Microsoft sign-in and back to the page that hands over the token.
    await page.locator('[data-slot-start]').first().waitFor();
    // The pane closed the dialog: its link to the window that opened it survived sign-in.
    expect(dialog.isClosed()).toBe(true);
    const opened = await page.evaluate(
      () =>
        (globalThis as unknown as { __office: { record: { dialogs: string[] } } }).__office.record
          .dialogs,
    );
    expect(opened).toEqual([
      `${app.url}/auth/sso/microsoft/start?returnTo=${encodeURIComponent('/outlook/auth-done')}`,
    ]);
    await context.close();
  });
});
