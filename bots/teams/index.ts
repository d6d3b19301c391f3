// The Teams bot: built from what infra/server gives it. The transport (transport.ts) serves the
// Teams SDK at POST /api/messages; middleware establishes who is asking (middleware/); each
// feature's listener reads the activity, calls the assistant (core/assistant) and renders a card
// (listeners/, render/); the bot's own collections are in store/; the meeting side panel's
// browser code is in panel/.
import { Router } from 'express';
import type { Client as ApiClient } from '@microsoft/teams.api';
import type { ChatAdapterCore } from '../../infra/http/adapter-deps.ts';
import type { TeamsSettings } from './config.ts';
import type { JobDefinition } from '../../core/jobs/registry.ts';
import type { JobRunner } from '../../core/jobs/runner.ts';
import type { Logger } from '../../core/logger.ts';
import type { PollListener } from '../../core/scheduling/polls/poll-listeners.ts';
import { tellChatOfLink } from './listeners/connect.ts';
import { registerListeners } from './listeners/index.ts';
import { teamsLinkRoutes } from './listeners/link.ts';
import { teamsPanelRoutes } from './listeners/panel.ts';
import { teamsPollListener } from './listeners/poll-updates.ts';
import {
  createTranscriptFetcher,
  createTranscriptReader,
  type FetchOutcome,
  type FetchTranscriptData,
} from './listeners/transcripts.ts';
import type { TeamsDeps } from './middleware/context.ts';
import { rememberConversations } from './middleware/conversations.ts';
import { createDirectory, type Directory } from './middleware/directory.ts';
import { teamsLinkKey } from './middleware/link-token.ts';
import { createTokenExchange } from './middleware/sign-in.ts';
import type { plainCard } from './render/card.ts';
import { teamsControlModels } from './store/index.ts';
import type { DeliveryChannel } from '../../core/delivery/index.ts';
import { cardActivity, createSummaryDelivery } from './summaries.ts';
import {
  createTeamsSsoVerifier,
  createTeamsTransport,
  ssoResource,
  type TeamsTransport,
} from './transport.ts';

export { teamsPersonalData } from './listeners/personal-data.ts';
export { teamsNotSetUp } from './not-set-up.ts';

export interface TeamsAdapterDeps extends ChatAdapterCore {
  settings: TeamsSettings;
  /** Enqueues the transcript jobs (any node); worker nodes run them. */
  queue: Pick<JobRunner, 'now' | 'schedule'>;
}

