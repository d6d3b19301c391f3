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

const deploymentName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a deployment name such as gpt-4o-mini');

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
  AZURE_KEY_VAULT_URL: httpUrl.optional(),
  // Read by @azure/identity (DefaultAzureCredential), not by Quorum's code: the client id of the
  // user-assigned managed identity to sign in to Key Vault with. Declared so it is validated and
  // deployment files may set it.
  AZURE_CLIENT_ID: z.guid('must be the managed identity’s client id (a GUID)').optional(),
  QUORUM_SIGNING_KEY_PEM: z.string().includes('PRIVATE KEY').optional(),
  SLACK_SIGNING_SECRET: z
    .string()
    .min(16, 'must be the signing secret from Basic Information')
    .optional(),
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'must be a bot token (xoxb-…)').optional(),
  SLACK_CLIENT_ID: z.string().min(1).optional(),
  SLACK_CLIENT_SECRET: z.string().min(1).optional(),
  SLACK_STATE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must be an app-level token (xapp-…)').optional(),
  SLACK_API_URL: httpUrl.optional(),
  QUORUM_TRUST_PROXY: z
    .string()
    .regex(
      /^(\d{1,2}|[a-z0-9.:/]+(\s*,\s*[a-z0-9.:/]+)*)$/i,
      'must be a number of proxy hops (e.g. 1) or a list like loopback, uniquelocal, 10.0.0.0/8',
    )
    .default('loopback'),
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
  TEAMS_CLIENT_ID: z.string().min(1).optional(),
  TEAMS_CLIENT_SECRET: z.string().min(1).optional(),
  TEAMS_TENANT_ID: z.string().min(1).optional(),
  TEAMS_ALLOW_UNAUTHENTICATED: z.enum(['true', 'false']).default('false'),
  TEAMS_LOGIN_URL: httpUrl.default('https://login.microsoftonline.com'),
  TEAMS_OPENID_METADATA_URL: httpUrl.default(
    'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ),
  TEAMS_GRAPH_URL: httpUrl.default('https://graph.microsoft.com'),
  AZURE_OPENAI_ENDPOINT: httpUrl.optional(),
  AZURE_OPENAI_API_KEY: z.string().min(1).optional(),
  AZURE_OPENAI_API_VERSION: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'must be an API version such as 2024-10-21')
    .default('2024-10-21'),
  AZURE_OPENAI_SUMMARY_DEPLOYMENT: deploymentName.optional(),
  AZURE_OPENAI_WHISPER_DEPLOYMENT: deploymentName.optional(),
  AZURE_OPENAI_MAX_PROMPT_TOKENS: z.coerce.number().int().min(2000).max(2_000_000).default(24_000),
  AZURE_OPENAI_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(500).max(200_000).default(4000),
  AZURE_SPEECH_KEY: z.string().min(1).optional(),
  AZURE_SPEECH_REGION: z
    .string()
    .regex(/^[a-z0-9]+$/, 'must be a region name such as westeurope')
    .optional(),
  AZURE_SPEECH_ENDPOINT: z.url({ protocol: /^wss?$/ }).optional(),
  QUORUM_LIVE_CHUNK_SECONDS: z.coerce.number().min(1).max(60).default(10),
});

/** Every environment variable Quorum reads (deployment files are checked against this list). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

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

/** Names whose values must never be printed, not even in a validation error. */
export const SECRET_NAMES = new Set([
  'MONGODB_URI',
  'QUORUM_SESSION_SECRET',
  'QUORUM_API_KEY_PEPPER',
  'QUORUM_METRICS_TOKEN',
  'GOOGLE_CLIENT_SECRET',
  'MICROSOFT_CLIENT_SECRET',
  'QUORUM_SIGNING_KEY_PEM',
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'SLACK_APP_TOKEN',
  'ZOOM_CLIENT_SECRET',
  'ZOOM_WEBHOOK_SECRET_TOKEN',
  'TEAMS_CLIENT_SECRET',
  'AZURE_OPENAI_API_KEY',
  'AZURE_SPEECH_KEY',
]);

export interface Config {
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
  /** Tenant key-encryption keys: Azure Key Vault when set, else the local keyring file. */
  keyVaultUrl: string | undefined;
  /** Ed25519 certificate-signing key (PKCS#8 PEM); else a key file under the data dir. */
  signingKeyPem: string | undefined;
  sso: {
    google?: SsoSettings;
    microsoft?: SsoSettings;
  };
  /** The Slack app; absent when its settings are not set. */
  slack: SlackSettings | undefined;
  /** Which proxies' X-Forwarded-For to believe (Express "trust proxy"): hops or addresses. */
  trustProxy: string | number;
  /** The Zoom App (panel, webhooks, Zoom meetings as links); absent when not set. */
  zoom: ZoomSettings | undefined;
  /** The Teams bot; absent when its settings are not set. */
  teams: TeamsSettings | undefined;
  /** Azure OpenAI for summaries and/or Whisper; absent when not set. */
  azureOpenAI: AzureOpenAIConfig | undefined;
  /** Azure Speech for diarized and live transcription; absent when not set. */
  azureSpeech: AzureSpeechConfig | undefined;
  /** Seconds per piece when live audio is transcribed by a file engine (pocketsphinx). */
  liveChunkSeconds: number;
}

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

