// An administrator learns nothing about other organizations from adding people: an address that
// has an account in another organization is added exactly as a new address is (its own account
// here, signed in with the password given), and the other organization's person is untouched.
// Only an address already in the administrator's own organization is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { organization, PASSWORD, type Org } from '../meetings/people.ts';

let app: TestQuorum;
let acme: Org;
let globex: Org;
const RAJ = { name: 'Raj Patel', email: 'raj@acme.example' };
/** The password Globex's administrator gives the people they add. */
const GLOBEX_PASSWORD = 'quartz-meadow-lantern-58';

let nextIp = 40;
/** A fresh browser signed in (or not) with this email and password; resolves to its answer. */
async function signIn(email: string, password: string) {
  const browser = new Browser(app.url);
  const res = await browser.request('/auth/signin', {
    method: 'POST',
    headers: { 'x-forwarded-for': `198.51.100.${nextIp++}` },
    json: { email, password },
  });
  const me = res.status === 200 ? await json(browser.request('/api/me')) : null;
  return { status: res.status, me };
}

async function addPerson(admin: Browser, person: { name: string; email: string }) {
  const res = await admin.request('/api/admin/people', {
    method: 'POST',
    json: { ...person, password: GLOBEX_PASSWORD },
  });
  return { status: res.status, body: await json(res) };
}

/** What a caller can tell apart in an answer: its status, its fields and their kinds. */
function shape(answer: { status: number; body: Record<string, unknown> }) {
  return {
    status: answer.status,
    fields: Object.keys(answer.body)
      .sort()
      .map((key) => `${key}:${typeof answer.body[key]}`),
    role: answer.body.role,
  };
}

/** Everything Acme's people and records say about Raj. */
async function acmeView() {
  const people = await json(acme.admin.request('/api/people'));
  const raj = await app.quorum.store.control
    .collection('users')
    .findOne({ tenantId: acme.tenantId, email: RAJ.email });
  return { people, raj };
}

beforeAll(async () => {
  app = await startTestQuorum({ QUORUM_OPEN_SIGNUP: 'true' });
  acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' }, [RAJ]);
  globex = await organization(app, 'Globex', { name: 'Gus Grant', email: 'gus@globex.example' });
});
afterAll(async () => {
  await app?.stop();
});

describe('adding a person whose address has an account in another organization', () => {
  it('answers as for a new address, changes nothing there, and both people sign in', async () => {
    const before = await acmeView();
    const taken = await addPerson(globex.admin, { name: 'Raj at Globex', email: RAJ.email });
    const fresh = await addPerson(globex.admin, { name: 'Nia Novak', email: 'nia@globex.example' });
    expect(shape(taken)).toEqual(shape(fresh));
    expect(taken).toMatchObject({
      status: 201,
      body: { name: 'Raj at Globex', email: RAJ.email, role: 'member' },
    });
    // Globex's list shows the person it added, as it shows the other.
    const globexPeople = (await json(globex.admin.request('/api/people'))).people;
    expect(globexPeople.map((p: { email: string }) => p.email).sort()).toEqual(
      ['gus@globex.example', 'nia@globex.example', RAJ.email].sort(),
    );

    // Acme's person and list are as they were.
    expect(await acmeView()).toEqual(before);
    // Each password signs in to its own organization's account.
    const atAcme = await signIn(RAJ.email, PASSWORD);
    expect(atAcme.status).toBe(200);
    expect(atAcme.me).toMatchObject({ tenantId: acme.tenantId, name: RAJ.name });
    const atGlobex = await signIn(RAJ.email, GLOBEX_PASSWORD);
    expect(atGlobex.status).toBe(200);
    expect(atGlobex.me).toMatchObject({ tenantId: globex.tenantId, id: taken.body.id });
    expect((await signIn(RAJ.email, 'not-the-password-of-either-1')).status).toBe(401);
  });

  it('refuses an address already in the same organization (the admin sees its people anyway)', async () => {
    for (const [admin, person] of [
      [globex.admin, { name: 'Raj again', email: RAJ.email }],
      [acme.admin, { name: 'Raj again', email: 'RAJ@acme.example' }],
    ] as const) {
      const again = await addPerson(admin, person);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({
        error: 'email-taken',
        message: 'Someone in this organization already has this email address.',
      });
    }
  });
});
