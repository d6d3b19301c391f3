// Shared steps of the meetings tests: an organization with people signed in, meetings brought
// to a status, and the raw documents of a tenant database as stored.
import { expect } from 'vitest';
import { moveRetention } from '../../../core/meetings/listing.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { Browser, json, type TestQuorum } from '../../support/quorum-app.ts';

export const PASSWORD = 'amber-cobalt-harbor-71';

export interface Org {
  admin: Browser;
  tenantId: string;
  members: Record<string, Browser>;
}

let nextIp = 10;

/** Signs an organization up (its first person is the admin) and signs its members in. */
export async function organization(
  app: TestQuorum,
  name: string,
  admin: { name: string; email: string },
  members: Array<{ name: string; email: string }> = [],
): Promise<Org> {
  const first = new Browser(app.url);
  const signup = await first.request('/auth/signup', {
    method: 'POST',
    headers: { 'x-forwarded-for': `192.0.2.${nextIp++}` },
    json: { organization: name, name: admin.name, email: admin.email, password: PASSWORD },
  });
  expect(signup.status, await signup.clone().text()).toBe(201);
  const tenantId = (await json(first.request('/api/me'))).tenantId as string;
  const signedIn: Record<string, Browser> = {};
  for (const member of members) {
    const added = await first.request('/api/admin/people', {
      method: 'POST',
      json: { ...member, password: PASSWORD },
    });
    expect(added.status).toBe(201);
    const browser = new Browser(app.url);
    const signin = await browser.request('/auth/signin', {
      method: 'POST',
      headers: { 'x-forwarded-for': `192.0.2.${nextIp++}` },
      json: { email: member.email, password: PASSWORD },
    });
    expect(signin.status).toBe(200);
    signedIn[member.email] = browser;
  }
  return { admin: first, tenantId, members: signedIn };
}

/** Polls a meeting until its status is one of `statuses`; returns the meeting as read. */
export async function waitForStatus(
  browser: Browser,
  id: string,
  statuses: string[],
  timeoutMs = 20_000,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const meeting = await json(browser.request(`/api/meetings/${id}`));
    if (statuses.includes(meeting.status) || Date.now() > deadline) return meeting;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The text of a deletion certificate, polled until it is issued: a recording's or captions'
 * certificate is named when they are deleted and issued a moment later, in a batch.
 */
export async function issuedCertificate(
  browser: Browser,
  id: string,
  timeoutMs = 20_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await browser.request(`/api/certificates/${id}`);
    if (response.status === 200 || Date.now() > deadline) {
      expect(response.status).toBe(200);
      return response.text();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A meeting of the browser's person with Raj, its Teams captions sent; resolves to its id. */
export async function captionedMeeting(
  browser: Browser,
  title: string,
  extra: { description?: string } = {},
): Promise<string> {
  const created = await browser.request('/api/meetings', {
    method: 'POST',
    json: {
      title,
      startsAt: '2027-03-22T10:00:00Z',
      endsAt: '2027-03-22T11:00:00Z',
      participants: [{ email: 'raj@acme.example', name: 'Raj Patel' }],
      ...extra,
    },
  });
  const { id } = await json(created);
  const sent = await browser.request(`/api/meetings/${id}/captions`, {
    method: 'POST',
    headers: { 'content-type': 'text/vtt' },
    body: TEAMS_VTT,
  });
  expect(sent.status).toBe(202);
  return id;
}

/** Moves the meetings' retention start back, on their record and on the retention list. */
export async function backdateRetention(
  app: TestQuorum,
  tenantId: string,
  ids: readonly string[],
  days: number,
): Promise<void> {
  const retainFrom = new Date(Date.now() - days * 86_400_000);
  const ctx = verifiedTenantContext(tenantId, 'system');
  const { lists } = await app.quorum.services.meetings.kit.models(ctx);
  const meetings = app.quorum.store.connection
    .useDb(`quorum_t_${tenantId}`)
    .db!.collection('meetings');
  for (const id of ids) {
    const meeting = await meetings.findOneAndUpdate({ _id: id as never }, { $set: { retainFrom } });
    await moveRetention(lists, id, meeting!.retainFrom, retainFrom);
  }
}

/** Every document of the tenant's meeting collections, as the database holds them. */
export async function rawMeetingDocuments(
  app: TestQuorum,
  tenantId: string,
): Promise<Record<string, unknown[]>> {
  const db = app.quorum.store.connection.useDb(`quorum_t_${tenantId}`).db!;
  const out: Record<string, unknown[]> = {};
  for (const { name } of await db.listCollections().toArray()) {
    if (name.startsWith('meeting') || name === 'data_keys' || name === 'audit_log') {
      out[name] = await db.collection(name).find().toArray();
    }
  }
  return out;
}

export const TEAMS_VTT = `WEBVTT

1a2b3c4d-0001
00:00:01.000 --> 00:00:05.500
<v Ana Lopez>Good morning everyone. Let's review the marketing budget for the next quarter.</v>

1a2b3c4d-0002
00:00:06.000 --> 00:00:09.000
<v Raj Patel>I'll send the revised spreadsheet to finance by Friday.</v>

1a2b3c4d-0003
00:00:10.000 --> 00:00:13.000
<v Ana Lopez>We decided to hire two engineers for the platform team.</v>

1a2b3c4d-0004
00:00:14.000 --> 00:00:17.000
<v Raj Patel>Who will negotiate the vendor contract?</v>
`;

/** Words of TEAMS_VTT that must never appear in a stored document in plaintext. */
export const SPOKEN_WORDS = [
  'marketing',
  'spreadsheet',
  'finance',
  'engineers',
  'negotiate',
  'vendor',
];
