// The organization the storage-rule test runs its routes in: one Quorum with Slack, Teams and
// Zoom on (each pointed at its fake), the driver's command monitoring on, Ana (admin, Berlin)
// and Raj (Kolkata) signed up and in every platform, Mei only in the chat platforms.
//
// Work that runs on its own timers is held off once the start-up runs are over, so that every
// command recorded during a route belongs to that route: Agenda's recurring jobs are disabled
// (the test runs each of them itself, as its own route, the outbox delivery job among them), and
// the Slack delivery sweeper is stopped. Agenda
// keeps polling for due jobs, which touches only its own bounded collections.
import { expect } from 'vitest';
import { startFakeBotConnector } from '../../support/fake-bot-connector.ts';
import { startFakeGraph } from '../../support/fake-graph.ts';
import { SlackSender, startFakeSlack } from '../../support/fake-slack.ts';
import {
  sealAppContext,
  startFakeZoom,
  ZOOM_WEBHOOK_SECRET,
  zoomWebhookHeaders,
} from '../../support/fake-zoom.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { BOT_TOKEN, SIGNING_SECRET, TEAM, type SlackOrg } from '../slack/slack-org.ts';
import { ANA, CHAT, MEI, MS_TENANT, RAJ, type TeamsOrg } from '../teams/teams-org.ts';
import { ANA_ZOOM, type ZoomOrg } from '../zoom/zoom-org.ts';

export const PASSWORD = 'copper-meadow-signal-58';
/** The comment on the test's own database reads, which the recorder leaves out. */
export const PROBE = 'quorum-test:probe';

/** Everything the Slack, Teams and Zoom test helpers expect of their organization. */
export interface StorageOrg extends SlackOrg, TeamsOrg, ZoomOrg {}

let nextIp = 80;
export const freshIp = () => `192.0.2.${nextIp++}`;

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

async function startFakes() {
  const fake = await startFakeSlack();
  fake.tokens.set(TEAM, BOT_TOKEN);
  const connector = await startFakeBotConnector();
  const graph = await startFakeGraph();
  // Graph accepts the tokens the fake Entra issues for Graph (as in teams-org.ts).
  connector.onTokenIssued((token, scope) => {
    if (
      (scope.includes('/.default') && !scope.includes('botframework')) ||
      scope.includes('Calendars.ReadWrite')
    )
      graph.acceptedTokens.add(token);
  });
  const zoom = await startFakeZoom();
  zoom.users.set(ANA_ZOOM.id, ANA_ZOOM);
  return { fake, connector, graph, zoom };
}

type Fakes = Awaited<ReturnType<typeof startFakes>>;

function platformEnv({ fake, connector, graph, zoom }: Fakes): Record<string, string> {
  return {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: fake.apiUrl,
    TEAMS_CLIENT_ID: connector.appId,
    TEAMS_CLIENT_SECRET: connector.appSecret,
    TEAMS_TENANT_ID: MS_TENANT,
    TEAMS_LOGIN_URL: connector.url,
    TEAMS_OPENID_METADATA_URL: connector.openIdMetadataUrl,
    TEAMS_GRAPH_URL: graph.baseUrl,
    ZOOM_CLIENT_ID: zoom.clientId,
    ZOOM_CLIENT_SECRET: zoom.clientSecret,
    ZOOM_WEBHOOK_SECRET_TOKEN: ZOOM_WEBHOOK_SECRET,
    ZOOM_API_URL: zoom.apiUrl,
    ZOOM_OAUTH_URL: zoom.oauthUrl,
    ZOOM_TRANSCRIPT_RETRY_SECONDS: '0.05',
  };
}

