// The deployment files under infra/deploy, read the way Docker, Compose and Azure read them:
// every environment variable they give Quorum is one Quorum reads (the list comes from the
// configuration schema, so it cannot drift), every variable a several-node deployment needs is
// set, secrets are never written in (interpolated from .env, or Key Vault references through a
// managed identity), and each node's environment, with sample values filled in, passes Quorum's
// own configuration check with the role it is meant to have.
//
// Docker is not installed on this machine, so the image itself is not built here; the
// Dockerfile is checked as text.
import { execSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_VARIABLES,
  MULTI_NODE_REQUIRED,
  SECRET_NAMES,
  loadConfig,
} from '../../../infra/server/config.ts';
import { launcherSourceDigest } from '../../../infra/local/ferretdb-binary.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DEPLOY = path.join(ROOT, 'infra/deploy');
const read = (file: string) => readFileSync(path.join(DEPLOY, file), 'utf8');
const known = new Set(CONFIG_VARIABLES);

/** Sample values for the operator's settings, as a filled-in .env would have them. */
const SAMPLES: Record<string, string> = {
  QUORUM_DOMAIN: 'quorum.example.com',
  ACME_EMAIL: 'ops@example.com',
  MONGO_ROOT_PASSWORD: randomBytes(24).toString('hex'),
  MONGO_APP_PASSWORD: randomBytes(24).toString('hex'),
  QUORUM_SESSION_SECRET: randomBytes(32).toString('base64'),
  QUORUM_API_KEY_PEPPER: randomBytes(32).toString('base64'),
  QUORUM_SIGNING_KEY_PEM: generateKeyPairSync('ed25519')
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString(),
};

// ---------------------------------------------------------------- Dockerfile

interface DockerStage {
  from: string;
  name: string | undefined;
  instructions: Array<{ op: string; args: string }>;
}

/** A small Dockerfile reader: joins continued lines, drops comments, splits stages. */
function readDockerfile(text: string): { args: Record<string, string>; stages: DockerStage[] } {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: DockerStage[] = [];
  for (const line of lines) {
    const [, op = '', rest = ''] = line.match(/^(\S+)\s*(.*)$/) ?? [];
    const upper = op.toUpperCase();
    if (upper === 'FROM') {
      const [, image = '', name] = rest.match(/^(\S+)(?:\s+AS\s+(\S+))?/i) ?? [];
      const from = image.replace(/\$\{(\w+)\}/g, (_, n: string) => args[n] ?? '');
      stages.push({ from, name, instructions: [] });
    } else if (upper === 'ARG' && stages.length === 0) {
      const [name = '', value = ''] = rest.split('=');
      args[name] = value;
    } else {
      stages.at(-1)?.instructions.push({ op: upper, args: rest });
    }
  }
  return { args, stages };
}

/** ENV lines: `ENV A=1 B="x y"` and the old `ENV A 1` form. */
function envOf(stage: DockerStage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { op, args } of stage.instructions) {
    if (op !== 'ENV') continue;
    if (!args.includes('=')) {
      const [name = '', ...value] = args.split(/\s+/);
      env[name] = value.join(' ');
      continue;
    }
    for (const m of args.matchAll(/(\w+)=("([^"]*)"|\S*)/g)) env[m[1]!] = m[3] ?? m[2]!;
  }
  return env;
}

