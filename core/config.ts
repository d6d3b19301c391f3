// One validated configuration object, read once at start from the environment.
//
// Every setting Quorum reads is declared here (the README's table lists the same names).
// A bad value stops start-up with one line per problem; secret values are never echoed.
import { z } from 'zod';

const role = z.enum(['web', 'worker', 'all']);
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const port = z.coerce.number().int().min(0).max(65535);
const httpUrl = z.url({ protocol: /^https?$/ });
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
  QUORUM_OPEN_SIGNUP: z.enum(['true', 'false']).default('false'),
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  GOOGLE_ISSUER: httpUrl.default('https://accounts.google.com'),
  MICROSOFT_CLIENT_ID: z.string().min(1).optional(),
  MICROSOFT_CLIENT_SECRET: z.string().min(1).optional(),
  MICROSOFT_ISSUER: httpUrl.optional(),
  MICROSOFT_TENANT_ID: z.string().min(1).default('organizations'),
  AZURE_KEY_VAULT_URL: httpUrl.optional(),
  QUORUM_SIGNING_KEY_PEM: z.string().includes('PRIVATE KEY').optional(),
});

/** Names whose values must never be printed, not even in a validation error. */
const SECRET_NAMES = new Set([
  'MONGODB_URI',
  'QUORUM_SESSION_SECRET',
  'QUORUM_API_KEY_PEPPER',
  'GOOGLE_CLIENT_SECRET',
  'MICROSOFT_CLIENT_SECRET',
  'QUORUM_SIGNING_KEY_PEM',
]);

export interface Config {
  port: number;
  host: string;
  baseUrl: string;
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
  openSignup: boolean;
  /** Tenant key-encryption keys: Azure Key Vault when set, else the local keyring file. */
  keyVaultUrl: string | undefined;
  /** Ed25519 certificate-signing key (PKCS#8 PEM); else a key file under the data dir. */
  signingKeyPem: string | undefined;
  sso: {
    google?: SsoSettings;
    microsoft?: SsoSettings;
  };
}

export interface SsoSettings {
  clientId: string;
  clientSecret: string;
  issuer: string;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  // An empty variable means "not set", as a shell user expects from `FOO= npm start`.
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in schema.shape && value !== ''),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const detail = SECRET_NAMES.has(name) ? 'is not valid' : issue.message;
      return `${name}: ${detail}`;
    });
    return { ok: false, problems };
  }
  const e = parsed.data;
  return {
    ok: true,
    config: {
      port: e.PORT,
      host: e.HOST,
      baseUrl: (e.QUORUM_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
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
      openSignup: e.QUORUM_OPEN_SIGNUP === 'true',
      keyVaultUrl: e.AZURE_KEY_VAULT_URL,
      signingKeyPem: e.QUORUM_SIGNING_KEY_PEM,
      sso: {
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
      },
    },
  };
}
