// The Zoom App: the sidebar panel (its home URL, who is asking, linking Zoom users with
// in-client OAuth), Zoom's webhooks (transcripts after meetings, meeting end, RTMS), and Zoom
// meetings as the link of a booking. It turns on when ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET and
// ZOOM_WEBHOOK_SECRET_TOKEN are set, and runs inside Quorum's one HTTP server.
import { Router } from 'express';
import type { ZoomSettings } from './config.ts';
import type { AuditRecorder } from '../../core/identity/audit-port.ts';
import type { SessionService } from '../../core/identity/sessions.ts';
import type { JobDefinition } from '../../core/jobs/registry.ts';
import type { JobRunner } from '../../core/jobs/runner.ts';
import type { Logger } from '../../core/logger.ts';
import type { MeetingsService } from '../../core/meetings/index.ts';
import type { Envelope } from '../../core/privacy/envelope.ts';
import type { ZoomMeetings } from '../../core/scheduling/booking/booking-service.ts';
import type { Store } from '../../core/store/store.ts';
import type { ReplayGuard } from '../../core/webhooks/replay-guard.ts';
import { createLiveCapture } from './listeners/live.ts';
import { zoomPanelRoutes } from './listeners/panel.ts';
import { createZoomPeople } from './store/people.ts';
import { loadRtms } from './rtms.ts';
import { zoomModels } from './store/models.ts';
import { createTranscriptFetcher } from './listeners/transcripts.ts';
import { zoomWebhookRoutes } from './transport.ts';
import { createZoomApi } from './zoom-api.ts';
import { createMeetingResolver, createZoomMeetingLinks } from './store/meetings.ts';

export { zoomPersonalData } from './store/people.ts';
export { zoomNotSetUp } from './not-set-up.ts';

export interface ZoomAdapterDeps {
  settings: ZoomSettings;
  baseUrl: string;
  store: Store;
  envelope: Envelope;
  sessions: SessionService;
  audit: AuditRecorder;
  replayGuard: ReplayGuard;
  meetings: MeetingsService;
  /** Enqueues the transcript fetches (any node); worker nodes run them. */
  queue: Pick<JobRunner, 'now' | 'schedule'>;
  logger: Logger;
}

export interface ZoomAdapter {
  router: Router;
  /** The booking service's port: Zoom meetings made with the organizer's Zoom grant. */
  meetingLinks: ZoomMeetings;
  /**
   * Resolves when no acknowledged webhook still has work running and no transcript fetch is
   * queued, running or waiting for a retry (tests; needs a node that runs jobs).
   */
  idle(): Promise<void>;
  /** Its jobs (zoom.fetch-transcript), registered by the composition root. */
  jobs: JobDefinition<never>[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The link creator alone, for the booking service, which is built before the adapter. */
export function createZoomLinks(
  deps: Pick<ZoomAdapterDeps, 'settings' | 'store' | 'envelope' | 'logger'>,
) {
  const api = createZoomApi(deps.settings);
  const people = createZoomPeople({ store: deps.store, envelope: deps.envelope, api });
  return { api, people, meetingLinks: createZoomMeetingLinks({ ...deps, people, api }) };
}

export function createZoomAdapter(
  deps: ZoomAdapterDeps,
  links: ReturnType<typeof createZoomLinks> = createZoomLinks(deps),
): ZoomAdapter {
  const { api, people } = links;
  const resolver = createMeetingResolver({ store: deps.store, people, meetings: deps.meetings });
  const running = new Set<Promise<void>>();
  const background = (work: () => Promise<void>) => {
    const task = work()
      .catch((error: unknown) => deps.logger.error({ err: error }, 'Zoom background work failed'))
      .finally(() => running.delete(task));
    running.add(task);
  };
  let live = createLiveCapture({
    rtms: undefined,
    resolver,
    meetings: deps.meetings,
    logger: deps.logger,
  });
  const transcripts = createTranscriptFetcher({
    store: deps.store,
    envelope: deps.envelope,
    api,
    resolver,
    meetings: deps.meetings,
    queue: deps.queue,
    logger: deps.logger,
    retrySeconds: deps.settings.transcriptRetrySeconds,
  });
  const settled = async () => {
    while (running.size > 0) await Promise.allSettled([...running]);
  };
  const router = Router();
  router.use(
    zoomWebhookRoutes({
      secretToken: deps.settings.webhookSecretToken,
      replayGuard: deps.replayGuard,
      resolver,
      people,
      transcripts,
      // Late-bound: RTMS is loaded (or not) in start().
      live: { started: (p) => live.started(p), ended: (uuid, facts) => live.ended(uuid, facts) },
      logger: deps.logger,
      background,
    }),
  );
  router.use(
    zoomPanelRoutes({
      clientSecret: deps.settings.clientSecret,
      baseUrl: deps.baseUrl,
      store: deps.store,
      sessions: deps.sessions,
      people,
      api,
      resolver,
      audit: deps.audit,
      logger: deps.logger,
    }),
  );
  return {
    router,
    meetingLinks: links.meetingLinks,
    jobs: [transcripts.job as JobDefinition<never>],
    async idle() {
      await settled();
      while ((await transcripts.pending()) > 0) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await settled();
    },
    async start() {
      await deps.store.ensureControlIndexes(zoomModels);
      const rtms = await loadRtms({
        enabled: deps.settings.rtms,
        clientId: deps.settings.clientId,
        clientSecret: deps.settings.clientSecret,
        logger: deps.logger,
      });
      live = createLiveCapture({ rtms, resolver, meetings: deps.meetings, logger: deps.logger });
    },
    async stop() {
      live.stop();
      // Queued fetches stay queued: they survive the restart.
      await settled();
    },
  };
}
