// Builds the core services once, from configuration, for the HTTP app and the jobs.
import {
  createCalendarConnections,
  type CalendarConnections,
} from '../../core/calendars/connections/connections.ts';
import {
  createCalendarOAuthClient,
  type CalendarOAuthClient,
} from '../../core/calendars/connections/oauth-client.ts';
import { createApiKeyService, type ApiKeyService } from '../../core/identity/api-keys.ts';
import { createOidcClient, type OidcClient, type SsoProviderId } from '../../core/identity/oidc.ts';
import { identitySection, type PersonalDataSection } from '../../core/identity/personal-data.ts';
import { identityModels } from '../../core/identity/models.ts';
import { createSessionService, type SessionService } from '../../core/identity/sessions.ts';
import {
  createSignInLimiter,
  SignInAttempt,
  type SignInLimiter,
} from '../../core/identity/sign-in-limiter.ts';
import type { Config } from './config.ts';
import type { Logger } from '../../core/logger.ts';
import { createAuditLog, type AuditLog } from '../../core/privacy/audit-log.ts';
import {
  createDeletionCertificates,
  type DeletionCertificates,
  type ScrubbableStorage,
} from '../../core/privacy/deletion-certificates.ts';
import { createEnvelope, type Envelope } from '../../core/privacy/envelope.ts';
import type { KeyProvider } from '../../core/privacy/key-provider.ts';
import { loadSigningKey, type SigningKey } from '../../core/privacy/signing-key.ts';
import type { Store } from '../../core/store/store.ts';
import {
  createReplayGuard,
  replayGuardModels,
  type ReplayGuard,
} from '../../core/webhooks/replay-guard.ts';
import type { ZoomMeetings } from '../../core/scheduling/booking/booking-service.ts';
import {
  createBookingService,
  type BookingService,
} from '../../core/scheduling/booking/booking-service.ts';
import type { CalendarResolver } from '../../core/scheduling/people.ts';
import { createPollListeners } from '../../core/scheduling/polls/poll-listeners.ts';
import { createPollService, type PollService } from '../../core/scheduling/polls/poll-service.ts';
import {
  BookingPage,
  createAttemptLimiter,
  createBookingPagesService,
  type AttemptLimiter,
  type BookingPagesService,
} from '../../core/scheduling/booking-pages/index.ts';
import { loadServerSecrets } from '../local/secrets.ts';
import { createCalendarVendors } from '../providers/calendars.ts';
import { createCloudEngines } from '../providers/engines.ts';
import { openKeyProvider } from '../providers/keys.ts';
import {
  createSlackAdapter,
  slackPersonalData,
  type SlackAdapter,
} from '../../bots/slack/index.ts';
import {
  createZoomAdapter,
  createZoomLinks,
  zoomPersonalData,
  type ZoomAdapter,
} from '../../addins/zoom/index.ts';
import {
  createTeamsAdapter,
  teamsPersonalData,
  type TeamsAdapter,
} from '../../bots/teams/index.ts';
import path from 'node:path';
import { createExtractiveSummarizer } from '../../core/ai/index.ts';
import { createJobRunner } from '../../core/jobs/runner.ts';
import { JobRegistry } from '../../core/jobs/registry.ts';
import { createMeetings, type Meetings } from '../../core/meetings/index.ts';
import {
  createCaptionsTranscriber,
  createPocketsphinxTranscriber,
} from '../../core/speech/index.ts';