/** Ana signs the organization up and adds Raj; both set their working hours. */
async function people(app: TestQuorum): Promise<{ ana: Browser; raj: Browser }> {
  const ana = new Browser(app.url);
  const signup = await ana.request('/auth/signup', {
    method: 'POST',
    headers: { 'x-forwarded-for': freshIp() },
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
  const signin = await raj.request('/auth/signin', {
    method: 'POST',
    headers: { 'x-forwarded-for': freshIp() },
    json: { email: 'raj@acme.example', password: PASSWORD },
  });
  expect(signin.status).toBe(200);
  // Ana works 09–17 in Berlin, Raj 10–18 in Kolkata: they overlap in Berlin's mornings.
  await settings(ana, 'Europe/Berlin', '09:00', '17:00');
  await settings(raj, 'Asia/Kolkata', '10:00', '18:00');
  return { ana, raj };
}

export async function storageOrg(): Promise<StorageOrg> {
  const fakes = await startFakes();
  const { fake, connector, graph, zoom } = fakes;
  const app = await startTestQuorum(platformEnv(fakes), { monitorCommands: true });
  const { ana, raj } = await people(app);
  const tenantId = (await json(ana.request('/api/me'))).tenantId as string;
  fake.addUser({ id: 'U0ANA', teamId: TEAM, name: 'Ana Lopez', email: 'ana@acme.example' });
  fake.addUser({
    id: 'U0RAJ',
    teamId: TEAM,
    name: 'Raj Patel',
    email: 'raj@acme.example',
    tz: 'Asia/Kolkata',
  });
  fake.addUser({ id: 'U0MEI', teamId: TEAM, name: 'Mei Chen', email: 'mei@partner.example' });
  connector.members.set(CHAT, [ANA, RAJ, MEI]);
  await holdOffTimers(app);
  return {
    app,
    fake,
    slack: new SlackSender(app.url, SIGNING_SECRET, fake),
    connector,
    graph,
    zoom,
    ana,
    raj,
    tenantId,
    botId: `28:${connector.appId}`,
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
    context(extra = {}) {
      const now = Date.now();
      return sealAppContext(
        { typ: 'meeting', uid: ANA_ZOOM.id, ts: now, exp: now + 3_600_000, ...extra },
        zoom.clientSecret,
      );
    },
    webhook(body, timestampSeconds) {
      const text = JSON.stringify(body);
      return fetch(`${app.url}/zoom/webhooks`, {
        method: 'POST',
        headers: zoomWebhookHeaders(text, ZOOM_WEBHOOK_SECRET, timestampSeconds),
        body: text,
      });
    },
    async stop() {
      await app.stop();
      await fake.close();
      await connector.close();
      await graph.close();
      await zoom.stop();
    },
  };
}

/** Agenda's collection of jobs, read by the test (marked as its own reads). */
const jobsOf = (app: TestQuorum) => app.quorum.store.control.collection('jobs');

/**
 * Waits until no job runs and none is due within the next minute (retries included), other
 * than a recurring job that has run (the outbox delivery runs every 15 seconds).
 */
export async function jobsSettled(app: TestQuorum, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Jobs the runner took in process (the meeting pipeline's) have no record to count.
    await app.quorum.jobs?.idle();
    const busy =
      (app.quorum.jobs?.inProcess ?? 0) +
      (await jobsOf(app).countDocuments(
        {
          disabled: { $ne: true },
          $or: [
            { lockedAt: { $ne: null } },
            {
              nextRunAt: { $lte: new Date(Date.now() + 60_000) },
              $or: [{ repeatInterval: null }, { lastFinishedAt: null }],
            },
          ],
        },
        { comment: PROBE },
      ));
    if (busy === 0) return;
    if (Date.now() > deadline) throw new Error(`${busy} job(s) still running or due`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Lets the start-up runs of the recurring jobs finish, then disables their schedules and stops
 * the chat adapters' timers: from here on, only what the test starts touches the database.
 */
async function holdOffTimers(app: TestQuorum): Promise<void> {
  await jobsSettled(app);
  const recurring = await jobsOf(app)
    .find({ repeatInterval: { $type: 'string' } }, { projection: { name: 1 }, comment: PROBE })
    .toArray();
  const names = [...new Set(recurring.map((job) => String(job.name)))];
  expect(names.length).toBeGreaterThan(0);
  await app.quorum.jobs!.agenda.disable({ names });
  // The Slack delivery sweeper (every 10 minutes).
  await app.quorum.services.slack!.stop();
  await app.quorum.services.teams!.stop();
}

/**
 * Runs job `name` now on Quorum's own runner and waits until it and every job it set off
 * finished; rejects with the job's failure.
 */
export async function runJob(app: TestQuorum, name: string): Promise<void> {
  const agenda = app.quorum.jobs!.agenda;
  const finished = new Promise<void>((resolve, reject) => {
    const done = () => {
      agenda.off(`fail:${name}`, failed);
      resolve();
    };
    const failed = (error: Error) => {
      agenda.off(`success:${name}`, done);
      reject(error);
    };
    agenda.once(`success:${name}`, done);
    agenda.once(`fail:${name}`, failed);
  });
  await app.quorum.jobs!.now(name);
  await finished;
  await jobsSettled(app);
}

/** Waits until everything a route set off has finished: Slack work, Zoom fetches, jobs. */
export async function settled(org: StorageOrg): Promise<void> {
  await org.app.quorum.services.slack!.idle();
  await org.app.quorum.services.zoom!.idle();
  await jobsSettled(org.app);
}
