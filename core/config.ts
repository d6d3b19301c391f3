// Core's settings, and the shape every part of Quorum's configuration takes.
//
// Each part (core here, the providers in infra/providers/config.ts, each adapter in its own
// config.ts) declares the environment variables it reads as a zod schema and turns the parsed
// values into its settings; infra/server/config.ts reads the environment once and validates
// every part together. A bad value stops start-up with one line per problem; secret values are
// never echoed. The README's table lists the same names.
import { z } from 'zod';

/**
 * One part of the configuration: its variables, which of them are secrets, and its settings
 * from their parsed values — or the one-line problem (`NAME: why`) when they do not fit
 * together.
 */
export interface ConfigSection<Shape extends z.ZodRawShape, Settings> {
  readonly schema: z.ZodObject<Shape>;
  /** Names whose values must never be printed, not even in a validation error. */
  readonly secrets: readonly string[];
  settings(values: z.infer<z.ZodObject<Shape>>): Settings | string;
}

export const port = z.coerce.number().int().min(0).max(65535);
export const httpUrl = z.url({ protocol: /^https?$/ });

const role = z.enum(['web', 'worker', 'all']);
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const base64Secret = z
  .string()
  .refine(
    (v) => Buffer.from(v, 'base64').length >= 32,
    'must be at least 32 bytes, base64-encoded',
  );

const schema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  QUORUM_BASE_URL: httpUrl.optional(),
  QUORUM_ROLE: role.default('all'),
  QUORUM_DATA_DIR: z.string().min(1).default('./data'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  QUORUM_CONTROL_DB: z
    .string()
    .regex(/^[a-z][a-z0-9_]{2,40}$/, 'must be 3-41 lowercase letters, digits or _')
    .default('quorum_control'),
  LOG_LEVEL: logLevel.default('info'),
  QUORUM_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(8000),
  QUORUM_SESSION_SECRET: base64Secret.optional(),
  QUORUM_API_KEY_PEPPER: base64Secret.optional(),
  QUORUM_METRICS_TOKEN: z
    .string()
    .min(24, 'must be at least 24 characters (for example: openssl rand -base64 32)')
    .max(512)
    .optional(),
  QUORUM_OPEN_SIGNUP: z.enum(['true', 'false']).default('false'),
  QUORUM_CALDAV_ALLOW_PRIVATE_NETWORKS: z.enum(['true', 'false']).default('false'),
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  GOOGLE_ISSUER: httpUrl.default('https://accounts.google.com'),
  MICROSOFT_CLIENT_ID: z.string().min(1).optional(),
  MICROSOFT_CLIENT_SECRET: z.string().min(1).optional(),
  MICROSOFT_ISSUER: httpUrl.optional(),
  MICROSOFT_TENANT_ID: z.string().min(1).default('organizations'),
  QUORUM_SIGNING_KEY_PEM: z.string().includes('PRIVATE KEY').optional(),
  QUORUM_TRUST_PROXY: z
    .string()
    .regex(
      /^(\d{1,2}|[a-z0-9.:/]+(\s*,\s*[a-z0-9.:/]+)*)$/i,
      'must be a number of proxy hops (e.g. 1) or a list like loopback, uniquelocal, 10.0.0.0/8',
    )
    .default('loopback'),
  QUORUM_LIVE_CHUNK_SECONDS: z.coerce.number().min(1).max(60).default(10),
});

/**
 * What a deployment of several nodes must set: the shared database, the public URL, each node's
 * role and listening address, and the secrets every node must share (otherwise each would make
 * its own into its data folder, and a session signed on one node would fail on another).
 */
export const MULTI_NODE_REQUIRED: readonly string[] = [
  'MONGODB_URI',
  'QUORUM_BASE_URL',
  'QUORUM_ROLE',
  'HOST',
  'QUORUM_SESSION_SECRET',
  'QUORUM_API_KEY_PEPPER',
  'QUORUM_SIGNING_KEY_PEM',
];

