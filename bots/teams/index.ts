// The Teams bot, on the Teams SDK (@microsoft/teams.apps): served by Quorum's one HTTP server
// at POST /api/messages through the SDK's HTTP adapter seam, with the SDK validating the Bot
// Connector's token on every activity (or, in local development with
// TEAMS_ALLOW_UNAUTHENTICATED=true and no credentials, accepting activities unsigned).
// Replies go to the activity's own service URL, which the SDK checks against the token's claim.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { App } from '@microsoft/teams.apps';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { PUBLIC, withOverrides, type Client as ApiClient } from '@microsoft/teams.api';
import type { CalendarConnections } from '../../core/calendars/connections/connections.ts';
import type { TeamsSettings } from './config.ts';
import type { SsoProviderId } from '../../core/identity/oidc.ts';
import type { JobDefinition } from '../../core/jobs/registry.ts';
import type { JobRunner } from '../../core/jobs/runner.ts';
import type { Logger } from '../../core/logger.ts';
import type { Meetings } from '../../core/meetings/index.ts';
import type { AuditLog } from '../../core/privacy/audit-log.ts';
import { ExpiringLru } from '../../core/privacy/expiring-lru.ts';
import type { BookingService } from '../../core/scheduling/booking/booking-service.ts';
import type { SchedulingDeps } from '../../core/scheduling/find-times.ts';
import type { PollListener } from '../../core/scheduling/polls/poll-listeners.ts';
import type { PollService } from '../../core/scheduling/polls/poll-service.ts';
import type { Store } from '../../core/store/store.ts';
import type { ReplayGuard } from '../../core/webhooks/replay-guard.ts';
import { runAction, type ActionResult } from './actions.ts';
import { createAppTokenProvider } from './app-token.ts';
import { CARD_CONTENT_TYPE, plainCard } from './cards.ts';
import { answerCommand, commandText } from './commands.ts';
import { msTenantOf, whoIsAsking, type TeamsDeps } from './context.ts';
import type { TeamsActivity as Activity } from './context.ts';
import { createDirectory } from './directory.ts';
import { QuorumTeamsAdapter } from './http-adapter.ts';
import { teamsLinkKey, teamsLinkRoutes } from './link.ts';
import {
  createTranscriptFetcher,
  meetingEnded,
  meetingStarted,
  type FetchOutcome,
  type FetchTranscriptData,
} from './meetings.ts';
import { TeamsMeeting, TeamsPoll, TeamsProposal, teamsControlModels } from './models.ts';
import { teamsPanelRoutes } from './panel-routes.ts';
import { teamsPollListener } from './poll-updates.ts';
import { sdkLogger } from './sdk-logger.ts';
import { sendPrivately } from './private-message.ts';
import { connectedCard, createTokenExchange } from './sign-in.ts';
import { createTeamsSsoVerifier, ssoResource } from './sso-token.ts';
import { cardActivity, createSummaryDelivery } from './summaries.ts';
import { createTranscriptReader } from './transcripts.ts';

export { teamsPersonalData } from './directory.ts';

const SUMMARY_POLL_MS = 15_000;

