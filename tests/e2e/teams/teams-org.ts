// The organization the Teams tests use: Quorum started with the Teams bot on, its Bot
// Connector, Entra token endpoint and signing keys on a local server (fake-bot-connector.ts),
// Graph on another (fake-graph.ts); Ana (admin, Berlin) and Raj (Kolkata) in Quorum and in
// Teams, Mei only in Teams. Activities are sent the way the Bot Connector sends them.
import { expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  startFakeBotConnector,
  type FakeBotConnector,
  type Member,
} from '../../support/fake-bot-connector.ts';
import { startFakeGraph, type FakeGraph } from '../../support/fake-graph.ts';
import { DEMO_PEOPLE } from '../../../infra/cli/demo-data.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

export const PASSWORD = 'copper-meadow-signal-58';
export const MS_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CHAT = '19:acme-planning@thread.v2';

export const ANA: Member = {
  id: '29:1ana',
  aadObjectId: 'a1a1a1a1-0000-4000-8000-00000000a0a1',
  name: 'Ana Lopez',
  email: 'ana@acme.example',
};
export const RAJ: Member = {
  id: '29:1raj',
  aadObjectId: 'b2b2b2b2-0000-4000-8000-00000000b0b2',
  name: 'Raj Patel',
  email: 'raj@acme.example',
};
export const MEI: Member = {
  id: '29:1mei',
  aadObjectId: 'c3c3c3c3-0000-4000-8000-00000000c0c3',
  name: 'Mei Chen',
  email: 'mei@partner.example',
};

export interface TeamsOrg {
  app: TestQuorum;
  connector: FakeBotConnector;
  graph: FakeGraph;
  ana: Browser;
  tenantId: string;
  botId: string;
  /** Sends an activity to POST /api/messages with a valid Bot Connector token (or `token`). */
  send(activity: Record<string, unknown>, token?: string | null): Promise<Response>;
  stop(): Promise<void>;
}

let nextIp = 60;

async function settings(browser: Browser, timeZone: string, start: string, end: string) {
  const res = await browser.request('/api/me/settings', {
    method: 'PUT',
    json: {
      timeZone,
      workingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start, end }],
      defaultLinkType: 'none',
    },
  });
  expect(res.status).toBe(200);
}

export async function teamsOrg(env: Record<string, string> = {}): Promise<TeamsOrg> {
  const connector = await startFakeBotConnector();
  const graph = await startFakeGraph();
  // Graph accepts the tokens Entra (the fake) issues for Graph: the app's own, and those
  // delegated through Teams SSO (on-behalf-of) for the calendar scopes.
  connector.onTokenIssued((token, scope) => {
    if (
      (scope.includes('/.default') && !scope.includes('botframework')) ||
      scope.includes('Calendars.ReadWrite')
    )
      graph.acceptedTokens.add(token);
  });
  const app = await startTestQuorum({
    TEAMS_CLIENT_ID: connector.appId,
    TEAMS_CLIENT_SECRET: connector.appSecret,
    TEAMS_TENANT_ID: MS_TENANT,
    TEAMS_LOGIN_URL: connector.url,
    TEAMS_OPENID_METADATA_URL: connector.openIdMetadataUrl,
    TEAMS_GRAPH_URL: graph.baseUrl,
    ...env,
  });
  const ana = new Browser(app.url);
  const signup = await ana.request('/auth/signup', {
    method: 'POST',
    headers: { 'x-forwarded-for': `192.0.2.${nextIp++}` },
    json: {
      organization: 'Acme',
      name: 'Ana Lopez',
      email: 'ana@acme.example',
      password: PASSWORD,
    },
  });
  expect(signup.status).toBe(201);
  const added = await ana.request('/api/admin/people', {
    method: 'POST',
    json: { name: 'Raj Patel', email: 'raj@acme.example', password: PASSWORD },
  });
  expect(added.status).toBe(201);
  const raj = new Browser(app.url);
  expect(
    (
      await raj.request('/auth/signin', {
        method: 'POST',
        headers: { 'x-forwarded-for': `192.0.2.${nextIp++}` },
        json: { email: 'raj@acme.example', password: PASSWORD },
      })
    ).status,
  ).toBe(200);
  const tenantId = (await json(ana.request('/api/me'))).tenantId as string;
  await settings(ana, 'Europe/Berlin', '09:00', '17:00');
  await settings(raj, 'Asia/Kolkata', '10:00', '18:00');
  connector.members.set(CHAT, [ANA, RAJ, MEI]);
  const botId = `28:${connector.appId}`;
  return {
    app,
    connector,
    graph,
    ana,
    tenantId,
    botId,
    async send(activity, token) {
      const bearer = token === undefined ? await connector.sign() : token;
      return fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        body: JSON.stringify(activity),
      });
    },
    async stop() {
      await app.stop();
      await connector.close();
      await graph.close();
    },
  };
}

