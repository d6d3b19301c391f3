// Local accounts, sessions and the sign-in rate limit, through the real server and database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { User } from '../../../core/identity/models.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

let app: TestQuorum;
const admin = {
  organization: 'Acme',
  name: 'Ana Admin',
  email: 'ana@acme.example',
  password: 'plum-orbit-canvas-97',
};

beforeAll(async () => {
  app = await startTestQuorum();
});
afterAll(async () => {
  await app?.stop();
});

describe('first account and sign-in', () => {
  it('offers to create the first account on a fresh install, and refuses weak passwords', async () => {
    const browser = new Browser(app.url);
    const state = await await json(browser.request('/auth/state'));
    expect(state).toMatchObject({ freshInstall: true, signupOpen: true, user: null });

    for (const weak of ['short', 'password123', 'qwertyuiop1']) {
      const res = await browser.request('/auth/signup', {
        method: 'POST',
        json: { ...admin, password: weak },
      });
      expect(res.status).toBe(400);
      const body = await json(res);
      expect(body.error).toBe('weak-password');
      expect(body.message).toMatch(/at least 10 characters|harder password/);
    }
    expect(await app.quorum.store.controlModel(User).countDocuments()).toBe(0);
  });

  it('makes the first account the administrator, with a safe session cookie', async () => {
    const browser = new Browser(app.url);
    const res = await browser.request('/auth/signup', { method: 'POST', json: admin });
    expect(res.status).toBe(201);
    expect((await json(res)).user).toMatchObject({ email: admin.email, role: 'admin' });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('quorum_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // plain http on loopback; https base URLs add it
    const expires = Date.parse(/Expires=([^;]+)/i.exec(cookie)![1]!);
    expect(expires - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);

    const me = await browser.request('/api/me');
    expect(me.status).toBe(200);
    expect(await json(me)).toMatchObject({ email: admin.email, role: 'admin' });

    const stored = await app.quorum.store.controlModel(User).findOne({ email: admin.email }).lean();
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(stored)).not.toContain(admin.password);
  });

  it('closes sign-up once an administrator exists', async () => {
    const res = await new Browser(app.url).request('/auth/signup', {
      method: 'POST',
      json: { ...admin, email: 'mallory@evil.example' },
    });
    expect(res.status).toBe(403);
    expect((await json(res)).error).toBe('signup-closed');
    // The sign-in page reads this to stop offering the form that was just refused.
    const state = await json(new Browser(app.url).request('/auth/state'));
    expect(state).toMatchObject({ freshInstall: false, signupOpen: false });
  });

  it('signs in, and sign-out really ends the session on the server', async () => {
    const browser = new Browser(app.url);
    const signIn = await browser.request('/auth/signin', {
      method: 'POST',
      json: { email: admin.email, password: admin.password },
      headers: { 'x-forwarded-for': '198.51.100.7' },
    });
    expect(signIn.status).toBe(200);
    const stolen = browser.cookieHeader();
    expect((await browser.request('/auth/signout', { method: 'POST' })).status).toBe(200);
    // Replaying the old cookie after sign-out must not work.
    const replay = await fetch(`${app.url}/api/me`, { headers: { cookie: stolen } });
    expect(replay.status).toBe(401);
  });

  it('"sign out everywhere" ends every session of the person', async () => {
    const laptop = new Browser(app.url);
    const phone = new Browser(app.url);
    for (const b of [laptop, phone]) {
      const res = await b.request('/auth/signin', {
        method: 'POST',
        json: { email: admin.email, password: admin.password },
        headers: { 'x-forwarded-for': '198.51.100.8' },
      });
      expect(res.status).toBe(200);
    }
    const out = await laptop.request('/auth/signout-everywhere', { method: 'POST' });
    expect((await json(out)).sessions).toBeGreaterThanOrEqual(2);
    expect((await phone.request('/api/me')).status).toBe(401);
    expect((await laptop.request('/api/me')).status).toBe(401);
  });

  it('says the same for an unknown email and a wrong password', async () => {
    const browser = new Browser(app.url);
    const headers = { 'x-forwarded-for': '198.51.100.9' };
    const unknown = await browser.request('/auth/signin', {
      method: 'POST',
      headers,
      json: { email: 'nobody@acme.example', password: 'whatever-it-is-1' },
    });
    const wrong = await browser.request('/auth/signin', {
      method: 'POST',
      headers,
      json: { email: admin.email, password: 'not-the-password-1' },
    });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect((await json(unknown)).message).toBe((await json(wrong)).message);
  });

  it('limits sign-in attempts per IP: the 11th in 5 minutes gets 429 with Retry-After', async () => {
    const browser = new Browser(app.url);
    // Guesses at other emails: the per-account limit (tests/integration/http/sign-in-limits.test.ts)
    // must not be what blocks here, nor lock the administrator out of the next test.
    const attempt = (ip: string, email = 'guess@acme.example') =>
      browser.request('/auth/signin', {
        method: 'POST',
        headers: { 'x-forwarded-for': ip },
        json: { email, password: 'wrong-password-guess' },
      });
    for (let i = 1; i <= 10; i++) expect((await attempt('203.0.113.50')).status).toBe(401);
    const blocked = await attempt('203.0.113.50');
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(250);
    expect(retryAfter).toBeLessThanOrEqual(300);
    // Even the right password is refused while the address is blocked…
    const right = await browser.request('/auth/signin', {
      method: 'POST',
      headers: { 'x-forwarded-for': '203.0.113.50' },
      json: { email: admin.email, password: admin.password },
    });
    expect(right.status).toBe(429);
    // …while another address is unaffected.
    expect((await attempt('203.0.113.51', 'other@acme.example')).status).toBe(401);
  });

  it('records sign-in success and failure (with reason) and sign-out in an intact audit chain', async () => {
    const browser = new Browser(app.url);
    await browser.request('/auth/signin', {
      method: 'POST',
      headers: { 'x-forwarded-for': '198.51.100.10' },
      json: { email: admin.email, password: admin.password },
    });
    const res = await browser.request('/api/audit?limit=500');
    expect(res.status).toBe(200);
    const { verification, entries } = await json(res);
    expect(verification).toMatchObject({ intact: true });
    const actions = entries.map((e: { action: string }) => e.action);
    expect(actions).toContain('sign-in.succeeded');
    expect(actions).toContain('sign-out');
    const failure = entries.find((e: { action: string }) => e.action === 'sign-in.failed');
    expect(failure.details.reason).toBe('wrong-password');
    expect(failure.ip).toBeTruthy();
    expect(JSON.stringify(entries)).not.toContain(admin.password);
  });

  it('answers malformed input with a clear 400, never a stack trace', async () => {
    const bad = await fetch(`${app.url}/auth/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.11' },
      body: '{"email":',
    });
    expect(bad.status).toBe(400);
    const body = await json(bad);
    expect(body.message).toMatch(/valid JSON/);
    expect(body.requestId).toBeTruthy();
    const invalid = await new Browser(app.url).request('/auth/signin', {
      method: 'POST',
      headers: { 'x-forwarded-for': '198.51.100.11' },
      json: { email: 'not-an-email', password: 'x' },
    });
    expect(invalid.status).toBe(400);
    expect((await json(invalid)).message).toMatch(/^email:/);
  });
});