export interface TeamsAdapterDeps {
  settings: TeamsSettings;
  baseUrl: string;
  store: Store;
  logger: Logger;
  audit: AuditLog;
  replayGuard: ReplayGuard;
  scheduling: SchedulingDeps;
  bookings: BookingService;
  polls: PollService;
  meetings: Meetings | undefined;
  calendars: CalendarConnections;
  /** Enqueues the transcript jobs (any node); worker nodes run them. */
  queue: Pick<JobRunner, 'now' | 'schedule'>;
  serverSecret: Uint8Array;
  sso: readonly SsoProviderId[];
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
  /** Posts the meeting summaries waiting in the outbox; returns how many were handled. */
  deliverSummaries(): Promise<number>;
  /** Proactive message: a card into a conversation where the bot was installed. */
  sendCard(conversationId: string, card: ReturnType<typeof plainCard>): Promise<void>;
  start(options: { summaries: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export function createTeamsAdapter(deps: TeamsAdapterDeps): TeamsAdapter {
  const { settings, logger } = deps;
  const credentials = settings.credentials;
  const mode = credentials ? 'verified' : 'unauthenticated';
  const cloud = withOverrides(PUBLIC, {
    loginEndpoint: settings.loginUrl,
    openIdMetadataUrl: settings.openIdMetadataUrl,
  });
  const token = credentials
    ? createAppTokenProvider({ loginUrl: settings.loginUrl, ...credentials })
    : undefined;
  const adapter = new QuorumTeamsAdapter();
  const app = new App({
    // Explicit values throughout, so the SDK's own environment fallbacks (CLIENT_ID, SERVICE_URL,
    // DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS, CLOUD …) never change what Quorum configured.
    clientId: credentials?.clientId ?? '',
    clientSecret: '',
    tenantId: credentials?.tenantId ?? '',
    ...(token
      ? { token: (scope: string | string[], tenantId?: string) => token(scope, tenantId) }
      : {}),
    dangerouslyAllowUnauthenticatedRequests: !credentials,
    httpServerAdapter: adapter,
    messagingEndpoint: '/api/messages',
    cloud,
    serviceUrl: 'https://smba.trafficmanager.net/teams',
    logger: sdkLogger(logger),
    state: false,
    telemetry: { agent365: false },
  });
  const apiFor = (serviceUrl: string): ApiClient => app.api.clone({ serviceUrl });

  const directory = createDirectory(deps.store);
  const linkKey = teamsLinkKey(deps.serverSecret);
  const teamsDeps: TeamsDeps = {
    scheduling: deps.scheduling,
    bookings: deps.bookings,
    polls: deps.polls,
    meetings: deps.meetings?.service,
    calendars: deps.calendars,
    logger,
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
  const exchangeToken = createTokenExchange({
    teams: teamsDeps,
    audit: deps.audit.append.bind(deps.audit),
  });

  // Conversation references, for proactive messages: remembered as activities arrive.
  const remembered = new ExpiringLru<true>({ max: 10_000, ttlMs: 10 * 60_000 });
  app.use(async (context) => {
    const activity = context.activity as Activity;
    const msTenantId = msTenantOf(activity);
    const conversationId = activity.conversation?.id;
    if (msTenantId && conversationId && !remembered.get(conversationId)) {
      const tenantId = await directory.tenantOf(msTenantId);
      if (tenantId) {
        await directory.rememberConversation({
          _id: conversationId,
          msTenantId,
          tenantId,
          serviceUrl: context.ref.serviceUrl,
          conversationType: activity.conversation.conversationType ?? 'personal',
          botId: activity.recipient.id,
        });
        remembered.set(conversationId, true);
      }
    }
    return context.next();
  });

  /** What the person sees when Quorum failed: a reference to quote, never the error itself. */
  function failure(error: unknown): string {
    const reference = randomUUID().slice(0, 8);
    logger.error({ err: error, reference }, 'Teams activity failed');
    return `Something went wrong on Quorum's side. Try again in a moment; if it keeps happening, give your administrator the reference ${reference}.`;
  }

  /** Replaces a card everyone sees by updating its message; the clicker gets it either way. */
  async function replaceForEveryone(api: ApiClient, activity: Activity, result: ActionResult) {
    if (result.kind !== 'card' || !result.everyone || !activity.replyToId) return;
    await api.conversations
      .updateActivity(activity.conversation.id, activity.replyToId, cardActivity(result.card))
      .catch((error: unknown) =>
        logger.warn({ err: error }, 'Teams card not updated for everyone'),
      );
  }

  app.on('message', async (context) => {
    try {
      const activity = context.activity as Activity;
      const value = activity.value as { verb?: unknown } | undefined;
      // An Action.Submit (the fallback of Action.Execute) arrives as a message carrying its data.
      if (
        value &&
        typeof value === 'object' &&
        typeof value.verb === 'string' &&
        !activity.text?.trim()
      ) {
        const result = await runAction(teamsDeps, activity, context.api, value.verb, value);
        if (result.kind === 'message') {
          await context.send(result.text);
          return;
        }
        if (activity.replyToId) {
          await context.api.conversations.updateActivity(
            activity.conversation.id,
            activity.replyToId,
            cardActivity(result.card),
          );
        } else {
          await context.send(cardActivity(result.card));
        }
        return;
      }
      const text = commandText(activity);
      const answer = await answerCommand(teamsDeps, activity, text, () =>
        whoIsAsking(teamsDeps, activity, context.api),
      );
      if (answer.kind === 'activity') {
        await context.send(answer.activity);
        return;
      }
      const sent = await context.send(cardActivity(answer.card));
      if (answer.kind === 'poll') {
        const who = await whoIsAsking(teamsDeps, activity, context.api);
        if (who.ok) {
          const Polls = await deps.store.tenantModel(who.asker.ctx, TeamsPoll);
          await Polls.updateOne({ _id: answer.pollId }, { $set: { activityId: sent.id } });
        }
        if (answer.links) {
          if (activity.conversation.conversationType === 'personal') {
            await context.send(cardActivity(answer.links));
          } else if (!(await sendPrivately(context.api, activity, answer.links))) {
            await context.send(
              cardActivity(
                plainCard(
                  'I could not send you the guest voting links in private: Teams did not let me start a chat with you. Add Quorum as a personal app (Apps → Quorum → Add) and make the poll in your chat with me.',
                ),
              ),
            );
          }
        }
      }
    } catch (error) {
      await context.send(cardActivity(plainCard(failure(error)))).catch(() => undefined);
    }
  });

  app.on('card.action', async (context) => {
    try {
      const activity = context.activity as Activity;
      const action = (activity.value as { action?: { verb?: unknown; data?: unknown } } | undefined)
        ?.action;
      const result = await runAction(
        teamsDeps,
        activity,
        context.api,
        typeof action?.verb === 'string' ? action.verb : '',
        action?.data,
      );
      if (result.kind === 'message') {
        return {
          statusCode: 200 as const,
          type: 'application/vnd.microsoft.activity.message' as const,
          value: result.text,
        };
      }
      await replaceForEveryone(context.api, activity, result);
      // Quorum's cards are plain Adaptive Card JSON; the SDK's type is its builder's interface.
      return {
        statusCode: 200 as const,
        type: CARD_CONTENT_TYPE,
        value: result.card as unknown as IAdaptiveCard,
      };
    } catch (error) {
      return {
        statusCode: 200 as const,
        type: 'application/vnd.microsoft.activity.message' as const,
        value: failure(error),
      };
    }
  });

  // Teams SSO: the silent exchange of a "connect" OAuth card (replaces the SDK's default, which
  // hands the token to the Bot Framework token service; Quorum keeps its own grants).
  app.on('signin.token-exchange', async (context) => {
    try {
      const outcome = await exchangeToken(context.activity as Activity);
      if (outcome.connected) await context.send(cardActivity(connectedCard(outcome.connected)));
      return outcome.response;
    } catch (error) {
      await context.send(cardActivity(plainCard(failure(error)))).catch(() => undefined);
      return { status: 500 };
    }
  });

  app.on('meetingStart', async (context) => {
    const activity = context.activity as Activity;
    const card = await meetingStarted(teamsDeps, activity, context.api);
    if (card) await context.send(cardActivity(card, 'Agenda'));
  });

  app.on('meetingEnd', async (context) => {
    await meetingEnded(teamsDeps, context.activity as Activity, context.api, deps.queue);
  });

  app.on('install.add', async (context) => {
    await context.send(
      cardActivity(
        plainCard(
          'Hi, I am Quorum. I find times that work for everyone, book them, and post agendas and summaries in meetings. Send "help" to see how.',
        ),
      ),
    );
  });

  const reader = createTranscriptReader({
    graphUrl: settings.graphUrl,
    token: async () => {
      if (!token)
        throw new Error(
          'Teams transcripts need TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID',
        );
      return token(`${settings.graphUrl}/.default`);
    },
  });
  const fetcher = createTranscriptFetcher({ teams: teamsDeps, reader, apiFor, queue: deps.queue });

  const summaries = deps.meetings
    ? createSummaryDelivery({
        store: deps.store,
        outbox: deps.meetings.outbox,
        meetings: deps.meetings.service,
        bookings: deps.bookings,
        directory,
        scheduling: deps.scheduling,
        apiFor,
        logger,
      })
    : undefined;

  const router = Router();
  router.use(adapter.router);
  router.use(
    teamsPanelRoutes({
      teams: teamsDeps,
      loginUrl: settings.loginUrl,
      clientId: credentials?.clientId,
      appTenantId: credentials?.tenantId,
      apiFor,
    }),
  );
  router.use(
    teamsLinkRoutes({
      linkKey,
      directory,
      audit: deps.audit.append.bind(deps.audit),
      sso: deps.sso,
      calendarProviders: deps.calendars.oauthProviders,
      // The OAuth card's way in ends on Quorum's page: the chat it started from hears of it.
      async onLinked(claims, email) {
        if (!claims.conversationId) return;
        try {
          const conversation = await directory.conversation(claims.conversationId);
          if (conversation?.msTenantId !== claims.msTenantId) return;
          await apiFor(conversation.serviceUrl).conversations.createActivity(
            conversation._id,
            cardActivity(connectedCard({ email, calendar: null, name: claims.name })),
          );
        } catch (error) {
          logger.warn({ err: error }, 'Teams chat not told of a new link');
        }
      },
    }),
  );

  let poller: NodeJS.Timeout | undefined;
  return {
    mode,
    router,
    pollListener: teamsPollListener(teamsDeps, apiFor),
    jobs: [fetcher.job as JobDefinition<never>],
    fetchTranscript: fetcher.run,
    deliverSummaries: () => summaries?.deliver() ?? Promise.resolve(0),
    shareSummary: (tenantId, meetingId) =>
      summaries?.postSummary(tenantId, meetingId) ?? Promise.resolve(false),
    installedFor: async (tenantId) => (await directory.msTenantsOf(tenantId)).length > 0,
    async sendCard(conversationId, card) {
      const conversation = await directory.conversation(conversationId);
      if (!conversation)
        throw new Error(`Quorum was not installed in Teams conversation ${conversationId}`);
      await apiFor(conversation.serviceUrl).conversations.createActivity(
        conversationId,
        cardActivity(card),
      );
    },
    async start(options) {
      await deps.store.ensureControlIndexes(teamsControlModels);
      void TeamsMeeting;
      void TeamsProposal;
      await app.initialize();
      if (mode === 'verified') {
        logger.info(
          { clientId: credentials!.clientId, tenantId: credentials!.tenantId },
          'Teams bot on at POST /api/messages: every activity must carry a valid Bot Connector token',
        );
      } else {
        logger.warn(
          'Teams bot on at POST /api/messages WITHOUT token verification (TEAMS_ALLOW_UNAUTHENTICATED=true): for local development only; anyone who can reach this server can act as any Teams user',
        );
      }
      if (options.summaries && summaries) {
        poller = setInterval(() => {
          summaries
            .deliver()
            .catch((error: unknown) =>
              logger.warn({ err: error }, 'Teams summaries could not be delivered now'),
            );
        }, SUMMARY_POLL_MS);
        poller.unref();
      }
    },
    async stop() {
      clearInterval(poller);
      poller = undefined;
    },
  };
}
