// Builds and starts the adapters whose settings are set (Slack, Zoom, Teams) over the core
// services, and registers what they contribute back (poll listeners, shutdown with the database
// connection).
import type { SsoProviderId } from '../../core/identity/oidc.ts';
import type { PollListeners } from '../../core/scheduling/polls/poll-listeners.ts';
import type { JobRunner } from '../../core/jobs/runner.ts';
import type { SessionService } from '../../core/identity/sessions.ts';
import { createSlackAdapter, type SlackAdapter } from '../../bots/slack/index.ts';
import {
  createZoomAdapter,
  type createZoomLinks,
  type ZoomAdapter,
} from '../../addins/zoom/index.ts';
import { createTeamsAdapter, type TeamsAdapter } from '../../bots/teams/index.ts';
import type { Services } from './services.ts';

/** What the adapters are built from: the core services, and what only the server holds. */
export type AdapterContext = Pick<
  Services,
  | 'config'
  | 'store'
  | 'logger'
  | 'envelope'
  | 'audit'
  | 'replayGuard'
  | 'calendarConnections'
  | 'calendarFor'
  | 'bookings'
  | 'polls'
  | 'meetings'
  | 'assistant'
  | 'stateSecret'
> & {
  sessions: SessionService;
  queue: JobRunner;
  pollListeners: PollListeners;
  sso: SsoProviderId[];
  zoomLinks: ReturnType<typeof createZoomLinks> | undefined;
};

export interface Adapters {
  slack: SlackAdapter | undefined;
  zoom: ZoomAdapter | undefined;
  teams: TeamsAdapter | undefined;
}

export async function startAdapters(context: AdapterContext): Promise<Adapters> {
  return {
    slack: await startSlack(context),
    zoom: await startZoom(context),
    teams: await startTeams(context),
  };
}

/** What both chat bots (Slack, Teams) are built from. */
function botDeps(context: AdapterContext) {
  const { config, store, calendarFor, calendarConnections } = context;
  return {
    baseUrl: config.baseUrl,
    store,
    logger: context.logger,
    audit: context.audit,
    replayGuard: context.replayGuard,
    scheduling: { store, calendarFor, onProviderError: calendarConnections.onProviderError },
    bookings: context.bookings,
    polls: context.polls,
    meetings: context.meetings,
    assistant: context.assistant,
    calendars: calendarConnections,
    serverSecret: context.stateSecret,
    sso: context.sso,
  };
}

async function startSlack(context: AdapterContext): Promise<SlackAdapter | undefined> {
  const { config, store } = context;
  if (!config.slack) return undefined;
  const slack = createSlackAdapter({
    ...botDeps(context),
    settings: config.slack,
    envelope: context.envelope,
  });
  context.pollListeners.add('slack', slack.pollListener);
  await slack.start({ events: config.servesHttp });
  // Its timers and socket end with the database connection, when Quorum stops.
  store.connection.once('close', () => void slack.stop());
  return slack;
}

async function startZoom(context: AdapterContext): Promise<ZoomAdapter | undefined> {
  const { config, store, zoomLinks } = context;
  if (!config.zoom || !zoomLinks) return undefined;
  const zoom = createZoomAdapter(
    {
      settings: config.zoom,
      baseUrl: config.baseUrl,
      store,
      envelope: context.envelope,
      sessions: context.sessions,
      audit: context.audit.append.bind(context.audit),
      replayGuard: context.replayGuard,
      meetings: context.meetings.service,
      queue: context.queue,
      logger: context.logger,
    },
    zoomLinks,
  );
  await zoom.start();
  store.connection.once('close', () => void zoom.stop());
  return zoom;
}

async function startTeams(context: AdapterContext): Promise<TeamsAdapter | undefined> {
  const { config, store } = context;
  if (!config.teams) return undefined;
  const teams = createTeamsAdapter({
    ...botDeps(context),
    settings: config.teams,
    queue: context.queue,
  });
  context.pollListeners.add('teams', teams.pollListener);
  await teams.start();
  store.connection.once('close', () => void teams.stop());
  return teams;
}