export interface TeamsAdapter {
  /** 'verified' checks every activity's Bot Connector token; 'unauthenticated' is local development. */
  mode: 'verified' | 'unauthenticated';
  /** POST /api/messages and the account-linking pages. */
  router: Router;
  /** Keeps Teams poll cards current when people vote outside Teams, and announces the booking. */
  pollListener: PollListener;
  /** The transcript job, registered with every worker's job registry. */
  jobs: JobDefinition<never>[];
  fetchTranscript(data: FetchTranscriptData): Promise<FetchOutcome>;
  /** Posts one meeting's summary card on request, into its meeting chat or the chat it was booked from. */
  shareSummary(tenantId: string, meetingId: string): Promise<boolean>;
  /** Whether a Microsoft tenant is linked to the organization. */
  installedFor(tenantId: string): Promise<boolean>;
  /** Teams' delivery channel, registered with the outbox consumer (core/delivery). */
  deliveryChannel: DeliveryChannel | undefined;
  /** Proactive message: a card into a conversation where the bot was installed. */
  sendCard(conversationId: string, card: ReturnType<typeof plainCard>): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createTeamsAdapter(deps: TeamsAdapterDeps): TeamsAdapter {
  const { settings, logger } = deps;
  const transport = createTeamsTransport(settings, logger);
  const { app, apiFor } = transport;
  const directory = createDirectory(deps.store);
  const linkKey = teamsLinkKey(deps.serverSecret);
  const teams = teamsDepsOf(deps, directory, linkKey);
  rememberConversations(app, directory);
  registerListeners(app, {
    teams,
    queue: deps.queue,
    exchangeToken: createTokenExchange({ teams, audit: deps.audit.append.bind(deps.audit) }),
  });
  const fetcher = createTranscriptFetcher({
    teams,
    reader: transcriptReaderOf(settings, transport),
    apiFor,
    queue: deps.queue,
  });
  const summaries = deps.meetings
    ? createSummaryDelivery({
        store: deps.store,
        assistant: deps.assistant,
        directory,
        apiFor,
      })
    : undefined;
  return {
    mode: transport.mode,
    router: routerOf(deps, transport, teams),
    pollListener: teamsPollListener(teams, apiFor),
    jobs: [fetcher.job as JobDefinition<never>],
    fetchTranscript: fetcher.run,
    deliveryChannel: summaries?.channel,
    shareSummary: (tenantId, meetingId) =>
      summaries?.postSummary(tenantId, meetingId) ?? Promise.resolve(false),
    installedFor: async (tenantId) => (await directory.msTenantsOf(tenantId)).length > 0,
    sendCard: (conversationId, card) => sendCard(directory, apiFor, conversationId, card),
    async start() {
      await deps.store.ensureControlIndexes(teamsControlModels);
      await app.initialize();
      announceMode(transport, settings, logger);
    },
    async stop() {},
  };
}

/** What every listener works with: the core services, the directory and the sign-in pieces. */
function teamsDepsOf(deps: TeamsAdapterDeps, directory: Directory, linkKey: Uint8Array): TeamsDeps {
  const { settings } = deps;
  const credentials = settings.credentials;
  return {
    assistant: deps.assistant,
    scheduling: deps.scheduling,
    bookings: deps.bookings,
    polls: deps.polls,
    meetings: deps.meetings?.service,
    calendars: deps.calendars,
    logger: deps.logger,
    directory,
    baseUrl: deps.baseUrl,
    linkKey,
    // With credentials the manifest names the app's Application ID URI, so Teams can sign in.
    ...(credentials
      ? {
          sso: {
            resource: ssoResource(new URL(deps.baseUrl).host, credentials.clientId),
            verify: createTeamsSsoVerifier({
              loginUrl: settings.loginUrl,
              clientId: credentials.clientId,
              appTenantId: credentials.tenantId,
              host: new URL(deps.baseUrl).host,
            }),
          },
        }
      : {}),
    once: (kind, key) => deps.replayGuard.firstSighting(kind, key),
  };
}

/** POST /api/messages, the meeting panel and the account-linking pages. */
function routerOf(deps: TeamsAdapterDeps, transport: TeamsTransport, teams: TeamsDeps): Router {
  const credentials = deps.settings.credentials;
  const router = Router();
  router.use(transport.adapter.router);
  router.use(
    teamsPanelRoutes({
      teams,
      loginUrl: deps.settings.loginUrl,
      clientId: credentials?.clientId,
      appTenantId: credentials?.tenantId,
      apiFor: transport.apiFor,
    }),
  );
  router.use(
    teamsLinkRoutes({
      linkKey: teams.linkKey,
      directory: teams.directory,
      audit: deps.audit.append.bind(deps.audit),
      sso: deps.sso,
      calendarProviders: deps.calendars.oauthProviders,
      onLinked: tellChatOfLink({
        directory: teams.directory,
        apiFor: transport.apiFor,
        logger: deps.logger,
      }),
    }),
  );
  return router;
}

function transcriptReaderOf(settings: TeamsSettings, transport: TeamsTransport) {
  const { token } = transport;
  return createTranscriptReader({
    graphUrl: settings.graphUrl,
    token: async () => {
      if (!token)
        throw new Error(
          'Teams transcripts need TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID',
        );
      return token(`${settings.graphUrl}/.default`);
    },
  });
}

/** Proactive message: a card into a conversation where the bot was installed. */
async function sendCard(
  directory: Directory,
  apiFor: (serviceUrl: string) => ApiClient,
  conversationId: string,
  card: ReturnType<typeof plainCard>,
): Promise<void> {
  const conversation = await directory.conversation(conversationId);
  if (!conversation)
    throw new Error(`Quorum was not installed in Teams conversation ${conversationId}`);
  await apiFor(conversation.serviceUrl).conversations.createActivity(
    conversationId,
    cardActivity(card),
  );
}

function announceMode(transport: TeamsTransport, settings: TeamsSettings, logger: Logger): void {
  const credentials = settings.credentials;
  if (transport.mode === 'verified') {
    logger.info(
      { clientId: credentials!.clientId, tenantId: credentials!.tenantId },
      'Teams bot on at POST /api/messages: every activity must carry a valid Bot Connector token',
    );
  } else {
    logger.warn(
      'Teams bot on at POST /api/messages WITHOUT token verification (TEAMS_ALLOW_UNAUTHENTICATED=true): for local development only; anyone who can reach this server can act as any Teams user',
    );
  }
}
