// The organization the Slack tests use: Quorum started with Slack on, pointed at the fake Slack,
// people signed up in Quorum with their settings, and the same people in the Slack workspace.
import { expect } from 'vitest';
import { BOOKING_TITLES, Booking } from '../../../core/scheduling/booking/booking-model.ts';
import { LOCAL_EVENT_TITLES, LocalEvent } from '../../../core/calendars/local/local-event-model.ts';
import { sealedTitles } from '../../../core/privacy/sealed-titles.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { SlackSender, startFakeSlack, type FakeSlack } from '../../support/fake-slack.ts';
import { DEMO_PEOPLE } from '../../../infra/cli/demo-data.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

export const SIGNING_SECRET = 'f3a1c0de5eed4b1e9a7c2d8e6b0f4a13';
export const TEAM = 'T0ACME';
export const BOT_TOKEN = 'xoxb-1111-2222-acmebottoken';
export const PASSWORD = 'copper-meadow-signal-58';

export const ANA = { teamId: TEAM, userId: 'U0ANA' };
export const RAJ = { teamId: TEAM, userId: 'U0RAJ' };

export interface SlackOrg {
  app: TestQuorum;
  fake: FakeSlack;
  slack: SlackSender;
  ana: Browser;
  raj: Browser;
  tenantId: string;
  stop(): Promise<void>;
}

let nextIp = 40;

async function signIn(app: TestQuorum, email: string): Promise<Browser> {
  const browser = new Browser(app.url);
  const res = await browser.request('/auth/signin', {
    method: 'POST',
    headers: { 'x-forwarded-for': `192.0.2.${nextIp++}` },
    json: { email, password: PASSWORD },
  });
  expect(res.status).toBe(200);
  return browser;
}

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

