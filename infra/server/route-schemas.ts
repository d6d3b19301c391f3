// Every JSON route's input schema in one list, gathered from the modules that own them, so a
// test can generate input for each route from the very schema the route parses with.
//
// Not listed: routes that read no JSON (webhooks verify raw bytes, uploads stream), DELETE
// /api/me (its schema is made per person: the confirmation is the person's own email), and the
// Teams panel's follow-up (bots/teams/listeners/panel.ts reads one field without a schema).
import { outlookRouteSchemas } from '../../addins/outlook/index.ts';
import { zoomPanelRouteSchemas } from '../../addins/zoom/listeners/panel.ts';
import { authRouteSchemas } from '../../web/listeners/auth.ts';
import type { RouteSchema } from '../http/route-schema.ts';
import { apiKeyRouteSchemas } from '../../web/listeners/api-keys.ts';
import { auditRouteSchemas } from '../../web/listeners/audit.ts';
import { availabilityRouteSchemas } from '../../web/listeners/availability.ts';
import { bookingPageRouteSchemas } from '../../web/listeners/booking-pages.ts';
import { calendarRouteSchemas } from '../../web/listeners/calendars.ts';
import { certificateCheckRouteSchemas } from '../../web/listeners/certificate-check.ts';
import { emailRouteSchemas } from '../../web/listeners/invitations.ts';
import { meetingShareRouteSchemas } from '../../web/listeners/meeting-share.ts';
import { meetingRouteSchemas } from '../../web/listeners/meetings.ts';
import { onlineMeetingRouteSchemas } from '../../web/listeners/online-meetings.ts';
import { peopleRouteSchemas } from '../../web/listeners/people.ts';
import { schedulingRouteSchemas } from '../../web/listeners/scheduling.ts';
import { rotationRouteSchemas } from '../../web/listeners/rotations.ts';

export type { RouteSchema } from '../http/route-schema.ts';

export const routeSchemas: RouteSchema[] = [
  ...authRouteSchemas,
  ...apiKeyRouteSchemas,
  ...auditRouteSchemas,
  ...peopleRouteSchemas,
  ...schedulingRouteSchemas,
  ...rotationRouteSchemas,
  ...availabilityRouteSchemas,
  ...bookingPageRouteSchemas,
  ...emailRouteSchemas,
  ...calendarRouteSchemas,
  ...meetingRouteSchemas,
  ...meetingShareRouteSchemas,
  ...certificateCheckRouteSchemas,
  ...onlineMeetingRouteSchemas,
  ...outlookRouteSchemas,
  ...zoomPanelRouteSchemas,
];