export interface TeamsSettings {
  /**
   * The bot's Entra app registration. Absent only in local development with
   * TEAMS_ALLOW_UNAUTHENTICATED=true, where activities are accepted without a token.
   */
  credentials: { clientId: string; clientSecret: string; tenantId: string } | undefined;
  /** Entra's login host: the bot's own tokens (Bot Connector, Graph) come from here. */
  loginUrl: string;
  /** The Bot Connector's OpenID metadata; its signing keys verify incoming activities. */
  openIdMetadataUrl: string;
  /** Microsoft Graph's root, for meeting transcripts. */
  graphUrl: string;
}

export interface AzureOpenAIConfig {
  endpoint: string;
  /** Absent: Microsoft Entra tokens (managed identity, DefaultAzureCredential) are used. */
  apiKey: string | undefined;
  apiVersion: string;
  summaryDeployment: string | undefined;
  whisperDeployment: string | undefined;
  maxPromptTokens: number;
  maxOutputTokens: number;
}

export interface AzureSpeechConfig {
  key: string;
  region: string | undefined;
  endpoint: string | undefined;
}

export interface SlackSettings {
  /** Verifies requests over HTTP; not needed in Socket Mode. */
  signingSecret: string | undefined;
  /** One workspace (a bot token from the settings) or many (OAuth installs). */
  workspaces:
    | { kind: 'one'; botToken: string }
    | { kind: 'many'; clientId: string; clientSecret: string; stateSecret: string };
  /** Set: events arrive over Socket Mode instead of HTTP. */
  appToken: string | undefined;
  /** The Web API base URL (tests and proxies); Slack's own when unset. */
  apiUrl: string | undefined;
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
  const slack = slackSettings(e);
  if (typeof slack === 'string') return { ok: false, problems: [slack] };
  const zoom = zoomSettings(e);
  if (typeof zoom === 'string') return { ok: false, problems: [zoom] };
  const teams = teamsSettings(e);
  if (typeof teams === 'string') return { ok: false, problems: [teams] };
  const azure = azureSettings(e);
  if (typeof azure === 'string') return { ok: false, problems: [azure] };
  return {
    ok: true,
    config: {
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
      slack,
      trustProxy: /^\d+$/.test(e.QUORUM_TRUST_PROXY)
        ? Number(e.QUORUM_TRUST_PROXY)
        : e.QUORUM_TRUST_PROXY,
      zoom,
      teams,
      ...azure,
      liveChunkSeconds: e.QUORUM_LIVE_CHUNK_SECONDS,
    },
  };
}