describe('the Dockerfile', () => {
  const { stages } = readDockerfile(read('Dockerfile'));
  const runtime = stages.at(-1)!;
  const build = stages.find((s) => s.name === 'build')!;
  const runs = (stage: DockerStage) =>
    stage.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);

  it('builds in stages: npm ci and the browser pages in one, production dependencies in the last', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runs(build).some((r) => /\bnpm ci\b/.test(r) && !r.includes('--omit=dev'))).toBe(true);
    expect(runs(build)).toContain('node infra/local/build-ui.ts --force');
    expect(runs(runtime).some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(runtime.from).toMatch(/^node:24\b/);
    // Go only in its own build stage: the runtime never needs it.
    expect(runtime.from).not.toMatch(/golang/);
    expect(runs(runtime).join(' ')).not.toMatch(/\bgolang\b|\bgo install\b/);
    const copies = runtime.instructions.filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copies).toContain('--from=build /app/.quorum/ui ./.quorum/ui');
  });

  it("ships the launcher's source digest beside the embedded database binary, so it never needs Go", () => {
    const digest = runs(build).find((r) => r.includes('launcherSourceDigest'));
    expect(digest).toBeDefined();
    const [command = '', file = ''] = digest!.split(' > ');
    // The build stage's command, run here, prints the digest the runtime compares.
    expect(execSync(command, { cwd: ROOT, encoding: 'utf8' })).toBe(launcherSourceDigest());
    const copies = runtime.instructions.filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copies).toContain('--from=ferretdb /out/ferretdb ./.quorum/bin/ferretdb');
    expect(copies).toContain(`--from=build /app/${file} ./.quorum/bin/ferretdb.source-sha256`);
  });

  it('runs as a non-root user and checks /readyz', () => {
    const users = runtime.instructions.filter((i) => i.op === 'USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    const ops = runtime.instructions.map((i) => i.op);
    expect(ops.lastIndexOf('USER')).toBeLessThan(ops.lastIndexOf('CMD'));
    const health = runtime.instructions.find((i) => i.op === 'HEALTHCHECK')!;
    expect(health.args).toContain('infra/deploy/healthcheck.ts');
    expect(read('healthcheck.ts')).toContain('/readyz');
    expect(runtime.instructions.find((i) => i.op === 'CMD')?.args).toBe(
      '["node", "infra/server/main.ts"]',
    );
  });

  it('sets only variables Quorum reads, listens on every interface, and carries no secret', () => {
    const env = envOf(runtime);
    expect(Object.keys(env).length).toBeGreaterThan(0);
    for (const name of Object.keys(env)) expect(known, name).toContain(name);
    expect(env.HOST).toBe('0.0.0.0');
    for (const name of SECRET_NAMES) expect(env, name).not.toHaveProperty(name);
    const loaded = loadConfig(env);
    expect(loaded.ok && loaded.config.host).toBe('0.0.0.0');
    // The data folder is the volume, and the user owns it.
    const volume = runtime.instructions.find((i) => i.op === 'VOLUME')?.args ?? '';
    expect(volume).toContain(env.QUORUM_DATA_DIR!);
  });

  it('installs jemalloc for the server to preload into itself at start, with no LD_PRELOAD set', () => {
    expect(runs(runtime).join(' ')).toMatch(/apt-get install [^&]*\blibjemalloc2\b/);
    expect(envOf(runtime)).not.toHaveProperty('LD_PRELOAD');
  });

  it('has a .dockerignore that keeps installed packages, data, keys and .env out of the build', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['node_modules', 'data', '.quorum', '.env', '.git']) {
      expect(ignored, entry).toContain(entry);
    }
  });
});

// ---------------------------------------------------------------- compose

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | null>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  ports?: string[];
  secrets?: string[];
}

const compose = parseYaml(read('compose.yaml'), { merge: true }) as {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { file?: string; environment?: string }>;
  volumes: Record<string, unknown>;
};
const quorumNodes = Object.entries(compose.services).filter(
  ([, s]) => s.build?.dockerfile === 'infra/deploy/Dockerfile',
);

const INTERPOLATION = /\$\{(\w+)(?::?([-?])([^}]*))?\}/g;

/** What Compose would pass, with the sample .env: `${X:?…}` → sample, `${X:-d}` → d. */
function interpolate(value: string): string {
  return value.replace(INTERPOLATION, (_, name: string, kind?: string, rest?: string) => {
    if (kind === '-') return SAMPLES[name] ?? rest ?? '';
    const sample = SAMPLES[name];
    if (sample === undefined) throw new Error(`no sample value for required ${name}`);
    return sample;
  });
}

function environmentOf(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v ?? '')]),
  );
}

