// Every JSON route's input schema in one list, gathered from the modules that own them, so a
// test can generate input for each route from the very schema the route parses with.
//
// Not listed: routes that read no JSON (webhooks verify raw bytes, uploads stream), DELETE
// /api/me (its schema is made per person: the confirmation is the person's own email), and the
// Teams panel's follow-up (bots/teams/panel-routes.ts reads one field without a schema).
import { outlookRouteSchemas } from '../../addins/outlook/routes.ts';
import { zoomPanelRouteSchemas } from '../../addins/zoom/panel-routes.ts';
import { authRouteSchemas } from '../auth/routes.ts';
import type { RouteSchema } from '../http/route-schema.ts';
import { apiKeyRouteSchemas } from './api-keys.ts';
import { auditRouteSchemas } from './audit.ts';
import { availabilityRouteSchemas } from './availability.ts';
import { bookingPageRouteSchemas } from './booking-pages.ts';
import { calendarRouteSchemas } from './calendars.ts';
import { certificateCheckRouteSchemas } from './certificate-check.ts';
import { meetingShareRouteSchemas } from './meeting-share.ts';
import { meetingRouteSchemas } from './meetings.ts';
import { onlineMeetingRouteSchemas } from './online-meetings.ts';
import { peopleRouteSchemas } from './people.ts';
import { schedulingRouteSchemas } from '../listeners/scheduling.ts';

export type { RouteSchema } from '../http/route-schema.ts';

export const routeSchemas: RouteSchema[] = [
  ...authRouteSchemas,
  ...apiKeyRouteSchemas,
  ...auditRouteSchemas,
  ...peopleRouteSchemas,
  ...schedulingRouteSchemas,
  ...availabilityRouteSchemas,
  ...bookingPageRouteSchemas,
  ...calendarRouteSchemas,
  ...meetingRouteSchemas,
  ...meetingShareRouteSchemas,
  ...certificateCheckRouteSchemas,
  ...onlineMeetingRouteSchemas,
  ...outlookRouteSchemas,
  ...zoomPanelRouteSchemas,
];
