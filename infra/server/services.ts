// Builds the core services once, from configuration, for the HTTP app and the jobs.
import { rotationPersonalData } from '../../core/scheduling/rotation/burden.ts';
import {
  createCalendarConnections,
  type CalendarConnections,
} from '../../core/calendars/connections/connections.ts';
import { createApiKeyService, type ApiKeyService } from '../../core/identity/api-keys.ts';
import type { OidcClient, SsoProviderId } from '../../core/identity/oidc.ts';
import { identitySection, type PersonalDataSection } from '../../core/identity/personal-data.ts';
import { emailPersonalData } from '../../core/email/personal-data.ts';
import { settingsPersonalData } from '../../core/identity/user-settings.ts';
import { identityModels } from '../../core/identity/models.ts';
import { createSessionService, type SessionService } from '../../core/identity/sessions.ts';
import { dropGlobalEmailIndex } from '../../core/identity/users.ts';
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
import { startAdapters } from './adapters.ts';
import { createOAuthClients, type OAuthClients } from './oauth-clients.ts';
import { slackPersonalData, type SlackAdapter } from '../../bots/slack/index.ts';
import { createZoomLinks, zoomPersonalData, type ZoomAdapter } from '../../addins/zoom/index.ts';
import { teamsPersonalData, type TeamsAdapter } from '../../bots/teams/index.ts';
import path from 'node:path';
import { createExtractiveSummarizer } from '../../core/ai/index.ts';
import { createAssistant, type Assistant } from '../../core/assistant/index.ts';
import { DeliveryConsumer } from '../../core/delivery/index.ts';
import {
  EmailOutbox,
  Invitations,
  PageMail,
  PollMail,
  Reminders,
  SEND_EMAIL,
  SEND_REMINDER,
  summaryMailChannel,
} from '../../core/email/index.ts';
import { createSmtpTransport } from '../providers/smtp/smtp-transport.ts';
import { createJobRunner, type JobRunner } from '../../core/jobs/runner.ts';
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
  /** The use cases every surface calls (core/assistant). */
  assistant: Assistant;
  /** Delivers the outbox to the chat adapters' channels; the delivery job runs it. */
  delivery: DeliveryConsumer;
  /** Email: the outbox (off without SMTP_URL) and the invitations sent through it. */
  email: Email;
}

export interface Email {
  outbox: EmailOutbox;
  invitations: Invitations;
  pages: PageMail;
  polls: PollMail;
  reminders: Reminders;
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
  // An address may now have an account in each organization: an older data folder's unique
  // index on users.email goes (core/identity/users.ts keeps one account per organization).
  await dropGlobalEmailIndex(store);
  const secrets = await loadServerSecrets({
    dataDir: config.dataDir,
    sessionSecret: config.sessionSecret,
    apiKeyPepper: config.apiKeyPepper,
  });
  const keys = await openKeyProvider(config);
  const signingKey = await loadSigningKey(
    config.signingKeyPem ? { pem: config.signingKeyPem } : { dataDir: config.dataDir },
  );
  const oauth = createOAuthClients(config);
  // Anchors of the audit log are signed with the certificate key, and checked with its public half.
  const audit = createAuditLog({ store, verificationKeys: signingKey.publicJwk });
  const envelope = createEnvelope({ store, keys });
  // Enqueues jobs from any node; only worker nodes' own runner processes them.
  const queue = createJobRunner({ store, registry: new JobRegistry(), logger });
  const email = buildEmail(config, {
    store,
    envelope,
    logger,
    queue,
    linkSecret: secrets.sessionSecret,
    scheduling: () => scheduling,
  });
  const scheduling = buildScheduling(config, {
    store,
    envelope,
    audit,
    logger,
    oauth,
    linkSecret: secrets.sessionSecret,
    email,
  });
  const certificates = createDeletionCertificates({
    store,
    storage,
    signingKey,
    audit,
    issuer: config.baseUrl,
  });
  const meetings = await buildMeetings(config, { store, envelope, certificates, audit, queue });
  const replayGuard = createReplayGuard(store);
  const sessions = createSessionService({ store, secret: secrets.sessionSecret });
  // What the server hands on to the adapters and the HTTP routes alike.
  const { zoomLinks, pollListeners, ...calendarsAndScheduling } = scheduling;
  const core = { config, store, logger, envelope, audit, replayGuard, meetings };
  const shared = { ...core, ...calendarsAndScheduling, stateSecret: secrets.sessionSecret };
  const sso = Object.keys(oauth.sso) as SsoProviderId[];
  const assistant = createAssistant({
    store,
    envelope,
    scheduling: {
      store,
      calendarFor: scheduling.calendarFor,
      onProviderError: scheduling.calendarConnections.onProviderError,
    },
    bookings: scheduling.bookings,
    polls: scheduling.polls,
    pages: scheduling.bookingPages,
    meetings: meetings.service,
    logger,
    pageMail: email.pages,
    pollMail: email.polls,
  });
  const adapters = await startAdapters({
    ...shared,
    assistant,
    sessions,
    queue,
    pollListeners,
    zoomLinks,
    sso,
  });
  const { calendarConnections } = scheduling;
  // The outbox consumer, run as a job on worker nodes: each chat adapter brings its channel.
  const delivery = new DeliveryConsumer({
    outbox: meetings.outbox,
    store,
    logger,
    channels: [
      adapters.slack?.deliveryChannel,
      adapters.teams?.deliveryChannel,
      email.outbox.enabled
        ? summaryMailChannel({ outbox: email.outbox, store, share: () => assistant.share })
        : undefined,
    ],
  });
  return {
    ...shared,
    ...adapters,
    assistant,
    delivery,
    email,
    keys,
    signingKey,
    certificates,
    sessions,
    apiKeys: createApiKeyService({ store, pepper: secrets.apiKeyPepper }),
    limiter: createSignInLimiter(store),
    sso: oauth.sso,
    personalData: [
      calendarConnections.personalDataSection(),
      meetings.personalData,
      slackPersonalData(store),
      zoomPersonalData(store),
      teamsPersonalData(store),
      emailPersonalData(store, email.outbox),
      settingsPersonalData(store),
      rotationPersonalData(store),
      identitySection(store),
    ],
    bookingLimiter: createAttemptLimiter(store, {
      prefix: 'booking-page',
      limit: 20,
      windowMs: 10 * 60 * 1000,
    }),
    zoomMeetings: zoomLinks?.meetingLinks,
  };
}