export interface Services {
  config: Config;
  store: Store;
  logger: Logger;
  keys: KeyProvider;
  envelope: Envelope;
  audit: AuditLog;
  signingKey: SigningKey;
  certificates: DeletionCertificates;
  sessions: SessionService;
  apiKeys: ApiKeyService;
  limiter: SignInLimiter;
  replayGuard: ReplayGuard;
  sso: Partial<Record<SsoProviderId, OidcClient>>;
  stateSecret: Uint8Array;
  personalData: PersonalDataSection[];
  calendarConnections: CalendarConnections;
  calendarFor: CalendarResolver;
  bookings: BookingService;
  polls: PollService;
  /** Public booking pages, and the limit on guests' booking attempts per address. */
  bookingPages: BookingPagesService;
  bookingLimiter: AttemptLimiter;
  meetings: Meetings;
  /** The Slack app, when its settings are set. */
  slack: SlackAdapter | undefined;
  /** The Zoom App, when its settings are set. */
  zoom: ZoomAdapter | undefined;
  /** Zoom meetings made with a person's Zoom grant, when Zoom is set up. */
  zoomMeetings: ZoomMeetings | undefined;
  /** The Teams bot, when its settings are set. */
  teams: TeamsAdapter | undefined;
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

export async function createServices(
  config: Config,
  store: Store,
  logger: Logger,
  /** The database's files, scrubbed before each deletion certificate (DatabaseHandle.scrub). */
  storage: ScrubbableStorage,
): Promise<Services> {
  await store.ensureControlIndexes([
    ...identityModels,
    SignInAttempt,
    ...replayGuardModels,
    BookingPage,
  ]);
  const secrets = await loadServerSecrets({
    dataDir: config.dataDir,
    sessionSecret: config.sessionSecret,
    apiKeyPepper: config.apiKeyPepper,
  });
  const keys = await openKeyProvider(config);
  const signingKey = await loadSigningKey(
    config.signingKeyPem ? { pem: config.signingKeyPem } : { dataDir: config.dataDir },
  );
  const sso: Partial<Record<SsoProviderId, OidcClient>> = {};
  // The calendar grant uses the same OAuth clients as sign-in, as a separate request.
  const calendarOAuth: Partial<Record<SsoProviderId, CalendarOAuthClient>> = {};
  for (const id of ['google', 'microsoft'] as const) {
    const settings = config.sso[id];
    if (!settings) continue;
    calendarOAuth[id] = createCalendarOAuthClient({
      provider: id,
      issuer: new URL(settings.issuer),
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      allowInsecureRequests: settings.issuer.startsWith('http://') && isLoopback(settings.issuer),
    });
    sso[id] = createOidcClient({
      id,
      issuer: new URL(settings.issuer),
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      // Plain http is accepted only from an issuer on this machine (development and tests).
      allowInsecureRequests: settings.issuer.startsWith('http://') && isLoopback(settings.issuer),
    });
  }
  const audit = createAuditLog({ store });
  const envelope = createEnvelope({ store, keys });
  // Calendars connected through Teams SSO are granted to the Teams app (on-behalf-of), so their
  // refreshes go to it, at the bot's own tenant.
  const teamsCredentials = config.teams?.credentials;
  const delegated: Record<string, CalendarOAuthClient> = {};
  if (config.teams && teamsCredentials) {
    delegated.teams = createCalendarOAuthClient({
      provider: 'microsoft',
      issuer: new URL(`${config.teams.loginUrl}/${teamsCredentials.tenantId}/v2.0`),
      clientId: teamsCredentials.clientId,
      clientSecret: teamsCredentials.clientSecret,
    });
  }
  const calendarConnections = createCalendarConnections({
    store,
    envelope,
    caldavAllowPrivateNetworks: config.caldavAllowPrivateNetworks,
    oauth: calendarOAuth,
    delegated,
    // One Microsoft Graph root for the deployment (the public one, or a national cloud's).
    vendors: createCalendarVendors(
      config.teams ? { apiRoots: { microsoft: config.teams.graphUrl } } : {},
    ),
    logger,
  });
  // A person's connected calendar; until they connect one, the local one in Quorum's database.
  const calendarFor: CalendarResolver = (ctx, user) => calendarConnections.calendarFor(ctx, user);
  // Zoom meetings as booking links, with the organizer's Zoom grant, when Zoom is set up.
  const zoomLinks = config.zoom
    ? createZoomLinks({ settings: config.zoom, store, envelope, logger })
    : undefined;
  const bookings = createBookingService({
    store,
    calendarFor,
    audit,
    onProviderError: calendarConnections.onProviderError,
    ...(zoomLinks ? { zoom: zoomLinks.meetingLinks } : {}),
  });
  const certificates = createDeletionCertificates({
    store,
    storage,
    signingKey,
    issuer: config.baseUrl,
  });
  // Enqueues meeting jobs from any node; only worker nodes' own runner processes them.
  const queue = createJobRunner({ store, registry: new JobRegistry(), logger });
  const workRoot = path.join(config.dataDir, 'meetings', 'work');
  const cloudEngines = await createCloudEngines(config, workRoot);
  const meetings = await createMeetings({
    store,
    envelope,
    certificates,
    audit,
    summarizer: createExtractiveSummarizer(),
    summarizers: cloudEngines.summarizers,
    transcribers: [
      createCaptionsTranscriber(),
      createPocketsphinxTranscriber({ tempRoot: workRoot }),
      ...cloudEngines.transcribers,
    ],
    queue,
    dataDir: config.dataDir,
    liveChunkSeconds: config.liveChunkSeconds,
  });
  // Adapters that show polls register here when they are built, below.
  const pollListeners = createPollListeners((error, listener) =>
    logger.warn({ err: error, listener }, 'a poll update could not be delivered'),
  );
  const polls = createPollService({
    store,
    bookings,
    linkSecret: secrets.sessionSecret,
    baseUrl: config.baseUrl,
    notify: pollListeners.notify,
    changed: pollListeners.changed,
  });
  const bookingPages = createBookingPagesService({
    store,
    scheduling: { store, calendarFor, onProviderError: calendarConnections.onProviderError },
    bookings,
    linkSecret: secrets.sessionSecret,
    baseUrl: config.baseUrl,
  });
  const replayGuard = createReplayGuard(store);
  const sessions = createSessionService({ store, secret: secrets.sessionSecret });
  const slack = config.slack
    ? createSlackAdapter({
        settings: config.slack,
        baseUrl: config.baseUrl,
        store,
        envelope,
        logger,
        audit,
        replayGuard,
        scheduling: { store, calendarFor, onProviderError: calendarConnections.onProviderError },
        bookings,
        polls,
        meetings,
        calendars: calendarConnections,
        serverSecret: secrets.sessionSecret,
        sso: Object.keys(sso) as SsoProviderId[],
      })
    : undefined;
  if (slack) pollListeners.add('slack', slack.pollListener);
  await slack?.start({ events: config.servesHttp, summaries: config.runsJobs });
  // Its timers and socket end with the database connection, when Quorum stops.
  if (slack) store.connection.once('close', () => void slack.stop());
  const zoom =
    config.zoom && zoomLinks
      ? createZoomAdapter(
          {
            settings: config.zoom,
            baseUrl: config.baseUrl,
            store,
            envelope,
            sessions,
            audit: audit.append.bind(audit),
            replayGuard,
            meetings: meetings.service,
            queue,
            logger,
          },
          zoomLinks,
        )
      : undefined;
  await zoom?.start();
  if (zoom) store.connection.once('close', () => void zoom.stop());
  const teams = config.teams
    ? createTeamsAdapter({
        settings: config.teams,
        baseUrl: config.baseUrl,
        store,
        logger,
        audit,
        replayGuard,
        scheduling: { store, calendarFor, onProviderError: calendarConnections.onProviderError },
        bookings,
        polls,
        meetings,
        calendars: calendarConnections,
        queue,
        serverSecret: secrets.sessionSecret,
        sso: Object.keys(sso) as SsoProviderId[],
      })
    : undefined;
  if (teams) pollListeners.add('teams', teams.pollListener);
  await teams?.start({ summaries: config.runsJobs });
  if (teams) store.connection.once('close', () => void teams.stop());
  return {
    config,
    store,
    logger,
    keys,
    envelope,
    audit,
    signingKey,
    certificates,
    sessions,
    apiKeys: createApiKeyService({ store, pepper: secrets.apiKeyPepper }),
    limiter: createSignInLimiter(store),
    replayGuard,
    sso,
    stateSecret: secrets.sessionSecret,
    personalData: [
      calendarConnections.personalDataSection(),
      meetings.personalData,
      slackPersonalData(store),
      zoomPersonalData(store),
      teamsPersonalData(store),
      identitySection(store),
    ],
    calendarConnections,
    calendarFor,
    bookings,
    polls,
    bookingPages,
    bookingLimiter: createAttemptLimiter(store, {
      prefix: 'booking-page',
      limit: 20,
      windowMs: 10 * 60 * 1000,
    }),
    meetings,
    slack,
    zoom,
    zoomMeetings: zoomLinks?.meetingLinks,
    teams,
  };
}
