// One validated configuration object, read once at start from the environment.
//
// Every setting Quorum reads is declared here (the README's table lists the same names).
// A bad value stops start-up with one line per problem; secret values are never echoed.
import { z } from 'zod';

const role = z.enum(['web', 'worker', 'all']);
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const port = z.coerce.number().int().min(0).max(65535);
const httpUrl = z.url({ protocol: /^https?$/ });

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
  LOG_LEVEL: logLevel.default('info'),
  QUORUM_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(8000),
});

/** Names whose values must never be printed, not even in a validation error. */
const SECRET_NAMES = new Set(['MONGODB_URI']);

export interface Config {
  port: number;
  host: string;
  baseUrl: string;
  role: 'web' | 'worker' | 'all';
  dataDir: string;
  mongodbUri: string | undefined;
  logLevel: z.infer<typeof logLevel>;
  shutdownTimeoutMs: number;
  servesHttp: boolean;
  runsJobs: boolean;
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
      logLevel: e.LOG_LEVEL,
      shutdownTimeoutMs: e.QUORUM_SHUTDOWN_TIMEOUT_MS,
      servesHttp: e.QUORUM_ROLE !== 'worker',
      runsJobs: e.QUORUM_ROLE !== 'web',
    },
  };
}