const id = () => `${Date.now()}${randomBytes(3).toString('hex')}`;

/** A Teams meeting: its chat, its Teams meeting id (as Teams encodes it) and its online meeting. */
export function teamsMeetingIn(n: number) {
  const chat = `19:meeting_Zjk${n}YzU4@thread.v2`;
  const teamsMeetingId = Buffer.from(`0#19:meeting_Zjk${n}YzU4@thread.v2#0`).toString('base64');
  const onlineMeetingId = `MSo1N2Y5ZGFjYy03MWJmLTQ3NDMtYjQxMy01M2EdFGkdRWHJlQ${n}`;
  return { chat, teamsMeetingId, onlineMeetingId, title: `Weekly sync ${n}` };
}
export type TestTeamsMeeting = ReturnType<typeof teamsMeetingIn>;

/** The meeting as the Bot Connector knows it: Ana organizes, Ana and Raj in its chat. */
export function setUpTeamsMeeting(org: TeamsOrg, m: TestTeamsMeeting) {
  org.connector.members.set(m.chat, [ANA, RAJ]);
  const start = new Date(Date.now() - 30 * 60_000);
  org.connector.meetings.set(m.teamsMeetingId, {
    id: m.teamsMeetingId,
    details: {
      id: m.teamsMeetingId,
      msGraphResourceId: m.onlineMeetingId,
      scheduledStartTime: start.toISOString(),
      scheduledEndTime: new Date(start.getTime() + 30 * 60_000).toISOString(),
      joinUrl: `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(m.chat)}/0`,
      title: m.title,
      type: 'Scheduled',
    },
    conversation: { isGroup: true, conversationType: 'groupChat', id: m.chat },
    organizer: { id: ANA.id, aadObjectId: ANA.aadObjectId, tenantId: MS_TENANT },
  });
}

/** A meeting event as the Bot Connector sends it to a bot installed in the meeting. */
export function meetingEvent(org: TeamsOrg, m: TestTeamsMeeting, which: 'Start' | 'End') {
  return {
    type: 'event',
    name: `application/vnd.microsoft.meeting${which}`,
    id: `${Date.now()}`,
    timestamp: new Date().toISOString(),
    serviceUrl: org.connector.serviceUrl,
    channelId: 'msteams',
    from: { id: ANA.id, aadObjectId: ANA.aadObjectId },
    conversation: { isGroup: true, conversationType: 'groupChat', tenantId: MS_TENANT, id: m.chat },
    recipient: { id: org.botId, name: 'Quorum' },
    value: {
      Id: m.teamsMeetingId,
      MeetingType: 'Scheduled',
      JoinUrl: `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(m.chat)}/0`,
      Title: m.title,
      [which === 'Start' ? 'StartTime' : 'EndTime']: new Date().toISOString(),
    },
    channelData: { tenant: { id: MS_TENANT }, meeting: { id: m.teamsMeetingId } },
  };
}

function common(org: TeamsOrg, who: Member, conversation: { id: string; type?: string }) {
  return {
    id: id(),
    timestamp: new Date().toISOString(),
    serviceUrl: org.connector.serviceUrl,
    channelId: 'msteams',
    from: { id: who.id, name: who.name, aadObjectId: who.aadObjectId },
    conversation: {
      isGroup: (conversation.type ?? 'groupChat') !== 'personal',
      conversationType: conversation.type ?? 'groupChat',
      tenantId: MS_TENANT,
      id: conversation.id,
    },
    recipient: { id: org.botId, name: 'Quorum' },
    channelData: { tenant: { id: MS_TENANT } },
    locale: 'en-US',
  };
}

