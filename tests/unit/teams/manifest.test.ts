// The Teams app package validates offline against the manifest schema @microsoft/app-manifest
// bundles; it holds the bot, the meeting side panel and the resource-specific permissions the
// code relies on; and the zip Teams uploads holds exactly the manifest and its two icons.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MANIFEST_VERSION,
  RSC_PERMISSIONS,
  createTeamsManifestModule,
  teamsManifestModule,
} from '../../../manifests/teams/index.ts';

const BOT_ID = '6f2c7a3e-1d4b-4c8a-9e5f-0a1b2c3d4e5f';
const module = createTeamsManifestModule({ botId: BOT_ID });

async function manifestOf(baseUrl = 'https://quorum.example.com') {
  const files = await module.generate(baseUrl);
  const file = files.find((f) => f.path === 'teams/manifest.json')!;
  return { files, manifest: JSON.parse(String(file.content)) };
}

describe('Teams app package', () => {
  it('validates against the newest bundled schema', async () => {
    const { files, manifest } = await manifestOf();
    expect(manifest.manifestVersion).toBe(MANIFEST_VERSION);
    expect(await module.validate(files)).toEqual([]);
    expect(teamsManifestModule.platform).toBe('teams');
  });

  it('reports what the schema refuses', async () => {
    const { files, manifest } = await manifestOf();
    manifest.configurableTabs[0].context = ['sideways'];
    delete manifest.developer;
    const broken = files.map((f) =>
      f.path === 'teams/manifest.json' ? { ...f, content: JSON.stringify(manifest) } : f,
    );
    const problems = await module.validate(broken);
    expect(problems.some((p) => p.includes('/configurableTabs/0/context/0'))).toBe(true);
    expect(problems.some((p) => p.includes('developer'))).toBe(true);
  });

  it('has the bot, the meeting side panel, the RSC permissions the code uses, and the base URL as valid domain', async () => {
    const { manifest } = await manifestOf('https://quorum.example.com/');
    expect(manifest.id).toBe(BOT_ID);
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(manifest.bots[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(manifest.configurableTabs[0].context).toContain('meetingSidePanel');
    expect(manifest.configurableTabs[0].configurationUrl).toBe(
      'https://quorum.example.com/teams/panel?mode=config',
    );
    expect(manifest.validDomains).toEqual(['quorum.example.com']);
    expect(manifest.webApplicationInfo.id).toBe(BOT_ID);
    expect(
      manifest.authorization.permissions.resourceSpecific.map((p: { name: string }) => p.name),
    ).toEqual(RSC_PERMISSIONS);
    // The transcript notice names the same permission an administrator must grant.
    const cards = readFileSync(
      path.resolve(import.meta.dirname, '../../../bots/teams/cards.ts'),
      'utf8',
    );
    expect(cards).toContain('OnlineMeetingTranscript.Read.Chat');
  });

  it('zips exactly manifest.json, color.png and outline.png', async () => {
    const { files } = await manifestOf();
    const zip = files.find((f) => f.path === 'teams/quorum-teams.zip')!;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'teams-zip-'));
    try {
      writeFileSync(path.join(dir, 'app.zip'), zip.content);
      const listing = execFileSync('unzip', ['-Z1', path.join(dir, 'app.zip')]).toString();
      expect(listing.trim().split('\n').sort()).toEqual([
        'color.png',
        'manifest.json',
        'outline.png',
      ]);
      const inside = execFileSync('unzip', [
        '-p',
        path.join(dir, 'app.zip'),
        'manifest.json',
      ]).toString();
      expect(JSON.parse(inside).id).toBe(BOT_ID);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says so when the app id is still the placeholder, and refuses a plain-http public URL', async () => {
    const placeholder = createTeamsManifestModule({
      botId: '00000000-0000-0000-0000-000000000000',
    });
    const problems = await placeholder.validate(await placeholder.generate('https://q.example'));
    expect(problems).toEqual([expect.stringContaining('set TEAMS_CLIENT_ID')]);
    await expect(module.generate('http://quorum.example.com')).rejects.toThrow(/https/);
  });
});
