// What infra/server hands every chat adapter (Slack, Teams): the core services they all call.
// Each adapter's deps extend this with its own settings and the little only it needs.
import type { Assistant } from '../../core/assistant/index.ts';
import type { CalendarConnections } from '../../core/calendars/connections/connections.ts';
import type { SsoProviderId } from '../../core/identity/oidc.ts';
import type { Logger } from '../../core/logger.ts';
import type { Meetings } from '../../core/meetings/index.ts';
import type { AuditLog } from '../../core/privacy/audit-log.ts';
import type { BookingService } from '../../core/scheduling/booking/booking-service.ts';
import type { SchedulingDeps } from '../../core/scheduling/find-times.ts';
import type { PollService } from '../../core/scheduling/polls/poll-service.ts';
import type { Store } from '../../core/store/store.ts';
import type { ReplayGuard } from '../../core/webhooks/replay-guard.ts';

export interface ChatAdapterCore {
  /** Quorum's public address, for the links an adapter sends (account linking, calendars). */
  baseUrl: string;
  store: Store;
  logger: Logger;
  audit: AuditLog;
  replayGuard: ReplayGuard;
  scheduling: SchedulingDeps;
  bookings: BookingService;
  polls: PollService;
  /** Absent when this Quorum records no meetings. */
  meetings: Meetings | undefined;
  /** The use cases every surface calls (core/assistant). */
  assistant: Assistant;
  calendars: CalendarConnections;
  /** The server secret; the adapter's link-token key is derived from it. */
  serverSecret: Uint8Array;
  sso: readonly SsoProviderId[];
}
