// The Slack app: Bolt with Quorum's receiver inside the one HTTP server (or Socket Mode when
// SLACK_APP_TOKEN is set), one workspace from SLACK_BOT_TOKEN or many through the OAuth
// install, the account-linking pages, and the poster of meeting summaries.
import { logFailure } from '../../infra/http/failure-reference.ts';
import { Router } from 'express';
import {
  App,
  ErrorCode,
  SocketModeReceiver,
  webApi,
  type Authorize,
  type Receiver,
} from '@slack/bolt';
import type { ChatAdapterCore } from '../../infra/http/adapter-deps.ts';
import type { SlackSettings } from './config.ts';
import type { Logger } from '../../core/logger.ts';
import type { Envelope } from '../../core/privacy/envelope.ts';
import type { PollListener } from '../../core/scheduling/polls/poll-listeners.ts';
import type { ReplayGuard } from '../../core/webhooks/replay-guard.ts';
import { failed, plain } from './render/notices.ts';
import { boltLogger } from './bolt-logger.ts';
import type { SlackDeps } from './middleware/context.ts';
import { deliveryIdentity } from './delivery.ts';
import { SlackDelivery, createDeliveryLedger, type DeliveryLedger } from './delivery-ledger.ts';
import { registerBooking } from './listeners/book.ts';
import { registerChanges } from './listeners/changes.ts';
import { registerCommands } from './listeners/commands.ts';
import { registerHome } from './listeners/home.ts';
import { registerPolls } from './listeners/polls.ts';
import { registerRotation } from './listeners/rotation.ts';
import { postToResponseUrl } from './listeners/shared.ts';
import { registerShortcut } from './listeners/shortcut.ts';
import { slackInstallRoutes, INSTALL_PATH } from './listeners/install.ts';
import { linkTokenKey } from './middleware/link-token.ts';
import { slackLinkRoutes } from './listeners/link.ts';
import { createSlackPeople } from './middleware/people.ts';
import { SlackUserLink } from './store/people-links.ts';
import { slackPollListener } from './listeners/poll-updates.ts';
import { createSlackPolls } from './store/polls.ts';
import { QuorumSlackReceiver } from './transport.ts';
import type { DeliveryChannel } from '../../core/delivery/index.ts';
import { createSummaryDelivery } from './summaries.ts';
import { createWorkQueue, type WorkQueue } from './middleware/work-queue.ts';
import { SlackWorkspace, createWorkspaces, type Workspaces } from './store/workspaces.ts';

export { slackPersonalData } from './store/people-links.ts';

const BACKGROUND_CONCURRENCY = 4;
const SWEEP_MS = 10 * 60_000;

export interface SlackAdapterDeps extends ChatAdapterCore {
  settings: SlackSettings;
  envelope: Envelope;
}