describe('the compose file', () => {
  it('runs two web nodes and one worker of the image, each with its role', () => {
    const roles = Object.fromEntries(
      quorumNodes.map(([name, s]) => [name, environmentOf(s).QUORUM_ROLE]),
    );
    expect(roles).toEqual({ web1: 'web', web2: 'web', worker: 'worker' });
  });

  it('gives the nodes only variables Quorum reads, and every one several nodes need', () => {
    for (const [name, service] of quorumNodes) {
      const env = environmentOf(service);
      for (const variable of Object.keys(env))
        expect(known, `${name}: ${variable}`).toContain(variable);
      for (const variable of MULTI_NODE_REQUIRED) {
        expect(env[variable], `${name}: ${variable}`).toBeTruthy();
        // Required settings have no silent empty default.
        expect(env[variable], `${name}: ${variable}`).not.toMatch(/\$\{\w+:-\}/);
      }
    }
  });

  it('writes no secret in: each comes from .env and is required there', () => {
    for (const [name, service] of quorumNodes) {
      const env = environmentOf(service);
      for (const variable of SECRET_NAMES) {
        const value = env[variable];
        if (value === undefined) continue;
        const literal = value.replace(INTERPOLATION, '');
        if (variable === 'MONGODB_URI') {
          // Only the password is secret in the URI: it must be interpolated.
          expect(literal, name).toMatch(/^mongodb:\/\/[\w-]+:@[\w.,:-]+\/\?/);
        } else {
          expect(literal, `${name}: ${variable}`).toBe('');
        }
      }
    }
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [variable, value] of Object.entries(environmentOf(service))) {
        if (/PASSWORD|SECRET|TOKEN|PEPPER|KEY_PEM/.test(variable)) {
          expect(value.replace(INTERPOLATION, ''), `${name}: ${variable}`).toBe('');
        }
      }
    }
    for (const [name, secret] of Object.entries(compose.secrets ?? {})) {
      expect(secret.file, name).toMatch(/^\.\/secrets\//);
    }
  });

  it('lists every setting it interpolates in quorum.env.example, and nothing else', () => {
    const used = new Set(
      [...read('compose.yaml').matchAll(INTERPOLATION)]
        .map((m) => m[1]!)
        .filter((n) => n !== 'QUORUM_IMAGE' && n !== 'LOG_LEVEL' && n !== 'QUORUM_OPEN_SIGNUP'),
    );
    const example = new Set(
      [...read('quorum.env.example').matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]!),
    );
    expect([...example].sort()).toEqual(
      [...used].filter((n) => n !== 'MICROSOFT_TENANT_ID').sort(),
    );
  });

  it('gives each node a configuration Quorum accepts, with the same shared secrets', () => {
    const secrets = new Set<string>();
    for (const [name, service] of quorumNodes) {
      const env = Object.fromEntries(
        Object.entries(environmentOf(service)).map(([k, v]) => [k, interpolate(v)]),
      );
      const loaded = loadConfig(env);
      expect(loaded.ok ? [] : loaded.problems, name).toEqual([]);
      if (!loaded.ok) continue;
      expect(loaded.config.role).toBe(environmentOf(service).QUORUM_ROLE);
      expect(loaded.config.baseUrl).toBe('https://quorum.example.com');
      expect(loaded.config.mongodbUri).toContain('replicaSet=rs0');
      secrets.add(`${loaded.config.sessionSecret}|${loaded.config.apiKeyPepper}`);
    }
    expect(secrets.size).toBe(1);
  });

  it('runs a three-member replica set, initiated by a job the nodes wait for', () => {
    const members = Object.entries(compose.services).filter(([, s]) =>
      String(s.entrypoint).includes('--replSet rs0'),
    );
    expect(members.map(([n]) => n).sort()).toEqual(['mongo1', 'mongo2', 'mongo3']);
    for (const [, member] of members) expect(String(member.entrypoint)).toContain('--keyFile');
    const uri = environmentOf(quorumNodes[0]![1]).MONGODB_URI!;
    for (const [name] of members) expect(uri).toContain(`${name}:27017`);
    const init = compose.services['mongo-init']!;
    expect(init.command).toContain('/init-replica-set.js');
    const script = read('mongo/init-replica-set.js');
    for (const [name] of members) expect(script).toContain(`host: '${name}:27017'`);
    expect(script).toContain("_id: 'rs0'");
    for (const [name, node] of quorumNodes) {
      expect(node.depends_on, name).toMatchObject({
        'mongo-init': { condition: 'service_completed_successfully' },
      });
    }
  });

  it('shares one data volume among the nodes, at the data folder the image uses', () => {
    const { stages } = readDockerfile(read('Dockerfile'));
    const dataDir = envOf(stages.at(-1)!).QUORUM_DATA_DIR;
    for (const [name, node] of quorumNodes) {
      expect(node.volumes, name).toContain(`quorum-data:${dataDir}`);
    }
  });

  it('terminates TLS in Caddy and balances over exactly the web nodes, checking /readyz', () => {
    const proxy = compose.services.proxy!;
    expect(proxy.ports).toContain('443:443');
    expect(proxy.volumes).toContain('./Caddyfile:/etc/caddy/Caddyfile:ro');
    const caddyfile = read('Caddyfile');
    const upstreams = caddyfile
      .match(/reverse_proxy\s+([^{\n]+)/)![1]!
      .trim()
      .split(/\s+/);
    const webNodes = quorumNodes.filter(([, s]) => environmentOf(s).QUORUM_ROLE === 'web');
    expect(upstreams.sort()).toEqual(
      webNodes.map(([name, s]) => `${name}:${environmentOf(s).PORT}`).sort(),
    );
    expect(caddyfile).toMatch(/health_uri \/readyz/);
    expect(caddyfile).toContain('{$QUORUM_DOMAIN}');
  });
});

// ---------------------------------------------------------------- Azure (ARM)

