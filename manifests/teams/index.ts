// The Teams app package: manifest.json (the current schema version that @microsoft/app-manifest
// bundles), the colour and outline icons, zipped for upload ("Upload a custom app" in Teams, or
// the Teams admin center). Made from Quorum's public URL and the bot's app id; validated offline
// against the bundled JSON schema with the package's own validator.
//
//   node manifests/teams/index.ts https://quorum.example.com [out-folder]
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManifestUtil } from '@microsoft/app-manifest';
import yazl from 'yazl';
import type { ManifestFile, ManifestModule } from '../types.ts';
import { ssoResource } from '../../bots/teams/transport.ts';

export const MANIFEST_VERSION = '1.30';
const ICONS = path.resolve(import.meta.dirname, '../icons');
const require = createRequire(import.meta.url);
const SCHEMA_PATH = path.join(
  path.dirname(require.resolve('@microsoft/app-manifest/package.json')),
  'build/json-schemas/teams',
  `v${MANIFEST_VERSION}`,
  'MicrosoftTeams.schema.json',
);
/** Shown when no TEAMS_CLIENT_ID is set: the package validates, but Teams needs the real id. */
export const PLACEHOLDER_APP_ID = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Resource-specific consent the code relies on: meeting start/end events in meetings the app
 * is added to, and reading those meetings' transcripts.
 */
export const RSC_PERMISSIONS = [
  'OnlineMeeting.ReadBasic.Chat',
  'OnlineMeetingTranscript.Read.Chat',
];

