// Single sign-on against real OpenID providers running locally, shaped like Google and Microsoft.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../infra/local/embedded-db.ts';
import { IdentityLink, User } from '../../../core/identity/models.ts';
import { startTestIssuer, type TestIssuer } from '../../support/oidc-issuer.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

let app: TestQuorum;
let google: TestIssuer;
let microsoft: TestIssuer;

beforeAll(async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  google = await startTestIssuer({
    flavour: 'google',
    redirectUris: [`${base}/auth/sso/google/callback`],
  });
  microsoft = await startTestIssuer({
    flavour: 'microsoft',
    redirectUris: [`${base}/auth/sso/microsoft/callback`],
  });
  app = await startTestQuorum({
    PORT: String(port),
    QUORUM_BASE_URL: base,
    GOOGLE_CLIENT_ID: google.clientId,
    GOOGLE_CLIENT_SECRET: google.clientSecret,
    GOOGLE_ISSUER: google.issuer,
    MICROSOFT_CLIENT_ID: microsoft.clientId,
    MICROSOFT_CLIENT_SECRET: microsoft.clientSecret,
    MICROSOFT_ISSUER: microsoft.issuer,
  });
});
afterAll(async () => {
  await app?.stop();
  await google?.stop();
  await microsoft?.stop();
});

/** Walks the redirects a browser would follow from "Sign in with X" back to Quorum. */
async function signInWith(
  provider: 'google' | 'microsoft',
  returnTo = '/',
): Promise<{ browser: Browser; final: Response }> {
  const browser = new Browser(app.url);
  const issuerJar = new Browser('');
  let res = await browser.request(
    `/auth/sso/${provider}/start?returnTo=${encodeURIComponent(returnTo)}`,
  );
  expect(res.status).toBe(302);
  let location = res.headers.get('location')!;
  const authorize = new URL(location);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('state')).toBeTruthy();
  expect(authorize.searchParams.get('nonce')).toBeTruthy();
  expect(authorize.searchParams.get('scope')).toBe('openid email profile');
  // Through the provider until it redirects back to Quorum.
  for (let hops = 0; hops < 10 && !location.startsWith(app.url); hops++) {
    res = await issuerJar.request(location);
    location = new URL(res.headers.get('location')!, location).href;
  }
  expect(location.startsWith(`${app.url}/auth/sso/${provider}/callback`)).toBe(true);
  const final = await browser.request(location);
  return { browser, final };
}

describe('single sign-on', () => {
  it('signs in with a Google-like provider: the first person becomes the administrator', async () => {
    google.signInAs({
      sub: 'g-1001',
      email: 'Grace@Hopper.example',
      name: 'Grace',
      hd: 'hopper.example',
    });
    const { browser, final } = await signInWith('google', '/meetings');
    expect(final.status).toBe(302);
    expect(final.headers.get('location')).toBe('/meetings');
    const me = await await json(browser.request('/api/me'));
    expect(me).toMatchObject({ email: 'grace@hopper.example', role: 'admin' });
    const link = await app.quorum.store
      .controlModel(IdentityLink)
      .findOne({ subject: 'g-1001' })
      .lean();
    expect(link?.issuer).toBe(google.issuer);
  });

  it('maps a colleague from the same Google domain into the same organization as a member', async () => {
    google.signInAs({
      sub: 'g-1002',
      email: 'alan@hopper.example',
      name: 'Alan',
      hd: 'hopper.example',
    });
    const { browser } = await signInWith('google');
    const me = await await json(browser.request('/api/me'));
    const grace = await app.quorum.store
      .controlModel(User)
      .findOne({ email: 'grace@hopper.example' })
      .lean();
    expect(me).toMatchObject({
      email: 'alan@hopper.example',
      role: 'member',
      tenantId: grace!.tenantId,
    });
  });

  it('refuses an unverified Google email and a person from an unknown organization', async () => {
    google.signInAs({
      sub: 'g-2001',
      email: 'eve@hopper.example',
      name: 'Eve',
      emailVerified: false,
    });
    const unverified = await signInWith('google');
    expect(unverified.final.status).toBe(403);
    expect((await json(unverified.final)).error).toBe('no-email');

    microsoft.signInAs({
      sub: 'm-9',
      email: 'someone@elsewhere.example',
      name: 'Someone',
      tid: 'tid-elsewhere',
    });
    const unknown = await signInWith('microsoft');
    expect(unknown.final.status).toBe(403);
    expect((await json(unknown.final)).error).toBe('unknown-organization');
    expect(
      await app.quorum.store
        .controlModel(User)
        .countDocuments({ email: 'someone@elsewhere.example' }),
    ).toBe(0);
  });

  it('signs in with a Microsoft-like provider an account that already exists, linking it', async () => {
    microsoft.signInAs({
      sub: 'm-1',
      email: 'grace@hopper.example',
      name: 'Grace H',
      tid: 'tid-hopper',
    });
    const { browser, final } = await signInWith('microsoft');
    expect(final.status).toBe(302);
    expect((await await json(browser.request('/api/me'))).email).toBe('grace@hopper.example');
    expect(
      await app.quorum.store
        .controlModel(IdentityLink)
        .countDocuments({ subject: 'm-1', issuer: microsoft.issuer }),
    ).toBe(1);
  });

  it('rejects a callback whose state does not match the one Quorum issued', async () => {
    google.signInAs({ sub: 'g-1001', email: 'grace@hopper.example', name: 'Grace' });
    const browser = new Browser(app.url);
    await browser.request('/auth/sso/google/start');
    const forged = await browser.request(
      '/auth/sso/google/callback?code=stolen-code&state=attacker-state',
    );
    expect(forged.status).toBe(401);
    expect(forged.headers.getSetCookie().some((c) => c.startsWith('quorum_session='))).toBe(false);
  });

  it('rejects a callback with no sign-in in progress, and never redirects off-site', async () => {
    const res = await new Browser(app.url).request('/auth/sso/google/callback?code=x&state=y');
    expect(res.status).toBe(400);
    google.signInAs({ sub: 'g-1001', email: 'grace@hopper.example', name: 'Grace' });
    const { final } = await signInWith('google', '//evil.example/steal');
    expect(final.headers.get('location')).toBe('/');
  });
});