export interface CoreConfig {
  port: number;
  host: string;
  baseUrl: string;
  /** Other origins of this same Quorum whose requests are accepted as its own. */
  originAliases: string[];
  role: 'web' | 'worker' | 'all';
  dataDir: string;
  mongodbUri: string | undefined;
  controlDb: string;
  logLevel: z.infer<typeof logLevel>;
  shutdownTimeoutMs: number;
  servesHttp: boolean;
  runsJobs: boolean;
  sessionSecret: string | undefined;
  apiKeyPepper: string | undefined;
  /** Bearer token that `GET /metrics` requires; without it the endpoint is off. */
  metricsToken: string | undefined;
  openSignup: boolean;
  /** CalDAV servers in private networks may be connected (an on-premises server). */
  caldavAllowPrivateNetworks: boolean;
  /** Ed25519 certificate-signing key (PKCS#8 PEM); else a key file under the data dir. */
  signingKeyPem: string | undefined;
  sso: {
    google?: SsoSettings;
    microsoft?: SsoSettings;
  };
  /** Which proxies' X-Forwarded-For to believe (Express "trust proxy"): hops or addresses. */
  trustProxy: string | number;
  /** Seconds per piece when live audio is transcribed by a file engine (pocketsphinx). */
  liveChunkSeconds: number;
}

export interface SsoSettings {
  clientId: string;
  clientSecret: string;
  issuer: string;
}

type CoreValues = z.infer<typeof schema>;

export const coreConfig: ConfigSection<typeof schema.shape, CoreConfig> = {
  schema,
  secrets: [
    'MONGODB_URI',
    'QUORUM_SESSION_SECRET',
    'QUORUM_API_KEY_PEPPER',
    'QUORUM_METRICS_TOKEN',
    'GOOGLE_CLIENT_SECRET',
    'MICROSOFT_CLIENT_SECRET',
    'QUORUM_SIGNING_KEY_PEM',
  ],
  settings: (e) => ({
    port: e.PORT,
    host: e.HOST,
    baseUrl: (e.QUORUM_BASE_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/+$/, ''),
    // Without a public URL, Quorum runs on this machine: both names of loopback reach it, and a
    // person may type either (the README says 127.0.0.1, many type localhost).
    originAliases: e.QUORUM_BASE_URL ? [] : [`http://localhost:${e.PORT}`],
    role: e.QUORUM_ROLE,
    dataDir: e.QUORUM_DATA_DIR,
    mongodbUri: e.MONGODB_URI,
    controlDb: e.QUORUM_CONTROL_DB,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.QUORUM_SHUTDOWN_TIMEOUT_MS,
    servesHttp: e.QUORUM_ROLE !== 'worker',
    runsJobs: e.QUORUM_ROLE !== 'web',
    sessionSecret: e.QUORUM_SESSION_SECRET,
    apiKeyPepper: e.QUORUM_API_KEY_PEPPER,
    metricsToken: e.QUORUM_METRICS_TOKEN,
    openSignup: e.QUORUM_OPEN_SIGNUP === 'true',
    caldavAllowPrivateNetworks: e.QUORUM_CALDAV_ALLOW_PRIVATE_NETWORKS === 'true',
    signingKeyPem: e.QUORUM_SIGNING_KEY_PEM,
    sso: ssoSettings(e),
    trustProxy: /^\d+$/.test(e.QUORUM_TRUST_PROXY)
      ? Number(e.QUORUM_TRUST_PROXY)
      : e.QUORUM_TRUST_PROXY,
    liveChunkSeconds: e.QUORUM_LIVE_CHUNK_SECONDS,
  }),
};

/** Sign-in (and calendar) OAuth clients: each on when its id and secret are both set. */
function ssoSettings(e: CoreValues): CoreConfig['sso'] {
  return {
    ...(e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET
      ? {
          google: {
            clientId: e.GOOGLE_CLIENT_ID,
            clientSecret: e.GOOGLE_CLIENT_SECRET,
            issuer: e.GOOGLE_ISSUER,
          },
        }
      : {}),
    ...(e.MICROSOFT_CLIENT_ID && e.MICROSOFT_CLIENT_SECRET
      ? {
          microsoft: {
            clientId: e.MICROSOFT_CLIENT_ID,
            clientSecret: e.MICROSOFT_CLIENT_SECRET,
            issuer:
              e.MICROSOFT_ISSUER ??
              `https://login.microsoftonline.com/${e.MICROSOFT_TENANT_ID}/v2.0`,
          },
        }
      : {}),
  };
}