/** Ana (admin, Berlin) and Raj (Kolkata) in Quorum and in Slack; Mei only in Slack. */
export async function slackOrg(env: Record<string, string> = {}): Promise<SlackOrg> {
  const fake = await startFakeSlack();
  fake.tokens.set(TEAM, BOT_TOKEN);
  const app = await startTestQuorum({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: fake.apiUrl,
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
  const raj = await signIn(app, 'raj@acme.example');
  const tenantId = (await json(ana.request('/api/me'))).tenantId as string;
  // Ana works 09–17 in Berlin, Raj 10–18 in Kolkata: they overlap in Berlin's mornings.
  await settings(ana, 'Europe/Berlin', '09:00', '17:00');
  await settings(raj, 'Asia/Kolkata', '10:00', '18:00');
  fake.addUser({ id: 'U0ANA', teamId: TEAM, name: 'Ana Lopez', email: 'ana@acme.example' });
  fake.addUser({
    id: 'U0RAJ',
    teamId: TEAM,
    name: 'Raj Patel',
    email: 'raj@acme.example',
    tz: 'Asia/Kolkata',
  });
  fake.addUser({ id: 'U0MEI', teamId: TEAM, name: 'Mei Chen', email: 'mei@partner.example' });
  return {
    app,
    fake,
    slack: new SlackSender(app.url, SIGNING_SECRET, fake),
    ana,
    raj,
    tenantId,
    async stop() {
      await app.stop();
      await fake.close();
    },
  };
}

export async function tenantModels(org: SlackOrg) {
  const ctx = verifiedTenantContext(org.tenantId, 'system');
  return {
    bookings: await org.app.quorum.store.tenantModel(ctx, Booking),
    events: await org.app.quorum.store.tenantModel(ctx, LocalEvent),
  };
}

/**
 * The tenant's bookings and local calendar events as their services read them: titles are
 * stored sealed, so they are opened here before a test compares them.
 */
export async function titled(org: SlackOrg) {
  const ctx = verifiedTenantContext(org.tenantId, 'system');
  const { bookings, events } = await tenantModels(org);
  const { envelope } = org.app.quorum.services;
  const bookingTitles = sealedTitles(envelope, BOOKING_TITLES);
  const eventTitles = sealedTitles(envelope, LOCAL_EVENT_TITLES);
  return {
    async booking(id: string) {
      const stored = await bookings.findById(id).lean();
      return stored && bookingTitles.open(ctx, stored);
    },
    async bookingsTitled(title: string) {
      const all = await bookingTitles.openAll(ctx, await bookings.find({}).lean());
      return all.filter((b) => b.title === title);
    },
    async eventsTitled(title: string) {
      const all = await eventTitles.openAll(ctx, await events.find({}).lean());
      return all.filter((e) => e.title === title);
    },
  };
}

/** Waits until every acknowledged Slack request has finished its work. */
export function settled(org: SlackOrg): Promise<void> {
  return org.app.quorum.services.slack!.idle();
}

type Blocks = Array<Record<string, unknown>>;

/** All the text a block list shows, for assertions. */
export function textOf(blocks: Blocks | undefined): string {
  return JSON.stringify(blocks ?? []);
}

/** Buttons of a block list with their action ids and values. */
export function buttonsOf(
  blocks: Blocks | undefined,
): Array<{ action_id: string; value?: string; url?: string; text: string }> {
  const found: Array<{ action_id: string; value?: string; url?: string; text: string }> = [];
  for (const block of blocks ?? []) {
    const elements = [
      ...(block.accessory ? [block.accessory] : []),
      ...((block.elements as unknown[] | undefined) ?? []),
    ] as Array<Record<string, unknown>>;
    for (const e of elements) {
      if (e.type === 'button') {
        found.push({
          action_id: String(e.action_id),
          ...(typeof e.value === 'string' ? { value: e.value } : {}),
          ...(typeof e.url === 'string' ? { url: e.url } : {}),
          text: String((e.text as { text: string }).text),
        });
      }
    }
  }
  return found;
}

/** Sends `/meet <text>` and returns the first answer posted to its response_url. */
export async function meet(org: SlackOrg, who: { teamId: string; userId: string }, text: string) {
  const sent = await org.slack.command(who, text);
  expect(sent.res.status).toBe(200);
  const answer = await org.fake.waitFor(() => org.fake.responsesTo(sent.responseUrl)[0]);
  return { ...sent, answer: answer.body, blocks: answer.body.blocks as Blocks };
}

/** Finds times as Ana, clicks the first, and returns the booking modal Quorum opened. */
export async function openModal(org: SlackOrg, text: string) {
  const found = await meet(org, ANA, text);
  const pick = buttonsOf(found.blocks).find((b) => b.action_id === 'quorum.slot.pick');
  expect(pick, textOf(found.blocks)).toBeDefined();
  const opened = org.fake.callsOf('views.open').length;
  const click = await org.slack.click(ANA, pick!, {
    channelId: 'C0GENERAL',
    ts: '1.0',
    ephemeral: true,
  });
  expect(click.res.status).toBe(200);
  const call = await org.fake.waitFor(() => org.fake.callsOf('views.open')[opened]);
  expect(call.args.trigger_id).toBe(click.triggerId);
  return { view: call.args.view as Record<string, unknown>, listUrl: click.responseUrl };
}

/** What someone types into the booking modal, in view_submission's state shape. */
export const formValues = (
  title: string,
  attendees: string,
  minutes = '30',
  agenda = 'Budget\nHiring',
) => ({
  title: { type: 'plain_text_input', value: title },
  attendees: { type: 'plain_text_input', value: attendees },
  duration: {
    type: 'static_select',
    selected_option: { text: { type: 'plain_text', text: `${minutes} min` }, value: minutes },
  },
  link: {
    type: 'static_select',
    selected_option: { text: { type: 'plain_text', text: 'No online meeting' }, value: 'none' },
  },
  agenda: { type: 'plain_text_input', value: agenda },
});

/** A person of the demo organization (`quorum demo`) by first name. */
export const demoPerson = (first: string) => DEMO_PEOPLE.find((p) => p.name.startsWith(first))!;

/**
 * The demo organization's four zones in one workspace: Ana adds Lee (U0LEE) and Maya (U0MAYA),
 * who sign in once (from `firstIp` on, so sign-in limits per address never interfere) and join
 * Slack, and all four save the demo's zone and hours.
 */
export async function fourZoneWorkspace(org: SlackOrg, firstIp: number): Promise<void> {
  const browsers: Array<[Browser, string]> = [
    [org.ana, 'Ana'],
    [org.raj, 'Raj'],
  ];
  let ip = firstIp;
  for (const [first, userId] of [
    ['Lee', 'U0LEE'],
    ['Maya', 'U0MAYA'],
  ] as const) {
    const person = demoPerson(first);
    const email = `${first.toLowerCase()}@acme.example`;
    const added = await org.ana.request('/api/admin/people', {
      method: 'POST',
      json: { name: person.name, email, password: PASSWORD },
    });
    expect(added.status).toBe(201);
    const browser = new Browser(org.app.url);
    const signin = await browser.request('/auth/signin', {
      method: 'POST',
      headers: { 'x-forwarded-for': `192.0.2.${ip++}` },
      json: { email, password: PASSWORD },
    });
    expect(signin.status).toBe(200);
    org.fake.addUser({ id: userId, teamId: TEAM, name: person.name, email });
    browsers.push([browser, first]);
  }
  for (const [browser, first] of browsers) {
    const res = await browser.request('/api/me/settings', {
      method: 'PUT',
      json: demoPerson(first).settings,
    });
    expect(res.status).toBe(200);
  }
}