/**
 * Email over SMTP when SMTP_URL is set (else off): the outbox, whose messages the job runner
 * sends at once where it runs in this process and the sweep otherwise, and the invitations.
 */
function buildEmail(
  config: Config,
  deps: Pick<Services, 'store' | 'envelope' | 'logger'> & {
    queue: JobRunner;
    linkSecret: Uint8Array;
    scheduling: () => Pick<Services, 'polls' | 'bookings'>;
  },
): Email {
  const { store, envelope, logger, queue } = deps;
  const outbox = new EmailOutbox({
    store,
    envelope,
    logger,
    transport: config.mail ? createSmtpTransport(config.mail) : undefined,
    messageDomain: config.mail?.from.split('@')[1] ?? 'quorum.invalid',
    perMinute: config.mail?.perMinute ?? 60,
    kick: (tenantId, key) => queue.now(SEND_EMAIL, { tenantId, key }),
  });
  const invitations = new Invitations({
    outbox,
    store,
    logger,
    linkSecret: deps.linkSecret,
    baseUrl: config.baseUrl,
  });
  return {
    outbox,
    invitations,
    reminders: new Reminders({
      outbox,
      store,
      schedule: (when, data) => queue.schedule(when, SEND_REMINDER, { ...data }),
      bookingOf: (ctx, id) => deps.scheduling().bookings.get(ctx, id),
    }),
    pages: new PageMail({ outbox, invitations, store }),
    // The poll and booking services are built after email, which they tell of their changes.
    polls: new PollMail({
      outbox,
      invitations,
      store,
      polls: () => deps.scheduling().polls,
      bookingOf: (ctx, id) => deps.scheduling().bookings.get(ctx, id),
    }),
  };
}

/** Meetings with the local engines (captions, pocketsphinx, extractive) and any cloud ones. */
async function buildMeetings(
  config: Config,
  deps: Pick<Services, 'store' | 'envelope' | 'certificates' | 'audit'> & { queue: JobRunner },
): Promise<Meetings> {
  const workRoot = path.join(config.dataDir, 'meetings', 'work');
  const cloudEngines = await createCloudEngines(config, workRoot);
  return createMeetings({
    ...deps,
    summarizer: createExtractiveSummarizer(),
    summarizers: cloudEngines.summarizers,
    transcribers: [
      createCaptionsTranscriber(),
      createPocketsphinxTranscriber({ tempRoot: workRoot }),
      ...cloudEngines.transcribers,
    ],
    dataDir: config.dataDir,
    liveChunkSeconds: config.liveChunkSeconds,
  });
}

/**
 * Calendars and scheduling: the calendar connections (vendor calendars from infra/providers),
 * bookings (with Zoom links when Zoom is set up), polls and public booking pages.
 */
function buildScheduling(
  config: Config,
  deps: Pick<Services, 'store' | 'envelope' | 'audit' | 'logger'> & {
    oauth: OAuthClients;
    linkSecret: Uint8Array;
    email: Email;
  },
) {
  const { store, envelope, audit, logger, oauth } = deps;
  const calendarConnections = createCalendarConnections({
    store,
    envelope,
    caldavAllowPrivateNetworks: config.caldavAllowPrivateNetworks,
    oauth: oauth.calendarOAuth,
    delegated: oauth.delegated,
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
    envelope,
    calendarFor,
    audit,
    onProviderError: calendarConnections.onProviderError,
    ...(zoomLinks ? { zoom: zoomLinks.meetingLinks } : {}),
    onChange: async (ctx, booking, change) => {
      await deps.email.invitations.changed(ctx, booking, change);
      await deps.email.reminders.changed(ctx, booking, change).catch((error: unknown) => {
        logger.error({ err: error, booking: booking._id }, 'reminders not scheduled');
      });
    },
  });
  // Adapters that show polls register here when they are built, below.
  const pollListeners = createPollListeners((error, listener) =>
    logger.warn({ err: error, listener }, 'a poll update could not be delivered'),
  );
  pollListeners.add('email', { finished: (ctx, notice) => deps.email.polls.finished(ctx, notice) });
  const scheduling = { store, calendarFor, onProviderError: calendarConnections.onProviderError };
  const linking = { linkSecret: deps.linkSecret, baseUrl: config.baseUrl };
  const polls = createPollService({
    store,
    envelope,
    bookings,
    ...linking,
    notify: pollListeners.notify,
    changed: pollListeners.changed,
  });
  const bookingPages = createBookingPagesService({ store, scheduling, bookings, ...linking });
  return {
    calendarConnections,
    calendarFor,
    zoomLinks,
    bookings,
    polls,
    bookingPages,
    pollListeners,
  };
}