/** Zoom is on when its three settings are set, off when none are, refused when half set. */
function zoomSettings(e: z.infer<typeof schema>): ZoomSettings | undefined | string {
  const required = {
    ZOOM_CLIENT_ID: e.ZOOM_CLIENT_ID,
    ZOOM_CLIENT_SECRET: e.ZOOM_CLIENT_SECRET,
    ZOOM_WEBHOOK_SECRET_TOKEN: e.ZOOM_WEBHOOK_SECRET_TOKEN,
  };
  const missing = Object.entries(required).filter(([, v]) => v === undefined);
  if (missing.length === 3) return undefined;
  if (missing.length > 0) {
    return `${missing[0]![0]}: Zoom needs ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET and ZOOM_WEBHOOK_SECRET_TOKEN together`;
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

/**
 * Teams is on with its three credentials, or in local development with
 * TEAMS_ALLOW_UNAUTHENTICATED=true and none of them; never with both (a deployment with
 * credentials must not accept unsigned activities by a forgotten flag).
 */
function teamsSettings(e: z.infer<typeof schema>): TeamsSettings | undefined | string {
  const credentials = [e.TEAMS_CLIENT_ID, e.TEAMS_CLIENT_SECRET, e.TEAMS_TENANT_ID];
  const any = credentials.some((v) => v !== undefined);
  const unauthenticated = e.TEAMS_ALLOW_UNAUTHENTICATED === 'true';
  if (any && unauthenticated) {
    return 'TEAMS_ALLOW_UNAUTHENTICATED: is for local development without credentials; remove it when TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID are set';
  }
  if (any && credentials.some((v) => v === undefined)) {
    return 'TEAMS_CLIENT_ID: the Teams bot needs TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID together';
  }
  if (!any && !unauthenticated) return undefined;
  return {
    credentials: any
      ? {
          clientId: e.TEAMS_CLIENT_ID!,
          clientSecret: e.TEAMS_CLIENT_SECRET!,
          tenantId: e.TEAMS_TENANT_ID!,
        }
      : undefined,
    loginUrl: e.TEAMS_LOGIN_URL.replace(/\/+$/, ''),
    openIdMetadataUrl: e.TEAMS_OPENID_METADATA_URL,
    graphUrl: e.TEAMS_GRAPH_URL.replace(/\/+$/, ''),
  };
}

/** Azure engines are on when their settings are complete, off when none are set. */
function azureSettings(
  e: z.infer<typeof schema>,
): Pick<Config, 'azureOpenAI' | 'azureSpeech'> | string {
  const deployments = e.AZURE_OPENAI_SUMMARY_DEPLOYMENT ?? e.AZURE_OPENAI_WHISPER_DEPLOYMENT;
  if (deployments && !e.AZURE_OPENAI_ENDPOINT) {
    return 'AZURE_OPENAI_ENDPOINT: the Azure OpenAI deployments need the resource endpoint (https://<resource>.openai.azure.com)';
  }
  if (e.AZURE_OPENAI_ENDPOINT && !deployments) {
    return 'AZURE_OPENAI_SUMMARY_DEPLOYMENT: Azure OpenAI needs AZURE_OPENAI_SUMMARY_DEPLOYMENT and/or AZURE_OPENAI_WHISPER_DEPLOYMENT';
  }
  const speechPlace = e.AZURE_SPEECH_REGION ?? e.AZURE_SPEECH_ENDPOINT;
  if (e.AZURE_SPEECH_KEY && !speechPlace) {
    return 'AZURE_SPEECH_REGION: Azure Speech needs its region (or AZURE_SPEECH_ENDPOINT)';
  }
  if (speechPlace && !e.AZURE_SPEECH_KEY) {
    return 'AZURE_SPEECH_KEY: Azure Speech needs the resource key';
  }
  return {
    azureOpenAI: e.AZURE_OPENAI_ENDPOINT
      ? {
          endpoint: e.AZURE_OPENAI_ENDPOINT,
          apiKey: e.AZURE_OPENAI_API_KEY,
          apiVersion: e.AZURE_OPENAI_API_VERSION,
          summaryDeployment: e.AZURE_OPENAI_SUMMARY_DEPLOYMENT,
          whisperDeployment: e.AZURE_OPENAI_WHISPER_DEPLOYMENT,
          maxPromptTokens: e.AZURE_OPENAI_MAX_PROMPT_TOKENS,
          maxOutputTokens: e.AZURE_OPENAI_MAX_OUTPUT_TOKENS,
        }
      : undefined,
    azureSpeech: e.AZURE_SPEECH_KEY
      ? {
          key: e.AZURE_SPEECH_KEY,
          region: e.AZURE_SPEECH_REGION,
          endpoint: e.AZURE_SPEECH_ENDPOINT,
        }
      : undefined,
  };
}

/** Slack is on when its settings are complete, off when none are set, refused when half set. */
function slackSettings(e: z.infer<typeof schema>): SlackSettings | undefined | string {
  const oauth = [e.SLACK_CLIENT_ID, e.SLACK_CLIENT_SECRET, e.SLACK_STATE_SECRET];
  const anyOauth = oauth.some((v) => v !== undefined);
  const any = anyOauth || e.SLACK_SIGNING_SECRET || e.SLACK_BOT_TOKEN || e.SLACK_APP_TOKEN;
  if (!any) return undefined;
  if (anyOauth && oauth.some((v) => v === undefined)) {
    return 'SLACK_CLIENT_ID: many workspaces need SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET together';
  }
  if (anyOauth && e.SLACK_BOT_TOKEN) {
    return 'SLACK_BOT_TOKEN: set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (many workspaces), not both';
  }
  if (!anyOauth && !e.SLACK_BOT_TOKEN) {
    return 'SLACK_BOT_TOKEN: Slack needs SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (many workspaces)';
  }
  if (!e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
    return 'SLACK_SIGNING_SECRET: Slack over HTTP needs its signing secret (or set SLACK_APP_TOKEN for Socket Mode)';
  }
  return {
    signingSecret: e.SLACK_SIGNING_SECRET,
    workspaces: e.SLACK_BOT_TOKEN
      ? { kind: 'one', botToken: e.SLACK_BOT_TOKEN }
      : {
          kind: 'many',
          clientId: e.SLACK_CLIENT_ID!,
          clientSecret: e.SLACK_CLIENT_SECRET!,
          stateSecret: e.SLACK_STATE_SECRET!,
        },
    appToken: e.SLACK_APP_TOKEN,
    apiUrl: e.SLACK_API_URL?.replace(/\/*$/, '/'),
  };
}