export interface SlackAdapter {
  transport: 'http' | 'socket';
  /** Keeps Slack poll messages current when guests vote on the web. */
  pollListener: PollListener;
  /** Mounted in Quorum's HTTP app: events (over HTTP), install, account linking. */
  router: Router;
  /** Posts one meeting's summary on request (where it was booked, else to the requester). */
  shareSummary(tenantId: string, meetingId: string, requesterEmail: string): Promise<boolean>;
  /** Whether any Slack workspace belongs to the organization. */
  installedFor(tenantId: string): Promise<boolean>;
  /** Slack's delivery channel, registered with the outbox consumer (core/delivery). */
  deliveryChannel: DeliveryChannel | undefined;
  /** Resolves when no acknowledged request still has work running. */
  idle(): Promise<void>;
  start(options: { events: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** Socket Mode when an app-level token is set; otherwise Slack calls Quorum over HTTP. */
export function slackTransport(settings: Pick<SlackSettings, 'appToken'>): 'http' | 'socket' {
  return settings.appToken ? 'socket' : 'http';
}

export function createSlackAdapter(deps: SlackAdapterDeps): SlackAdapter {
  const { settings, logger } = deps;
  const slackLogger = boltLogger(logger);
  const clientOptions = clientOptionsOf(settings, slackLogger);
  const ledger = createDeliveryLedger(deps.store);
  const transport = slackReceiverOf(settings, ledger, logger, { slackLogger, clientOptions });
  const slackDeps = slackDepsOf(deps, transport.http);
  const app = slackAppOf(deps, transport, slackDeps.workspaces, { slackLogger, clientOptions });
  registerListeners(app, slackDeps);
  const summaries = deps.meetings
    ? createSummaryDelivery({
        store: deps.store,
        assistant: deps.assistant,
        workspaces: slackDeps.workspaces,
        people: slackDeps.people,
        clientFor: (token) => new webApi.WebClient(token, clientOptions),
        logger,
      })
    : undefined;
  const lifecycle = new SlackLifecycle(deps, transport.kind, app, ledger, slackDeps.queue);
  return {
    transport: transport.kind,
    pollListener: slackPollListener({
      polls: deps.polls,
      bookings: deps.bookings,
      slackPolls: slackDeps.slackPolls,
      workspaces: slackDeps.workspaces,
      clientFor: (token: string) => new webApi.WebClient(token, clientOptions),
      once: slackDeps.once,
    }),
    router: routerOf(deps, transport.http, slackDeps, { slackLogger, clientOptions }),
    deliveryChannel: summaries?.channel,
    shareSummary: (tenantId, meetingId, requesterEmail) =>
      summaries?.postSummary(tenantId, meetingId, { dmEmail: requesterEmail }) ??
      Promise.resolve(false),
    installedFor: async (tenantId) => (await slackDeps.workspaces.ofTenant(tenantId)).length > 0,
    idle: () => slackDeps.queue.idle(),
    start: (options) => lifecycle.start(options),
    stop: () => lifecycle.stop(),
  };
}

/** Bolt's logger and the options of every Slack Web API client. */
interface BoltKit {
  slackLogger: ReturnType<typeof boltLogger>;
  clientOptions: webApi.WebClientOptions;
}

function clientOptionsOf(
  settings: SlackSettings,
  slackLogger: BoltKit['slackLogger'],
): webApi.WebClientOptions {
  return {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    logger: slackLogger,
    timeout: 10_000,
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2000 },
  };
}

interface SlackReceiver {
  kind: 'http' | 'socket';
  receiver: Receiver;
  /** Quorum's own receiver, when Slack calls over HTTP. */
  http: QuorumSlackReceiver | undefined;
}

/** Socket Mode's receiver, or Quorum's HTTP receiver with its delivery ledger. */
function slackReceiverOf(
  settings: SlackSettings,
  ledger: DeliveryLedger,
  logger: Logger,
  kit: BoltKit,
): SlackReceiver {
  if (slackTransport(settings) === 'socket') {
    const receiver = new SocketModeReceiver({
      appToken: settings.appToken!,
      logger: kit.slackLogger,
      installerOptions: { clientOptions: kit.clientOptions },
    });
    return { kind: 'socket', receiver, http: undefined };
  }
  const http = new QuorumSlackReceiver({
    signingSecret: settings.signingSecret!,
    ledger,
    logger,
  });
  return { kind: 'http', receiver: http, http };
}

/** What every listener works with: the core services, the workspaces, people and work queue. */
function slackDepsOf(deps: SlackAdapterDeps, httpReceiver: QuorumSlackReceiver | undefined) {
  const { settings, logger } = deps;
  const oneWorkspace =
    settings.workspaces.kind === 'one' ? settings.workspaces.botToken : undefined;
  const workspaces = createWorkspaces({
    store: deps.store,
    envelope: deps.envelope,
    ...(oneWorkspace ? { botToken: oneWorkspace } : {}),
  });
  const queue = createWorkQueue({
    concurrency: BACKGROUND_CONCURRENCY,
    onError: (error) => logger.error({ err: error }, 'Slack background work failed'),
    frontDoorBusy: () => (httpReceiver?.waiting ?? 0) > 0,
  });
  const slackDeps: SlackDeps = {
    scheduling: deps.scheduling,
    bookings: deps.bookings,
    polls: deps.polls,
    meetings: deps.meetings?.service,
    calendars: deps.calendars,
    audit: deps.audit,
    logger,
    workspaces,
    people: createSlackPeople(deps.store),
    assistant: deps.assistant,
    slackPolls: createSlackPolls(deps.store),
    queue,
    baseUrl: deps.baseUrl,
    linkKey: linkTokenKey(deps.serverSecret),
    once: (kind, key) => deps.replayGuard.firstSighting(`slack-${kind}`, key),
  };
  return slackDeps;
}

/** Bolt's App over the receiver: each workspace's credentials, repeat deliveries, failures. */
function slackAppOf(
  deps: SlackAdapterDeps,
  transport: SlackReceiver,
  workspaces: Workspaces,
  kit: BoltKit,
): App {
  const authorize: Authorize<boolean> = async (source) => {
    const teamId = source.teamId ?? '';
    const credentials = await workspaces.credentialsFor(teamId);
    if (!credentials) throw new Error(`Quorum is not installed in Slack workspace ${teamId}`);
    return { ...credentials, teamId };
  };
  const app = new App({
    receiver: transport.receiver,
    authorize,
    logger: kit.slackLogger,
    clientOptions: kit.clientOptions,
    convoStore: false,
    extendedErrorHandler: true,
    ...(transport.kind === 'socket' ? { socketMode: true } : {}),
  });
  if (transport.kind === 'socket') dropRepeatedDeliveries(app, deps.replayGuard);
  app.error(failureReply(deps));
  return app;
}

/** Over HTTP the receiver drops repeated deliveries; over a socket this does. */
function dropRepeatedDeliveries(app: App, replayGuard: ReplayGuard): void {
  app.use(async (args) => {
    const identity = deliveryIdentity(args.body as Record<string, unknown>);
    if (await replayGuard.firstSighting('slack-delivery', identity)) {
      await args.next();
      return;
    }
    if ('ack' in args && typeof args.ack === 'function') await args.ack();
  });
}

/** Logs a failed event and tells the person, when Slack gave a place to answer. */
function failureReply(deps: SlackAdapterDeps) {
  return async ({ error, body }: { error: Error & { code?: string }; body: unknown }) => {
    const notInstalled = error.code === ErrorCode.AuthorizationError;
    const reference = logFailure(deps.logger, error, 'Slack event failed');
    const responseUrl = (body as { response_url?: unknown } | undefined)?.response_url;
    if (typeof responseUrl !== 'string') return;
    const message = notInstalled
      ? plain(
          `Quorum is not installed in this Slack workspace (any more). An administrator adds it at ${deps.baseUrl}${INSTALL_PATH}.`,
        )
      : failed(reference);
    await postToResponseUrl(responseUrl, {
      response_type: 'ephemeral',
      replace_original: false,
      ...message,
    }).catch(() => {});
  };
}

function registerListeners(app: App, slackDeps: SlackDeps): void {
  registerCommands(app, slackDeps);
  registerBooking(app, slackDeps);
  registerRotation(app, slackDeps);
  registerChanges(app, slackDeps);
  registerPolls(app, slackDeps);
  registerShortcut(app, slackDeps);
  registerHome(app, slackDeps);
}

/** POST /slack/events (over HTTP), the account-linking pages and the OAuth install. */
function routerOf(
  deps: SlackAdapterDeps,
  http: QuorumSlackReceiver | undefined,
  slackDeps: SlackDeps,
  kit: BoltKit,
): Router {
  const { settings } = deps;
  const router = Router();
  if (http) router.use(http.router);
  router.use(
    slackLinkRoutes({
      linkKey: slackDeps.linkKey,
      workspaces: slackDeps.workspaces,
      people: slackDeps.people,
      audit: deps.audit.append.bind(deps.audit),
      sso: deps.sso,
      calendarProviders: deps.calendars.oauthProviders,
    }),
  );
  if (settings.workspaces.kind === 'many') {
    router.use(
      slackInstallRoutes({
        ...settings.workspaces,
        baseUrl: deps.baseUrl,
        workspaces: slackDeps.workspaces,
        audit: deps.audit.append.bind(deps.audit),
        logger: kit.slackLogger,
        clientOptions: kit.clientOptions,
      }),
    );
  }
  return router;
}

/** Start and stop: indexes, the ledger's sweeper, the Socket Mode connection, pending work. */
class SlackLifecycle {
  readonly #deps: SlackAdapterDeps;
  readonly #transport: 'http' | 'socket';
  readonly #app: App;
  readonly #ledger: DeliveryLedger;
  readonly #queue: WorkQueue;
  #sweeper: NodeJS.Timeout | undefined;
  #started = false;

  constructor(
    deps: SlackAdapterDeps,
    transport: 'http' | 'socket',
    app: App,
    ledger: DeliveryLedger,
    queue: WorkQueue,
  ) {
    this.#deps = deps;
    this.#transport = transport;
    this.#app = app;
    this.#ledger = ledger;
    this.#queue = queue;
  }

  async start(options: { events: boolean }): Promise<void> {
    const logger = this.#deps.logger;
    await this.#deps.store.ensureControlIndexes([SlackWorkspace, SlackUserLink, SlackDelivery]);
    if (options.events && this.#transport === 'http') {
      this.#sweeper = setInterval(() => {
        this.#ledger
          .sweep()
          .catch((error: unknown) =>
            logger.warn({ err: error }, 'old Slack deliveries not removed now'),
          );
      }, SWEEP_MS);
      this.#sweeper.unref();
    }
    if (options.events && this.#transport === 'socket') {
      try {
        await this.#app.start();
        this.#started = true;
      } catch (error) {
        logger.error({ err: error }, 'Slack Socket Mode could not connect');
      }
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    if (this.#started) await this.#app.stop();
    this.#started = false;
    await this.#queue.idle();
  }
}
