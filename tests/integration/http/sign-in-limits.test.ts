// Sign-in is limited per account as well as per address: a guesser who varies X-Forwarded-For
// (believed from loopback, the default QUORUM_TRUST_PROXY) is slowed down all the same, and the
// answers are the same for an email that has no account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SIGN_IN_ATTEMPTS } from '../../../core/identity/sign-in-limiter.ts';
import { Browser, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

let app: TestQuorum;
const password = 'plum-orbit-canvas-97';

beforeAll(async () => {
  app = await startTestQuorum();
  const res = await new Browser(app.url).request('/auth/signup', {
    method: 'POST',
    headers: { origin: app.url },
    json: { organization: 'Limits', name: 'Ana', email: 'ana@limits.example', password },
  });
  expect(res.status).toBe(201);
});
afterAll(async () => {
  await app?.stop();
});

async function guesses(email: string, count: number, firstAddress: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${app.url}/auth/signin`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        // A new address for every guess: the per-address limit never applies.
        'x-forwarded-for': `203.0.113.${firstAddress + i}`,
      },
      body: JSON.stringify({ email, password: `wrong-guess-number-${i}` }),
    });
    await res.text();
    statuses.push(res.status);
  }
  return statuses;
}

describe('per-account sign-in limit', () => {
  it('slows down guesses at one account from many addresses, and says the same for an unknown email', async () => {
    const known = await guesses('ana@limits.example', ACCOUNT_SIGN_IN_ATTEMPTS + 2, 1);
    const unknown = await guesses('nobody@limits.example', ACCOUNT_SIGN_IN_ATTEMPTS + 2, 100);
    const expected = [...Array<number>(ACCOUNT_SIGN_IN_ATTEMPTS).fill(401), 429, 429];
    expect(known).toEqual(expected);
    expect(unknown).toEqual(expected);
  });

  it('keeps the right password out too while the account is being guessed at', async () => {
    const res = await fetch(`${app.url}/auth/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7' },
      body: JSON.stringify({ email: 'ana@limits.example', password }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
