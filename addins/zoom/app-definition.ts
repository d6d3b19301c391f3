// What the Zoom App is, as the code uses it — one list each for the panel's Apps SDK calls,
// the OAuth scopes of the REST calls, the webhook events handled and the URLs Zoom opens —
// so the panel's zoomSdk.config(), the routes and the app manifest (manifests/zoom) agree.
// No DOM and no Node APIs here: the browser panel and the server both import it.

export const PANEL_PATH = '/zoom/panel';
export const CALLBACK_PATH = '/zoom/oauth/callback';
export const WEBHOOK_PATH = '/zoom/webhooks';

/** Exactly the Apps SDK APIs and events the panel uses; zoomSdk.config() asks for these. */
export const PANEL_APIS = [
  'getAppContext',
  'getRunningContext',
  'getMeetingContext',
  'getMeetingUUID',
  'getMeetingParticipants',
  'sendMessageToChat',
  'authorize',
  'onAuthorized',
] as const;

/** The REST calls Quorum makes with a user's grant (addins/zoom/zoom-api.ts) and their scopes. */
export const REST_SCOPES = {
  'GET /users/me': ['user:read:user', 'user:read:email'],
  'POST /users/me/meetings': ['meeting:write:meeting'],
} as const;

/** Scopes beyond REST calls: the app in meetings, and recordings for the transcript events. */
export const FEATURE_SCOPES = ['zoomapp:inmeeting', 'cloud_recording:read:recording'] as const;

export const SCOPES = [...new Set([...FEATURE_SCOPES, ...Object.values(REST_SCOPES).flat()])];

/** The webhook events handled (endpoint.url_validation is Zoom's check, not a subscription). */
export const SUBSCRIBED_EVENTS = [
  'recording.transcript_completed',
  'meeting.ended',
  'meeting.rtms_started',
  'meeting.rtms_stopped',
  // A user removed the app: their Zoom grant is deleted.
  'app_deauthorized',
] as const;
