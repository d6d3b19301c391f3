// API keys, tenant isolation, security headers and personal-data rights, with two tenants on one
// deployment (open sign-up, as a hosted service runs it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey, User } from '../../../core/identity/models.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { ERASE_DELETED_ACCOUNTS } from '../../../core/identity/account-erasure.ts';
import { verifyDeletionCertificate } from '../../../core/privacy/deletion-certificate.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

let app: TestQuorum;
let alpha: Browser;
let beta: Browser;

async function signUp(browser: Browser, who: string, ip: string) {
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
}

/** The job's one-time runs have finished: Agenda removes each when it completes. */
async function oneTimeRunsDone(name: string): Promise<void> {
  const jobs = app.quorum.store.control.db!.collection('jobs');
  const deadline = Date.now() + 15_000;
  while ((await jobs.countDocuments({ name, repeatInterval: null })) > 0) {
    if (Date.now() > deadline) throw new Error(`${name} is still waiting or running`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  app = await startTestQuorum({ QUORUM_OPEN_SIGNUP: 'true' });
  alpha = new Browser(app.url);
  beta = new Browser(app.url);
  await signUp(alpha, 'alpha', '192.0.2.1');
  await signUp(beta, 'beta', '192.0.2.2');
});
afterAll(async () => {
  await app?.stop();
});

describe('API keys', () => {
  it('shows a key once, stores only its digest, and lets it act within its permissions', async () => {
    const created = await alpha.request('/api/admin/api-keys', {
      method: 'POST',
      json: { name: 'reporting', permissions: ['audit:read'] },
    });
    expect(created.status).toBe(201);
    const { id, key } = await json(created);
    expect(key).toMatch(/^qrm_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);

    const raw = await app.quorum.store.control.collection('api_keys').findOne({ _id: id });
    // The secret is everything after `qrm_<id>_`; it may itself contain `_`.
    const secret = key.slice('qrm_'.length + 12 + 1);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(raw)).not.toContain(secret);
    expect(raw!.digest).toMatch(/^[0-9a-f]{64}$/);
    const listed = await await json(alpha.request('/api/admin/api-keys'));
    expect(JSON.stringify(listed)).not.toContain('digest');

    const audit = await fetch(`${app.url}/api/audit`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(audit.status).toBe(200);
    expect((await json(audit)).verification.intact).toBe(true);
    // Not a session: person-only routes refuse it.
    expect(
      (await fetch(`${app.url}/api/me`, { headers: { authorization: `Bearer ${key}` } })).status,
    ).toBe(401);

    const tampered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect(
      (await fetch(`${app.url}/api/audit`, { headers: { authorization: `Bearer ${tampered}` } }))
        .status,
    ).toBe(401);

    expect((await alpha.request(`/api/admin/api-keys/${id}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    expect(
      (await fetch(`${app.url}/api/audit`, { headers: { authorization: `Bearer ${key}` } })).status,
    ).toBe(401);
    const actions = (await await json(alpha.request('/api/audit'))).entries.map(
      (e: { action: string }) => e.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['api-key.created', 'api-key.revoked']));
  });

  it('refuses a key without the needed permission', async () => {
    const { key } = await json(
      alpha.request('/api/admin/api-keys', {
        method: 'POST',
        json: { name: 'bookings only', permissions: ['bookings:read'] },
      }),
    );
    const res = await fetch(`${app.url}/api/audit`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(403);
    expect((await json(res)).message).toContain('audit:read');
  });
});

describe('tenant isolation', () => {
  it("gives tenant A 404 — not 403, not data — for every route that takes tenant B's id", async () => {
    const { id: betaKeyId } = await json(
      beta.request('/api/admin/api-keys', {
        method: 'POST',
        json: { name: 'beta', permissions: ['audit:read'] },
      }),
    );
    // Tenant B's things: a booking, a poll, a calendar connection, a certificate.
    const booking = await json(
      beta.request('/api/bookings', {
        method: 'POST',
        json: {
          title: 'Beta only',
          start: '2027-01-12T10:00:00Z',
          end: '2027-01-12T10:30:00Z',
          attendees: [],
        },
      }),
    );
    expect(booking.booking?._id).toBeTruthy();
    const poll = await json(
      beta.request('/api/polls', {
        method: 'POST',
        json: {
          title: 'Beta poll',
          options: [
            { start: '2027-01-13T10:00:00Z', end: '2027-01-13T10:30:00Z' },
            { start: '2027-01-14T10:00:00Z', end: '2027-01-14T10:30:00Z' },
          ],
          participants: [{ email: 'guest@outside.example' }],
        },
      }),
    );
    const betaUser = (await app.quorum.store
      .controlModel(User)
      .findOne({ email: 'beta@beta.example' })
      .lean())!;
    const betaCtx = verifiedTenantContext(betaUser.tenantId, 'system');
    const certificate = await app.quorum.services.certificates.issueDeletionCertificate(betaCtx, {
      subject: { kind: 'meeting', id: 'beta-meeting' },
      deleted: { 'transcript segments': 3 },
      kept: [],
      at: new Date(),
    });
    // Every route that takes an id, tried by tenant A (session, then API key) with tenant B's id.
    // Later features add theirs here.
    const attempts: Array<[string, string]> = [
      ['DELETE', `/api/admin/api-keys/${betaKeyId}`],
      ['GET', `/api/bookings/${booking.booking._id}`],
      ['POST', `/api/bookings/${booking.booking._id}/reschedule`],
      ['DELETE', `/api/bookings/${booking.booking._id}`],
      ['GET', `/api/bookings/${booking.booking._id}/followup`],
      ['GET', `/api/polls/${poll.poll._id}`],
      ['GET', `/api/certificates/${certificate.certificate.id}`],
      ['DELETE', `/api/calendars/${betaKeyId}`],
    ];
    const body = { start: '2027-01-12T11:00:00Z', end: '2027-01-12T11:30:00Z' };
    for (const [method, path] of attempts) {
      const res = await alpha.request(path, {
        method,
        ...(method === 'POST' ? { json: body } : {}),
      });
      expect(res.status, `session: ${method} ${path}`).toBe(404);
    }
    const { key } = await json(
      alpha.request('/api/admin/api-keys', {
        method: 'POST',
        json: {
          name: 'all',
          permissions: [
            'meetings:read',
            'meetings:write',
            'bookings:read',
            'bookings:write',
            'audit:read',
          ],
        },
      }),
    );
    for (const path of [
      `/api/bookings/${booking.booking._id}`,
      `/api/certificates/${certificate.certificate.id}`,
    ]) {
      const res = await fetch(app.url + path, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status, `API key: GET ${path}`).toBe(404);
    }
    // Tenant B still has all of it.
    expect((await beta.request(`/api/bookings/${booking.booking._id}`)).status).toBe(200);
    expect((await beta.request(`/api/certificates/${certificate.certificate.id}`)).status).toBe(
      200,
    );
    const still = await app.quorum.store.controlModel(ApiKey).findById(betaKeyId).lean();
    expect(still?.revokedAt).toBeNull();
    // Tenant A's audit log holds nothing of tenant B's.
    const alphaAudit = JSON.stringify(await await json(alpha.request('/api/audit?limit=500')));
    expect(alphaAudit).not.toContain(betaKeyId);
    expect(alphaAudit).not.toContain('beta@beta.example');
  });
});

describe('security headers', () => {
  it('sends the hardening headers on every response, and refuses framing', async () => {
    for (const path of ['/healthz', '/auth/state', '/api/me', '/no-such-page']) {
      const res = await fetch(app.url + path);
      const h = res.headers;
      expect(h.get('strict-transport-security'), path).toBe('max-age=31536000; includeSubDomains');
      expect(h.get('x-content-type-options'), path).toBe('nosniff');
      expect(h.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      expect(h.get('permissions-policy'), path).toBe(
        'camera=(), geolocation=(), microphone=(self)',
      );
      expect(h.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(h.get('x-frame-options'), path).toBe('DENY');
      expect(h.get('x-powered-by'), path).toBeNull();
    }
  });

  it('refuses a cookie-authenticated change sent from another site', async () => {
    const res = await alpha.request('/api/admin/api-keys', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      json: { name: 'csrf', permissions: ['audit:read'] },
    });
    expect(res.status).toBe(403);
  });
});

describe('personal data rights', () => {
  it('exports everything held about the signed-in person, without secrets', async () => {
    const res = await alpha.request('/api/me/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const data = await json(res);
    expect(data.account.profile).toMatchObject({ email: 'alpha@alpha.example', hasPassword: true });
    expect(data.account.sessions.length).toBeGreaterThan(0);
    expect(data.account.apiKeys.length).toBeGreaterThan(0);
    const text = JSON.stringify(data);
    expect(text).not.toContain('argon2');
    expect(text).not.toContain('digest');
  });

  it('deletes an account at once (sign-in stops) and erases it after 30 days with a certificate', async () => {
    const person = new Browser(app.url);
    await signUp(person, 'gamma', '192.0.2.3');
    const refused = await person.request('/api/me', {
      method: 'DELETE',
      json: { confirm: 'wrong@x.example' },
    });
    expect(refused.status).toBe(400);
    const deleted = await person.request('/api/me', {
      method: 'DELETE',
      json: { confirm: 'gamma@gamma.example' },
    });
    expect(deleted.status).toBe(200);
    expect((await person.request('/api/me')).status).toBe(401);
    const again = await new Browser(app.url).request('/auth/signin', {
      method: 'POST',
      headers: { 'x-forwarded-for': '192.0.2.30' },
      json: { email: 'gamma@gamma.example', password: 'velvet-harbor-lantern-42' },
    });
    expect(again.status).toBe(401);

    const Users = app.quorum.store.controlModel(User);
    const gamma = (await Users.findOne({ email: 'gamma@gamma.example' }).lean())!;
    // Not yet due: the job leaves it alone.
    await app.quorum.jobs!.now(ERASE_DELETED_ACCOUNTS);
    await oneTimeRunsDone(ERASE_DELETED_ACCOUNTS);
    expect(await Users.countDocuments({ _id: gamma._id })).toBe(1);
    // Thirty-one days later, it is erased with a verifiable certificate.
    await Users.updateOne(
      { _id: gamma._id },
      { deletedAt: new Date(Date.now() - 31 * 86_400_000) },
    );
    await app.quorum.jobs!.now(ERASE_DELETED_ACCOUNTS);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await Users.countDocuments({ _id: gamma._id })) > 0) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await Users.countDocuments({ _id: gamma._id })).toBe(0);
    const certs = await app.quorum.store.connection
      .useDb(`quorum_t_${gamma.tenantId}`)
      .collection('deletion_certificates')
      .find()
      .toArray();
    expect(certs).toHaveLength(1);
    const certificate = JSON.parse(String(certs[0]!.document));
    expect(certificate.certificate.subject).toEqual({ kind: 'account', id: gamma._id });
    expect(certificate.certificate.deleted).toMatchObject({ account: 1 });
    // Anyone can check it offline with the published key.
    const keys = await await json(fetch(`${app.url}/.well-known/quorum-certificate-keys.json`));
    expect(verifyDeletionCertificate(certificate, keys)).toMatchObject({ valid: true });
    certificate.certificate.deleted.account = 0;
    expect(verifyDeletionCertificate(certificate, keys)).toMatchObject({ valid: false });
  });
});