export function teamsManifest(baseUrl: string, botId: string) {
  const url = new URL(baseUrl);
  if (url.protocol !== 'https:' && url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') {
    throw new Error(`Teams opens only https pages; ${baseUrl} is not one.`);
  }
  const base = url.href.replace(/\/+$/, '');
  return {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: MANIFEST_VERSION,
    version: '1.0.0',
    id: botId,
    developer: {
      name: 'Quorum',
      websiteUrl: base,
      privacyUrl: `${base}/privacy`,
      termsOfUseUrl: `${base}/terms`,
    },
    name: { short: 'Quorum', full: 'Quorum meeting scheduler' },
    description: {
      short: 'Find times that work for everyone, and get agendas and summaries in meetings.',
      full: 'Quorum finds meeting times across everyone’s calendars and books them with a Teams link from chat: "find 30m with @Ana next week", polls, follow-ups. In meetings it posts the agenda at the start and, after the meeting, the summary, decisions and action items from the transcript. Its side panel shows the agenda and action items.',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: '#1D3557',
    bots: [
      {
        botId,
        scopes: ['personal', 'team', 'groupChat'],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [
          {
            scopes: ['personal', 'team', 'groupChat'],
            commands: [
              { title: 'find', description: 'Best times: find 30m with @Ana next week' },
              { title: 'book', description: 'Check one time: book 2pm thursday with @Ana' },
              { title: 'poll', description: 'Let people vote: poll 45 min with @Ana next week' },
              { title: 'follow-up', description: 'The same people again at the next good time' },
              { title: 'agenda', description: 'The agenda of your next meeting' },
              { title: 'summary', description: 'The summary of your last meeting' },
              { title: 'connect', description: 'Link Teams to your Quorum account and calendar' },
              { title: 'help', description: 'What Quorum can do' },
            ],
          },
        ],
      },
    ],
    configurableTabs: [
      {
        configurationUrl: `${base}/teams/panel?mode=config`,
        canUpdateConfiguration: true,
        scopes: ['groupChat'],
        context: ['meetingSidePanel', 'meetingChatTab', 'meetingDetailsTab'],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [url.host],
    webApplicationInfo: { id: botId, resource: ssoResource(url.host, botId) },
    authorization: {
      permissions: {
        resourceSpecific: RSC_PERMISSIONS.map((name) => ({ name, type: 'Application' })),
      },
    },
  };
}

function zip(entries: Array<{ name: string; content: Buffer }>): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const file = new yazl.ZipFile();
    // A fixed time keeps the package byte-for-byte the same for the same inputs.
    const mtime = new Date('2026-01-01T00:00:00Z');
    for (const entry of entries) file.addBuffer(entry.content, entry.name, { mtime });
    file.end();
    const chunks: Buffer[] = [];
    file.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    file.outputStream.on('error', reject);
    file.outputStream.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
  });
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(content: Uint8Array): { width: number; height: number } | undefined {
  const b = Buffer.from(content);
  if (b.length < 24 || b.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

export function createTeamsManifestModule(options: { botId?: string } = {}): ManifestModule {
  const botId = () => {
    if (options.botId) return options.botId;
    // Only the app id is needed here, so it is read alone (the bot's other settings need not be set).
    const fromEnv = process.env.TEAMS_CLIENT_ID?.trim();
    return fromEnv && GUID.test(fromEnv) ? fromEnv.toLowerCase() : PLACEHOLDER_APP_ID;
  };
  return {
    platform: 'teams',
    async generate(baseUrl) {
      const manifest = `${JSON.stringify(teamsManifest(baseUrl, botId()), null, 2)}\n`;
      const color = await readFile(path.join(ICONS, 'color-192.png'));
      const outline = await readFile(path.join(ICONS, 'outline-32.png'));
      const pkg = await zip([
        { name: 'manifest.json', content: Buffer.from(manifest) },
        { name: 'color.png', content: color },
        { name: 'outline.png', content: outline },
      ]);
      return [
        { path: 'teams/manifest.json', content: manifest },
        { path: 'teams/color.png', content: new Uint8Array(color) },
        { path: 'teams/outline.png', content: new Uint8Array(outline) },
        { path: 'teams/quorum-teams.zip', content: pkg },
      ];
    },
    async validate(files: ManifestFile[]) {
      const problems: string[] = [];
      const file = (name: string) => files.find((f) => f.path === `teams/${name}`);
      const manifestFile = file('manifest.json');
      if (!manifestFile) return ['teams/manifest.json: missing'];
      let manifest: Record<string, unknown>;
      try {
        manifest = JSON.parse(
          typeof manifestFile.content === 'string'
            ? manifestFile.content
            : Buffer.from(manifestFile.content).toString('utf8'),
        ) as Record<string, unknown>;
      } catch (error) {
        return [`teams/manifest.json: not JSON (${(error as Error).message})`];
      }
      const schema = JSON.parse(await readFile(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
      for (const failure of await ManifestUtil.validateManifestAgainstSchema(
        manifest as never,
        schema as never,
      )) {
        problems.push(`teams/manifest.json: ${failure}`);
      }
      const icons: Array<[string, number]> = [
        ['color.png', 192],
        ['outline.png', 32],
      ];
      for (const [name, size] of icons) {
        const icon = file(name);
        const found =
          icon &&
          pngSize(icon.content instanceof Uint8Array ? icon.content : Buffer.from(icon.content));
        if (!found) problems.push(`teams/${name}: missing or not a PNG`);
        else if (found.width !== size || found.height !== size) {
          problems.push(
            `teams/${name}: must be ${size}×${size} pixels, is ${found.width}×${found.height}`,
          );
        }
      }
      if (!file('quorum-teams.zip')) problems.push('teams/quorum-teams.zip: missing');
      if (manifest.id === PLACEHOLDER_APP_ID) {
        problems.push(
          'teams/manifest.json: id is a placeholder; set TEAMS_CLIENT_ID to the bot’s app id',
        );
      }
      return problems;
    },
  };
}

export const teamsManifestModule: ManifestModule = createTeamsManifestModule();

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [baseUrl, out = 'manifests-out'] = process.argv.slice(2);
  if (!baseUrl) {
    process.stderr.write('usage: node manifests/teams/index.ts <public base URL> [out-folder]\n');
    process.exit(2);
  }
  const files = await teamsManifestModule.generate(baseUrl);
  const problems = await teamsManifestModule.validate(files);
  for (const f of files) {
    await mkdir(path.dirname(path.join(out, f.path)), { recursive: true });
    await writeFile(path.join(out, f.path), f.content);
  }
  for (const p of problems) process.stderr.write(`${p}\n`);
  process.stdout.write(`wrote ${files.map((f) => path.join(out, f.path)).join(', ')}\n`);
  process.exit(problems.length > 0 ? 1 : 0);
}
