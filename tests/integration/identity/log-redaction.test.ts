// Logs never carry tokens, passwords, API keys, authorization headers or cookies: requests that
// carry each go through the real server, and its log output is searched for them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

let app: TestQuorum;
beforeAll(async () => {
  app = await startTestQuorum({ LOG_LEVEL: 'debug' });
});
afterAll(async () => {
  await app?.stop();
});

const SECRETS = {
  password: 'Hunter2-correct-horse-battery',
  bearer: 'qrm_abcdefghijkl_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq',
  cookie: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlc2VjcmV0c2ln',
  apiKey: 'xoxb-1111111111-2222222222-secretslacktoken',
  queryToken: 'query-token-value-9f8e7d',
  basic: 'dXNlcjpzdXBlcnNlY3JldHBhc3N3b3Jk',
};

describe('log redaction', () => {
  it('keeps every secret a request carries out of the logs', async () => {
    await fetch(`${app.url}/auth/signin?token=${SECRETS.queryToken}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: `quorum_session=${SECRETS.cookie}`,
        'x-api-key': SECRETS.apiKey,
        'x-forwarded-for': '198.51.100.200',
      },
      body: JSON.stringify({ email: 'someone@example.com', password: SECRETS.password }),
    });
    await fetch(`${app.url}/api/audit?access_token=${SECRETS.queryToken}`, {
      headers: { authorization: `Bearer ${SECRETS.bearer}` },
    });
    await fetch(`${app.url}/api/me`, { headers: { authorization: `Basic ${SECRETS.basic}` } });
    await new Promise((r) => setTimeout(r, 200));
    const logs = app.logs();
    // The requests were logged at all…
    expect(logs).toContain('/auth/signin');
    expect(logs).toContain('/api/audit');
    // …and none of their secrets were.
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(logs.includes(secret), `${name} leaked into the logs`).toBe(false);
    }
  });
});