interface ArmEnv {
  name: string;
  value?: string;
  secretRef?: string;
}
interface ArmSecret {
  name: string;
  keyVaultUrl?: string;
  identity?: string;
  value?: string;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const arm: Json = JSON.parse(read('azure/quorum.json'));
const apps: Json[] = arm.resources.filter((r: Json) => r.type === 'Microsoft.App/containerApps');

/** The variables an expression concatenates, in order. */
function variablesIn(expression: string): string[] {
  return [...expression.matchAll(/variables\('(\w+)'\)/g)].map((m) => m[1]!);
}

/** Every env entry an app's container may get: the *Env variables it uses and inline objects. */
function appEnv(app: Json): ArmEnv[] {
  const expression: string = app.properties.template.containers[0].env;
  const fromVariables = variablesIn(expression)
    .filter((v) => v.endsWith('Env'))
    .flatMap((v) => arm.variables[v] as ArmEnv[]);
  const inline = [...expression.matchAll(/createObject\('name', '(\w+)', 'value'/g)].map((m) => ({
    name: m[1]!,
    value: '[expression]',
  }));
  return [...fromVariables, ...inline];
}

function appSecrets(app: Json): ArmSecret[] {
  return variablesIn(app.properties.configuration.secrets).flatMap(
    (v) => arm.variables[v] as ArmSecret[],
  );
}

const roleOf = (app: Json) => appEnv(app).find((e) => e.name === 'QUORUM_ROLE')?.value;

describe('the Azure template', () => {
  it('is an ARM deployment template whose expressions name only what it defines', () => {
    expect(arm.$schema).toMatch(/deploymentTemplate\.json#$/);
    const text = read('azure/quorum.json');
    for (const m of text.matchAll(/parameters\('(\w+)'\)/g)) {
      expect(arm.parameters, m[1]).toHaveProperty(m[1]!);
    }
    for (const m of text.matchAll(/variables\('(\w+)'\)/g)) {
      expect(arm.variables, m[1]).toHaveProperty(m[1]!);
    }
    for (const [name, parameter] of Object.entries(arm.parameters as Record<string, Json>)) {
      if (/password|secret|connectionString/i.test(name)) {
        expect(parameter.type, name).toBe('securestring');
      }
    }
  });

  it('has a web app with HTTPS ingress and /readyz, and a worker app without ingress', () => {
    expect(apps.map(roleOf).sort()).toEqual(['web', 'worker']);
    const web = apps.find((a) => roleOf(a) === 'web');
    const worker = apps.find((a) => roleOf(a) === 'worker');
    const port = Number(appEnv(web).find((e) => e.name === 'PORT')?.value);
    expect(web.properties.configuration.ingress).toMatchObject({
      external: true,
      targetPort: port,
      allowInsecure: false,
    });
    const probes = web.properties.template.containers[0].probes;
    expect(probes).toContainEqual(
      expect.objectContaining({ type: 'Readiness', httpGet: { path: '/readyz', port } }),
    );
    expect(worker.properties.configuration.ingress).toBeUndefined();
    // Both mount the same share at the data folder: uploads wait there for the worker.
    for (const app of apps) {
      const dataDir = appEnv(app).find((e) => e.name === 'QUORUM_DATA_DIR')?.value;
      expect(app.properties.template.containers[0].volumeMounts).toEqual([
        { volumeName: 'data', mountPath: dataDir },
      ]);
    }
  });

  it('sets only variables Quorum reads, and every one several nodes need', () => {
    for (const app of apps) {
      const names = appEnv(app).map((e) => e.name);
      for (const name of names) expect(known, name).toContain(name);
      for (const name of MULTI_NODE_REQUIRED)
        expect(names, `${roleOf(app)}: ${name}`).toContain(name);
      expect(new Set(names).size, 'each variable once').toBe(names.length);
    }
  });

  it('takes every secret from Key Vault through the managed identity, never a value', () => {
    for (const app of apps) {
      const secrets = appSecrets(app);
      expect(secrets.length).toBeGreaterThan(0);
      for (const secret of secrets) {
        expect(secret.value, secret.name).toBeUndefined();
        expect(secret.keyVaultUrl, secret.name).toMatch(/variables\('secretUrl'\)/);
        expect(secret.identity, secret.name).toMatch(/userAssignedIdentities/);
      }
      const defined = new Set(secrets.map((s) => s.name));
      for (const env of appEnv(app)) {
        if (SECRET_NAMES.has(env.name)) {
          expect(env.value, env.name).toBeUndefined();
          expect(env.secretRef, env.name).toBeDefined();
        }
        if (env.secretRef) expect(defined, env.secretRef).toContain(env.secretRef);
      }
    }
  });

  it('creates the vault, a database choice, Azure OpenAI and Speech, with roles for the identity', () => {
    const types = arm.resources.map((r: Json) => r.type);
    for (const type of [
      'Microsoft.KeyVault/vaults',
      'Microsoft.DocumentDB/mongoClusters',
      'Microsoft.ManagedIdentity/userAssignedIdentities',
      'Microsoft.App/managedEnvironments',
      'Microsoft.App/managedEnvironments/storages',
    ]) {
      expect(types).toContain(type);
    }
    const kinds = arm.resources
      .filter((r: Json) => r.type === 'Microsoft.CognitiveServices/accounts')
      .map((r: Json) => r.kind);
    expect(kinds.sort()).toEqual(['OpenAI', 'SpeechServices']);
    expect(arm.parameters.database.allowedValues).toEqual(['cosmos-vcore', 'atlas']);
    const vault = arm.resources.find((r: Json) => r.type === 'Microsoft.KeyVault/vaults');
    expect(vault.properties).toMatchObject({
      enableRbacAuthorization: true,
      enablePurgeProtection: true,
    });
    const roles = arm.resources
      .filter((r: Json) => r.type === 'Microsoft.Authorization/roleAssignments')
      .map((r: Json) => r.properties.roleDefinitionId.match(/variables\('roles'\)\.(\w+)/)[1]);
    expect(roles.sort()).toEqual(Object.keys(arm.variables.roles).sort());
  });

  it('gives each app a configuration Quorum accepts', () => {
    for (const app of apps) {
      const env = Object.fromEntries(
        appEnv(app).map((e) => {
          if (e.secretRef) return [e.name, secretSample(e.name)];
          if (e.value?.startsWith('[')) return [e.name, expressionSample(e.name)];
          return [e.name, e.value ?? ''];
        }),
      );
      const loaded = loadConfig(env);
      expect(loaded.ok ? [] : loaded.problems, roleOf(app)).toEqual([]);
      expect(loaded.ok && loaded.config.role).toBe(roleOf(app));
      expect(loaded.ok && loaded.config.keyVaultUrl).toBe('https://quorum-kv.vault.azure.net/');
    }
  });
});

/** Values Key Vault would hold for a secret reference. */
function secretSample(name: string): string {
  const samples: Record<string, string> = {
    MONGODB_URI:
      'mongodb+srv://quorumadmin:pw@quorum-mongo.global.mongocluster.cosmos.azure.com/?tls=true',
    QUORUM_SESSION_SECRET: SAMPLES.QUORUM_SESSION_SECRET!,
    QUORUM_API_KEY_PEPPER: SAMPLES.QUORUM_API_KEY_PEPPER!,
    QUORUM_SIGNING_KEY_PEM: SAMPLES.QUORUM_SIGNING_KEY_PEM!,
    SLACK_SIGNING_SECRET: randomBytes(16).toString('hex'),
    SLACK_CLIENT_SECRET: randomBytes(16).toString('hex'),
    SLACK_STATE_SECRET: randomBytes(16).toString('hex'),
    GOOGLE_CLIENT_SECRET: randomBytes(16).toString('hex'),
    MICROSOFT_CLIENT_SECRET: randomBytes(16).toString('hex'),
  };
  const value = samples[name];
  if (value === undefined) throw new Error(`no sample for the secret ${name}`);
  return value;
}

/** Values the deployment would compute for an expression. */
function expressionSample(name: string): string {
  const samples: Record<string, string> = {
    QUORUM_BASE_URL: 'https://quorum.example.com',
    AZURE_KEY_VAULT_URL: 'https://quorum-kv.vault.azure.net/',
    AZURE_CLIENT_ID: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    SLACK_CLIENT_ID: '1234.5678',
    GOOGLE_CLIENT_ID: 'client.apps.googleusercontent.com',
    MICROSOFT_CLIENT_ID: '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9',
    MICROSOFT_TENANT_ID: 'organizations',
    AZURE_OPENAI_ENDPOINT: 'https://quorum-openai-abc123.openai.azure.com/',
    AZURE_OPENAI_SUMMARY_DEPLOYMENT: 'gpt-4o-mini',
  };
  const value = samples[name];
  if (value === undefined) throw new Error(`no sample for the expression of ${name}`);
  return value;
}

it('keeps deploy files where the README says', () => {
  for (const file of ['Dockerfile', 'compose.yaml', 'Caddyfile', 'azure/quorum.json']) {
    expect(existsSync(path.join(DEPLOY, file)), file).toBe(true);
  }
});
