// The web app as an adapter: its routes (listeners/), built by infra/server from the services it
// is given, and its browser pages (ui/, served by infra/http/ui-pages.ts). infra/server imports
// the web app from here only.
export { apiKeyRoutes } from './listeners/api-keys.ts';
export { auditRoutes } from './listeners/audit.ts';
export { authRoutes } from './listeners/auth.ts';
export { availabilityRoutes } from './listeners/availability.ts';
export { bookingPageRoutes } from './listeners/booking-pages.ts';
export { calendarRoutes } from './listeners/calendars.ts';
export { certificateCheckRoutes } from './listeners/certificate-check.ts';
export { certificateRoutes } from './listeners/certificates.ts';
export { connectRoutes } from './listeners/connect.ts';
export { invitationRoutes } from './listeners/invitations.ts';
export { meRoutes } from './listeners/me.ts';
export { meetingEngineRoutes } from './listeners/meeting-engines.ts';
export { meetingShareRoutes } from './listeners/meeting-share.ts';
export { meetingRoutes } from './listeners/meetings.ts';
export { liveAudioServer, type LiveAudioServer } from './listeners/live-audio.ts';
export { liveEventRoutes } from './listeners/meetings-live.ts';
export { onlineMeetingRoutes } from './listeners/online-meetings.ts';
export { peopleRoutes } from './listeners/people.ts';
export { schedulingRoutes } from './listeners/scheduling.ts';
export { rotationRoutes } from './listeners/rotations.ts';
