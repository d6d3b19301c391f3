// Mounts every feature's routes on the one HTTP app.
import type http from 'node:http';
import express, { type Express } from 'express';
import { dialogOpenerPolicy, outlookRoutes } from '../../addins/outlook/routes.ts';
import { createMicrosoftTokenVerifier } from '../../core/identity/microsoft-token.ts';
import { apiKeyRoutes } from '../../web/api/api-keys.ts';
import { auditRoutes } from '../../web/api/audit.ts';
import { availabilityRoutes } from '../../web/api/availability.ts';
import { bookingPageRoutes } from '../../web/api/booking-pages.ts';
import { certificateCheckRoutes } from '../../web/api/certificate-check.ts';
import { meetingEngineRoutes } from '../../web/api/meeting-engines.ts';
import { calendarRoutes } from '../../web/api/calendars.ts';
import { certificateRoutes } from '../../web/api/certificates.ts';
import { meRoutes } from '../../web/api/me.ts';
import { meetingShareRoutes } from '../../web/api/meeting-share.ts';
import { onlineMeetingRoutes } from '../../web/api/online-meetings.ts';
import { meetingRoutes } from '../../web/api/meetings.ts';
import {
  liveAudioServer,
  liveEventRoutes,
  type LiveAudioServer,
} from '../../web/api/meetings-live.ts';
import { peopleRoutes } from '../../web/api/people.ts';
import { schedulingRoutes } from '../../web/listeners/scheduling.ts';
import { authRoutes } from '../../web/auth/routes.ts';
import { connectRoutes } from '../../web/connect/routes.ts';
import { authenticate, sameOriginForCookies } from '../../web/http/authenticate.ts';
import { sendUiPage, uiAssets } from '../../web/ui-pages.ts';
import { sendPanelNotSetUp } from '../../web/http/unconfigured-pages.ts';
import type { Services } from './services.ts';

export function mountRoutes(app: Express, s: Services): void {
  const audit = s.audit.append.bind(s.audit);
  // JSON bodies for Quorum's own API and sign-in; webhook routes read raw bytes themselves.
  const json = express.json({ limit: '1mb' });
  // The browser pages' built assets, then each page at the route its host opens.
  app.use('/ui', uiAssets());
  app.get(['/', '/app', '/app/{*rest}'], (_req, res) => sendUiPage(res, 'web/ui/app/index.html'));
  // The web app's public pages: booking pages, poll links, the certificate check.
  app.get(['/book/:slug', '/polls/:id', '/verify'], (_req, res) =>
    sendUiPage(res, 'web/ui/app/index.html'),
  );
  app.use(['/api', '/auth'], json);
  // Outlook's sign-in dialog must keep its link to Outlook through sign-in (see there).
  app.use(dialogOpenerPolicy());
  app.use(authenticate({ sessions: s.sessions, apiKeys: s.apiKeys }));
  app.use(sameOriginForCookies([new URL(s.config.baseUrl).origin, ...s.config.originAliases]));
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
      limiter: s.bookingLimiter,
      audit,
      baseUrl: s.config.baseUrl,
    }),
  );
  app.use(calendarRoutes({ connections: s.calendarConnections, audit }));
  // Outlook: the add-in's task pane, office.js, and its sign-in (Office SSO or a dialog).
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
  // Slack: events over HTTP, the OAuth install, and linking Slack users to Quorum accounts.
  if (s.slack) app.use(s.slack.router);
  // Zoom: webhooks, the panel's home URL and session, and linking Zoom users.
  if (s.zoom) app.use(s.zoom.router);
  else app.get('/zoom/panel', (_req, res) => sendPanelNotSetUp(res, 'zoom'));
  app.use(onlineMeetingRoutes({ zoom: s.zoomMeetings }));
  const { slack, teams } = s;
  app.use(
    meetingShareRoutes({
      meetings: s.meetings.service,
      logger: s.logger,
      targets: {
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
                share: (tenantId: string, meetingId: string) =>
                  teams.shareSummary(tenantId, meetingId),
              },
            }
          : {}),
      },
    }),
  );
  // Teams: activities at POST /api/messages, and linking Teams users to Quorum accounts.
  if (s.teams) app.use(s.teams.router);
  else app.get('/teams/panel', (_req, res) => sendPanelNotSetUp(res, 'teams'));
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

/** WebSocket upgrades on the one HTTP server: live meeting audio. */
export function mountUpgrades(server: http.Server, s: Services): LiveAudioServer {
  const live = liveAudioServer({
    verifiers: { sessions: s.sessions, apiKeys: s.apiKeys },
    meetings: s.meetings.service,
    live: s.meetings.live,
    allowedOrigins: [new URL(s.config.baseUrl).origin],
    logger: s.logger,
  });
  server.on('upgrade', (req, socket, head) => live.handleUpgrade(req, socket, head));
  return live;
}