/** A message as Teams sends it: `@Quorum` first, then the text; `mentions` are <at> tags used. */
export function message(
  org: TeamsOrg,
  who: Member,
  textAfterBot: string,
  mentions: Member[] = [],
  conversation: { id: string; type?: string } = { id: CHAT },
) {
  return {
    ...common(org, who, conversation),
    type: 'message',
    localTimestamp: new Date().toISOString(),
    localTimezone: 'Europe/Berlin',
    textFormat: 'plain',
    text: `<at>Quorum</at> ${textAfterBot}`,
    entities: [
      { type: 'mention', text: '<at>Quorum</at>', mentioned: { id: org.botId, name: 'Quorum' } },
      ...mentions.map((m) => ({
        type: 'mention',
        text: `<at>${m.name}</at>`,
        mentioned: { id: m.id, name: m.name },
      })),
      {
        type: 'clientInfo',
        locale: 'en-US',
        country: 'US',
        platform: 'Web',
        timezone: 'Europe/Berlin',
      },
    ],
  };
}

/** An adaptiveCard/action invoke: a click on an Action.Execute button of card message `replyToId`. */
export function invoke(
  org: TeamsOrg,
  who: Member,
  action: { verb: string; data: unknown },
  replyToId: string,
  conversation: { id: string; type?: string } = { id: CHAT },
) {
  return {
    ...common(org, who, conversation),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: {
      action: { type: 'Action.Execute', id: 'a1', verb: action.verb, data: action.data },
      trigger: 'manual',
    },
    channelData: { tenant: { id: MS_TENANT }, source: { name: 'message' }, legacy: { replyToId } },
  };
}

/** The Action.Execute buttons of a card (anywhere in it), with their fallbacks. */
export function executeActions(card: unknown): Array<{
  title: string;
  verb: string;
  data: Record<string, unknown>;
  fallback?: Record<string, unknown>;
}> {
  const found: Array<{
    title: string;
    verb: string;
    data: Record<string, unknown>;
    fallback?: Record<string, unknown>;
  }> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.Execute') {
      found.push({
        title: String(o.title),
        verb: String(o.verb),
        data: o.data as Record<string, unknown>,
        ...(o.fallback ? { fallback: o.fallback as Record<string, unknown> } : {}),
      });
    }
    Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

export const textOf = (card: unknown) => JSON.stringify(card);

/** Waits until `find` returns something (the bot answers inside the request; this is for jobs). */
export async function waitFor<T>(
  find: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A person of the demo organization (`quorum demo`) by first name. */
export const demoPerson = (first: string) => DEMO_PEOPLE.find((p) => p.name.startsWith(first))!;

function demoMember(first: string, n: number): Member {
  return {
    id: `29:1${first.toLowerCase()}`,
    aadObjectId: `d${n}d${n}d${n}d${n}-0000-4000-8000-00000000d0d${n}`,
    name: demoPerson(first).name,
    email: `${first.toLowerCase()}@acme.example`,
  };
}
export const LEE = demoMember('Lee', 4);
export const MAYA = demoMember('Maya', 5);

/**
 * The demo organization's four zones in one chat: Lee and Maya join Ana and Raj, everyone signs
 * in (from `firstIp` on, so sign-in limits per address never interfere) and saves the demo's zone
 * and hours. Returns Raj's browser.
 */
export async function fourZoneChat(org: TeamsOrg, firstIp: number): Promise<Browser> {
  for (const m of [LEE, MAYA]) {
    const added = await org.ana.request('/api/admin/people', {
      method: 'POST',
      json: { name: m.name, email: m.email, password: PASSWORD },
    });
    expect(added.status).toBe(201);
  }
  let raj: Browser | undefined;
  let ip = firstIp;
  for (const m of [RAJ, LEE, MAYA]) {
    const browser = new Browser(org.app.url);
    const signin = await browser.request('/auth/signin', {
      method: 'POST',
      headers: { 'x-forwarded-for': `192.0.2.${ip++}` },
      json: { email: m.email, password: PASSWORD },
    });
    expect(signin.status).toBe(200);
    if (m === RAJ) raj = browser;
    const saved = await browser.request('/api/me/settings', {
      method: 'PUT',
      json: demoPerson(m.name.split(' ')[0]!).settings,
    });
    expect(saved.status).toBe(200);
  }
  const ana = await org.ana.request('/api/me/settings', {
    method: 'PUT',
    json: demoPerson('Ana').settings,
  });
  expect(ana.status).toBe(200);
  org.connector.members.set(CHAT, [ANA, RAJ, LEE, MAYA]);
  return raj!;
}
