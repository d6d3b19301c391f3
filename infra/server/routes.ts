// Mounts every feature's routes on the one HTTP app.
import type http from 'node:http';
import express, { type Express } from 'express';
import { dialogOpenerPolicy, outlookRoutes } from '../../addins/outlook/index.ts';
import { createMicrosoftTokenVerifier } from '../../core/identity/microsoft-token.ts';
import {
  apiKeyRoutes,
  auditRoutes,
  authRoutes,
  availabilityRoutes,
  bookingPageRoutes,
  invitationRoutes,
  calendarRoutes,
  certificateCheckRoutes,
  certificateRoutes,
  connectRoutes,
  liveEventRoutes,
  meetingEngineRoutes,
  meetingRoutes,
  meetingShareRoutes,
  meRoutes,
  onlineMeetingRoutes,
  peopleRoutes,
  rotationRoutes,
  schedulingRoutes,
} from '../../web/index.ts';
import { acceptLiveAudio, webAppPages } from '../../web/transport.ts';
import type { LiveAudioServer } from '../../web/listeners/live-audio.ts';
import { authenticate, sameOriginForCookies } from '../http/authenticate.ts';
import { notSetUpRoutes } from '../http/unconfigured-pages.ts';
import { zoomNotSetUp } from '../../addins/zoom/index.ts';
import { teamsNotSetUp } from '../../bots/teams/index.ts';
import type { Services } from './services.ts';

type Audit = Services['audit']['append'];

/** Mounts everything in this order: middleware and routes see requests in the order mounted. */
export function mountRoutes(app: Express, s: Services): void {
  const audit = s.audit.append.bind(s.audit);
  mountPages(app);
  mountRequestMiddleware(app, s);
  mountAccountRoutes(app, s, audit);
  mountMeetingAndSchedulingRoutes(app, s, audit);
  mountOutlook(app, s, audit);
  mountChatAdapters(app, s);
  mountConnectRoutes(app, s, audit);
}

/** The web app's pages (its transport): built assets, then the page at each path it answers. */
function mountPages(app: Express): void {
  app.use(webAppPages());
}

/** Body parsing, then who is asking, then the origin check for cookie-authenticated calls. */
function mountRequestMiddleware(app: Express, s: Services): void {
  // JSON bodies for Quorum's own API and sign-in; webhook routes read raw bytes themselves.
  const json = express.json({ limit: '1mb' });
  app.use(['/api', '/auth'], json);
  // Outlook's sign-in dialog must keep its link to Outlook through sign-in (see there).
  app.use(dialogOpenerPolicy());
  app.use(authenticate({ sessions: s.sessions, apiKeys: s.apiKeys }));
  app.use(sameOriginForCookies([new URL(s.config.baseUrl).origin, ...s.config.originAliases]));
}

/** Sign-in, the signed-in person's own data, API keys, the audit log, people. */
function mountAccountRoutes(app: Express, s: Services, audit: Audit): void {
  app.use(
    authRoutes({
      store: s.store,
      sessions: s.sessions,
      limiter: s.limiter,
      audit,
      logger: s.logger,
      sso: s.sso,
      baseUrl: s.config.baseUrl,
      stateSecret: s.stateSecret,
      openSignup: s.config.openSignup,
    }),
  );
  app.use(meRoutes({ store: s.store, audit, sections: s.personalData }));
  app.use(apiKeyRoutes({ apiKeys: s.apiKeys, audit }));
  app.use(auditRoutes({ audit: s.audit }));
  app.use(peopleRoutes({ store: s.store }));
}

