// A data folder written before identity records were read by exact `_id` keeps working: the
// control database is filled the old way (raw documents shaped like the earlier version's, with
// its indexes), then Quorum starts on it, which runs the storage migrations, and sign-in, SSO,
// finding people, Slack user resolution, "sign out everywhere" and account erasure all work.
import { randomBytes } from 'node:crypto';
import { webApi } from '@slack/bolt';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackPeople } from '../../../bots/slack/middleware/people.ts';
import { createWorkspaces } from '../../../bots/slack/store/workspaces.ts';
import { hashPassword } from '../../../core/identity/passwords.ts';
import { resolveSsoUser, identityLinkId } from '../../../core/identity/sso-accounts.ts';
import { findUserByEmail } from '../../../core/identity/users.ts';
import { migrationSteps } from '../../../infra/server/migrations.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

const password = 'saffron-ledger-quartz-31';
const tenantId = testTenantId();
const controlDb = `qc_${testTenantId()}`;
const ISSUER = 'https://accounts.google.example';
const day = 86_400_000;

let client: MongoClient;
let db: Db;
let app: TestQuorum;
let slack: FakeSlack;

/** Today's layout: what the earlier version wrote, including its indexes. */
async function writeOldLayout() {
  const now = Date.now();
  const user = (id: string, email: string, name: string, role: string, extra = {}) => ({
    _id: id,
    tenantId,
    email,
    name,
    role,
    passwordHash: null,
    createdAt: new Date(now - 90 * day),
    deletedAt: null,
    ...extra,
  });
  await db.collection('users').createIndex({ email: 1 }, { unique: true });
  await db.collection('identity_links').createIndex({ issuer: 1, subject: 1 }, { unique: true });
  await db.collection('tenants').insertOne({
    _id: tenantId as never,
    name: 'Acme',
    domains: ['acme.example'],
    createdAt: new Date(),
  });
  await db.collection('users').insertMany([
    user('uana000000000001', 'ana@acme.example', 'Ana Admin', 'admin', {
      passwordHash: await hashPassword(password),
    }),
    user('uraj000000000001', 'raj@acme.example', 'Raj Patel', 'member'),
    user('ulee000000000001', 'lee@acme.example', 'Lee Wong', 'member', {
      deletedAt: new Date(now - 40 * day),
    }),
  ] as never[]);
  await db.collection('identity_links').insertOne({
    _id: 'randomlinkid0000001' as never,
    issuer: ISSUER,
    subject: 'g-raj',
    userId: 'uraj000000000001',
    tenantId,
    createdAt: new Date(),
  });
  await db.collection('sessions').insertOne({
    _id: 'old-session-of-ana' as never,
    userId: 'uana000000000001',
    tenantId,
    createdAt: new Date(now - day),
    expiresAt: new Date(now + 6 * day),
    revokedAt: null,
    ip: '192.0.2.1',
    userAgent: 'Old browser',
  });
  await db.collection('api_keys').insertOne({
    _id: 'oldkey000001' as never,
    tenantId,
    name: 'Old integration',
    digest: '0'.repeat(64),
    permissions: ['meetings:read'],
    createdBy: 'uana000000000001',
    createdAt: new Date(now - day),
    revokedAt: null,
    lastUsedAt: null,
  });
  await db.collection('slack_workspaces').insertOne({
    _id: 'T0ACME' as never,
    tenantId,
    teamName: 'Acme',
    botToken: null,
    botUserId: null,
    botId: null,
    appId: null,
    scopes: [],
    installedBy: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  await db.collection('slack_user_links').insertOne({
    _id: 'T0ACME:U0RAJ' as never,
    teamId: 'T0ACME',
    slackUserId: 'U0RAJ',
    tenantId,
    userId: 'uraj000000000001',
    via: 'confirmed',
    createdAt: new Date(),
  });
}

beforeAll(async () => {
  client = new MongoClient(mongoUri());
  await client.connect();
  db = client.db(controlDb);
  await writeOldLayout();
  slack = await startFakeSlack();
  // Quorum runs the storage migrations at start, before it takes requests.
  app = await startTestQuorum({ QUORUM_CONTROL_DB: controlDb });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await slack?.close();
  await db?.dropDatabase().catch(() => undefined);
  await client?.close();
});

describe('a control database written by the earlier version', () => {
  it('signs in with the old account and its password, and is no fresh install', async () => {
    const ana = new Browser(app.url);
    expect(await json(ana.request('/auth/state'))).toMatchObject({ freshInstall: false });
    const res = await ana.request('/auth/signin', {
      method: 'POST',
      headers: { 'x-forwarded-for': '198.51.100.60' },
      json: { email: 'ANA@acme.example', password },
    });
    expect(res.status).toBe(200);
    expect(await json(ana.request('/api/me'))).toMatchObject({ id: 'uana000000000001' });

    // Her session from before is listed for her: "sign out everywhere" ends it too.
    const everywhere = await ana.request('/auth/signout-everywhere', { method: 'POST' });
    expect(everywhere.status).toBe(200);
    const old = await db.collection('sessions').findOne({ _id: 'old-session-of-ana' as never });
    expect(old?.revokedAt).toBeInstanceOf(Date);
  });

  it('finds the old colleagues for scheduling and in the people list', async () => {
    const ana = new Browser(app.url);
    await ana.request('/auth/signin', {
      method: 'POST',
      headers: { 'x-forwarded-for': '198.51.100.61' },
      json: { email: 'ana@acme.example', password },
    });
    const people = await json(ana.request('/api/people'));
    expect(people.people.map((p: { email: string }) => p.email)).toEqual([
      'ana@acme.example',
      'raj@acme.example',
    ]);
    const found = await json(
      ana.request('/api/scheduling/find', {
        method: 'POST',
        json: {
          attendees: [{ email: 'raj@acme.example' }, { email: 'guest@outside.example' }],
          durationMinutes: 30,
          window: { start: '2027-03-22T00:00:00Z', end: '2027-03-23T00:00:00Z' },
        },
      }),
    );
    // Raj is a colleague (his working hours count); only the outside address is a guest.
    expect(found.unknown).toEqual([
      expect.objectContaining({ email: 'guest@outside.example', reason: 'guest' }),
    ]);
    const keys = await json(ana.request('/api/admin/api-keys'));
    expect(JSON.stringify(keys)).toContain('oldkey000001');
  });

  it('signs in by SSO through the old link, now kept under its issuer and subject', async () => {
    const resolved = await resolveSsoUser(
      app.quorum.store,
      {
        issuer: ISSUER,
        subject: 'g-raj',
        email: null,
        emailVerified: false,
        name: null,
        organization: null,
      },
      { openSignup: false },
    );
    expect(resolved).toMatchObject({ ok: true, created: false, user: { _id: 'uraj000000000001' } });
    const links = await db.collection('identity_links').find().toArray();
    expect(links.map((l) => l._id)).toEqual([identityLinkId(ISSUER, 'g-raj')]);
  });

  it('resolves Slack users: the linked one and the one matched by email', async () => {
    const store = app.quorum.store;
    const workspaces = createWorkspaces({ store, envelope: app.quorum.services.envelope });
    expect(await workspaces.tenantOf('T0ACME')).toBe(tenantId);
    expect((await workspaces.ofTenant(tenantId)).map((w) => w._id)).toEqual(['T0ACME']);

    const token = `xoxb-${randomBytes(6).toString('hex')}`;
    slack.tokens.set('T0ACME', token);
    slack.addUser({ id: 'U0ANA', teamId: 'T0ACME', name: 'Ana', email: 'ana@acme.example' });
    const slackClient = new webApi.WebClient(token, { slackApiUrl: slack.apiUrl });
    const people = createSlackPeople(store);
    const ws = { teamId: 'T0ACME', tenantId };
    expect((await people.linkedUser(ws, 'U0RAJ'))?._id).toBe('uraj000000000001');
    expect((await people.quorumUser(slackClient, ws, 'U0ANA')).user?._id).toBe('uana000000000001');
    const raj = (await findUserByEmail(store, 'raj@acme.example'))!;
    expect(await people.slackUserOf(slackClient, 'T0ACME', raj)).toBe('U0RAJ');
  });

  it('erases the account deleted 40 days before the upgrade, and frees its email', async () => {
    const deadline = Date.now() + 20_000;
    // Erased to the end: the account leaves the pending list last, after its records go (the
    // next test compares the lists before and after running the steps again).
    const pending = async () =>
      (
        await db
          .collection<{ _id: string; items: Array<{ id: string }> }>('identity_lists')
          .findOne({ _id: 'accounts:pending:erasure' })
      )?.items.some((item) => item.id === 'ulee000000000001') ?? false;
    const gone = async () =>
      (await db.collection('users').countDocuments({ _id: 'ulee000000000001' as never })) === 0 &&
      !(await pending());
    while (Date.now() < deadline && !(await gone())) await new Promise((r) => setTimeout(r, 200));
    expect(await gone()).toBe(true);
    expect(await findUserByEmail(app.quorum.store, 'lee@acme.example')).toBeUndefined();
  });

  it('changes nothing when the steps run again', async () => {
    const lists = () => db.collection('identity_lists').find().sort({ _id: 1 }).toArray();
    const before = await lists();
    const ctx = verifiedTenantContext(tenantId, 'system');
    for (const step of migrationSteps) await step.runForTenant(app.quorum.store, ctx);
    const after = await lists();
    expect(after.map((d) => d._id)).toEqual(before.map((d) => d._id));
    expect(JSON.stringify(after)).toBe(JSON.stringify(before));
  });
});
