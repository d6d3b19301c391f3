// The Zoom App's settings (panel, webhooks, Zoom meetings as links). infra/server/config.ts
// composes this with the other parts of the configuration.
import { z } from 'zod';
import { httpUrl, type ConfigSection } from '../../core/config.ts';

const schema = z.object({
  ZOOM_CLIENT_ID: z.string().min(1).optional(),
  ZOOM_CLIENT_SECRET: z.string().min(16, "must be the Zoom app's client secret").optional(),
  ZOOM_WEBHOOK_SECRET_TOKEN: z
    .string()
    .min(16, "must be the secret token from the app's Access page")
    .optional(),
  ZOOM_API_URL: httpUrl.optional(),
  ZOOM_OAUTH_URL: httpUrl.optional(),
  ZOOM_RTMS: z.enum(['true', 'false']).default('false'),
  ZOOM_TRANSCRIPT_RETRY_SECONDS: z.coerce
    .number()
    .positive('must be a number of seconds above 0')
    .max(60, 'must be at most 60 seconds, so all retries end within the download token’s 24 hours')
    .default(30),
});

type Values = z.infer<typeof schema>;

export interface ZoomSettings {
  clientId: string;
  /** Also the key of the X-Zoom-App-Context header (AES-256-GCM over its SHA-256). */
  clientSecret: string;
  /** Verifies webhooks (x-zm-signature) and answers endpoint.url_validation. */
  webhookSecretToken: string;
  /** REST API base, e.g. https://api.zoom.us/v2/ (tests and proxies override it). */
  apiUrl: string;
  /** OAuth base, e.g. https://zoom.us/ (authorize and oauth/token live under it). */
  oauthUrl: string;
  /** Live content through Zoom RTMS (@zoom/rtms), when the account allows it. */
  rtms: boolean;
  /** First wait before a failed transcript download is tried again; each next wait is 4× longer. */
  transcriptRetrySeconds: number;
}

export const zoomConfig: ConfigSection<typeof schema.shape, { zoom: ZoomSettings | undefined }> = {
  schema,
  secrets: ['ZOOM_CLIENT_SECRET', 'ZOOM_WEBHOOK_SECRET_TOKEN'],
  settings(e) {
    const zoom = zoomSettings(e);
    return typeof zoom === 'string' ? zoom : { zoom };
  },
};

/** The settings that turn Zoom on, all three together (the not-set-up page names them). */
export const ZOOM_REQUIRED_SETTINGS = [
  'ZOOM_CLIENT_ID',
  'ZOOM_CLIENT_SECRET',
  'ZOOM_WEBHOOK_SECRET_TOKEN',
] as const;

/** Zoom is on when its three settings are set, off when none are, refused when half set. */
function zoomSettings(e: Values): ZoomSettings | undefined | string {
  const missing = ZOOM_REQUIRED_SETTINGS.filter((name) => e[name] === undefined);
  if (missing.length === ZOOM_REQUIRED_SETTINGS.length) return undefined;
  if (missing.length > 0) {
    return `${missing[0]}: Zoom needs ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET and ZOOM_WEBHOOK_SECRET_TOKEN together`;
  }
  return {
    clientId: e.ZOOM_CLIENT_ID!,
    clientSecret: e.ZOOM_CLIENT_SECRET!,
    webhookSecretToken: e.ZOOM_WEBHOOK_SECRET_TOKEN!,
    apiUrl: (e.ZOOM_API_URL ?? 'https://api.zoom.us/v2/').replace(/\/*$/, '/'),
    oauthUrl: (e.ZOOM_OAUTH_URL ?? 'https://zoom.us/').replace(/\/*$/, '/'),
    rtms: e.ZOOM_RTMS === 'true',
    transcriptRetrySeconds: e.ZOOM_TRANSCRIPT_RETRY_SECONDS,
  };
}