/** Scheduling, meetings, certificates, availability, booking pages, calendars. */
function mountMeetingAndSchedulingRoutes(app: Express, s: Services, audit: Audit): void {
  app.use(
    schedulingRoutes({
      store: s.store,
      calendarFor: s.calendarFor,
      onProviderError: s.calendarConnections.onProviderError,
      bookings: s.bookings,
      polls: s.polls,
      assistant: s.assistant,
    }),
  );
  app.use(rotationRoutes({ store: s.store, assistant: s.assistant }));
  app.use(meetingRoutes({ meetings: s.meetings.service, store: s.store, audit }));
  app.use(liveEventRoutes({ meetings: s.meetings.service, live: s.meetings.live }));
  app.use(certificateRoutes({ certificates: s.certificates, signingKey: s.signingKey }));
  app.use(certificateCheckRoutes({ signingKey: s.signingKey }));
  app.use(
    meetingEngineRoutes({
      transcriptionEngines: () => s.meetings.service.recordingEngines(),
      summarizer: s.meetings.kit.deps.summarizer.engine,
    }),
  );
  app.use(
    availabilityRoutes({
      store: s.store,
      calendarFor: s.calendarFor,
      onProviderError: s.calendarConnections.onProviderError,
    }),
  );
  app.use(
    bookingPageRoutes({
      pages: s.bookingPages,
      assistant: s.assistant,
      limiter: s.bookingLimiter,
      audit,
      baseUrl: s.config.baseUrl,
    }),
  );
  app.use(calendarRoutes({ connections: s.calendarConnections, audit }));
  app.use(
    invitationRoutes({
      invitations: s.email.invitations,
      outbox: s.email.outbox,
      assistant: s.assistant,
      polls: s.polls,
      pollMail: s.email.polls,
      store: s.store,
      bookings: s.bookings,
    }),
  );
}

/** Outlook: the add-in's task pane, office.js, and its sign-in (Office SSO or a dialog). */
function mountOutlook(app: Express, s: Services, audit: Audit): void {
  const microsoft = s.config.sso.microsoft;
  app.use(
    outlookRoutes({
      store: s.store,
      sessions: s.sessions,
      audit,
      logger: s.logger,
      openSignup: s.config.openSignup,
      verifyMicrosoftToken: microsoft
        ? createMicrosoftTokenVerifier({
            issuer: new URL(microsoft.issuer),
            clientId: microsoft.clientId,
          })
        : undefined,
    }),
  );
}

/** Slack, Zoom, online meetings, sharing a summary to a chat, Teams: in this order. */
function mountChatAdapters(app: Express, s: Services): void {
  // Slack: events over HTTP, the OAuth install, and linking Slack users to Quorum accounts.
  if (s.slack) app.use(s.slack.router);
  // Zoom: webhooks, the panel's home URL and session, and linking Zoom users.
  if (s.zoom) app.use(s.zoom.router);
  // Without it, its panel and linking page say what they are and which settings turn it on.
  else app.use(notSetUpRoutes(zoomNotSetUp));
  app.use(onlineMeetingRoutes({ zoom: s.zoomMeetings }));
  app.use(
    meetingShareRoutes({
      meetings: s.meetings.service,
      logger: s.logger,
      targets: shareTargets(s),
    }),
  );
  // Teams: activities at POST /api/messages, and linking Teams users to Quorum accounts.
  if (s.teams) app.use(s.teams.router);
  else app.use(notSetUpRoutes(teamsNotSetUp));
}

/** Where a meeting's summary can be shared: the chat adapters that are set up. */
function shareTargets(s: Services) {
  const { slack, teams } = s;
  return {
    ...(slack
      ? {
          slack: {
            connected: (tenantId: string) => slack.installedFor(tenantId),
            share: (tenantId: string, meetingId: string, email: string) =>
              slack.shareSummary(tenantId, meetingId, email),
          },
        }
      : {}),
    ...(teams
      ? {
          teams: {
            connected: (tenantId: string) => teams.installedFor(tenantId),
            share: (tenantId: string, meetingId: string) => teams.shareSummary(tenantId, meetingId),
          },
        }
      : {}),
  };
}

/** Connecting a calendar (the OAuth round trip), last. */
function mountConnectRoutes(app: Express, s: Services, audit: Audit): void {
  app.use(
    connectRoutes({
      connections: s.calendarConnections,
      audit,
      logger: s.logger,
      baseUrl: s.config.baseUrl,
      stateSecret: s.stateSecret,
    }),
  );
}

/** WebSocket upgrades on the one HTTP server: live meeting audio (the web app's transport). */
export function mountUpgrades(server: http.Server, s: Services): LiveAudioServer {
  return acceptLiveAudio(server, {
    verifiers: { sessions: s.sessions, apiKeys: s.apiKeys },
    meetings: s.meetings.service,
    live: s.meetings.live,
    allowedOrigins: [new URL(s.config.baseUrl).origin],
    logger: s.logger,
  });
}
