// The whole configuration, read once at start from the environment: core's settings
// (core/config.ts), the providers' (infra/providers/config.ts) and each adapter's own
// (bots/slack, bots/teams, addins/zoom). Every variable of every part is validated together,
// so one start-up reports every bad value, one line each, naming the variable; secret values
// are never echoed.
import { z } from 'zod';
import { adaptersConfig, type AdapterSettings } from './adapter-config.ts';
import { coreConfig, MULTI_NODE_REQUIRED, type CoreConfig } from '../../core/config.ts';
import { providersConfig, type ProvidersConfig } from '../providers/config.ts';
import { ALLOCATOR_CHOICES } from './allocator.ts';

export { MULTI_NODE_REQUIRED };

export type Config = CoreConfig & ProvidersConfig & AdapterSettings;

const schema = z.object({
  ...coreConfig.schema.shape,
  ...providersConfig.schema.shape,
  ...adaptersConfig.schema.shape,
  // Used by main.ts before anything loads (allocator.ts); listed so that a typo stops start-up.
  QUORUM_ALLOCATOR: z.enum(ALLOCATOR_CHOICES).optional(),
});

/** Every environment variable Quorum reads (deployment files are checked against this list). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

/** Names whose values must never be printed, not even in a validation error. */
export const SECRET_NAMES: ReadonlySet<string> = new Set([
  ...coreConfig.secrets,
  ...providersConfig.secrets,
  ...adaptersConfig.secrets,
]);

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
  // Settings that must be set together: the first part whose settings do not fit is reported.
  const adapters = adaptersConfig.settings(parsed.data);
  if (typeof adapters === 'string') return { ok: false, problems: [adapters] };
  const providers = providersConfig.settings(parsed.data);
  if (typeof providers === 'string') return { ok: false, problems: [providers] };
  const core = coreConfig.settings(parsed.data);
  if (typeof core === 'string') return { ok: false, problems: [core] };
  return { ok: true, config: { ...core, ...providers, ...adapters } };
}
