// Login CSRF: another site cannot sign a visitor in (or up, or out) through their browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

let app: TestQuorum;
const admin = {
  organization: 'Acme',
  name: 'Ana Admin',
  email: 'ana@csrf.example',
  password: 'plum-orbit-canvas-97',
};

beforeAll(async () => {
  app = await startTestQuorum();
  const first = await new Browser(app.url).request('/auth/signup', {
    method: 'POST',
    headers: { origin: app.url },
    json: admin,
  });
  expect(first.status).toBe(201);
});
afterAll(async () => {
  await app?.stop();
});

const credentials = { email: admin.email, password: admin.password };

describe('sign-in from another site', () => {
  it('is refused when the request names another origin, and sets no cookie', async () => {
    const browser = new Browser(app.url);
    const res = await browser.request('/auth/signin', {
      method: 'POST',
      headers: { origin: 'http://evil.example' },
      json: credentials,
    });
    expect(res.status).toBe(403);
    expect((await json(res)).error).toBe('cross_origin');
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('is refused without Origin when the browser says the request is cross-site', async () => {
    const browser = new Browser(app.url);
    const res = await browser.request('/auth/signin', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site' },
      json: credentials,
    });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('refuses sign-up and sign-out from another origin too', async () => {
    const signup = await new Browser(app.url).request('/auth/signup', {
      method: 'POST',
      headers: { origin: 'http://evil.example' },
      json: { ...admin, email: 'eve@csrf.example' },
    });
    expect(signup.status).toBe(403);

    const browser = new Browser(app.url);
    const signin = await browser.request('/auth/signin', {
      method: 'POST',
      headers: { origin: app.url },
      json: credentials,
    });
    expect(signin.status).toBe(200);
    const signout = await browser.request('/auth/signout', {
      method: 'POST',
      headers: { origin: 'http://evil.example' },
    });
    expect(signout.status).toBe(403);
    expect((await browser.request('/api/me')).status).toBe(200);
  });

  it('still signs in from Quorum’s own pages and from clients that send no browser headers', async () => {
    const own = await new Browser(app.url).request('/auth/signin', {
      method: 'POST',
      headers: { origin: app.url, 'sec-fetch-site': 'same-origin' },
      json: credentials,
    });
    expect(own.status).toBe(200);
    const plain = await new Browser(app.url).request('/auth/signin', {
      method: 'POST',
      json: credentials,
    });
    expect(plain.status).toBe(200);
  });
});
