// The Teams app package validates offline against the manifest schema @microsoft/app-manifest
// bundles; it holds the bot, the meeting side panel and the resource-specific permissions the
// code relies on; and the zip Teams uploads holds exactly the manifest and its two icons.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  MANIFEST_VERSION,
  RSC_PERMISSIONS,
  createTeamsManifestModule,
  teamsManifestModule,
} from '../../../manifests/teams/index.ts';

/** The files of a zip (PKWARE APPNOTE: end of central directory → central directory → local headers). */
function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataAt, dataAt + compressed);
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

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
      path.resolve(import.meta.dirname, '../../../bots/teams/render/meetings.ts'),
      'utf8',
    );
    expect(cards).toContain('OnlineMeetingTranscript.Read.Chat');
  });

  it('zips exactly manifest.json, color.png and outline.png', async () => {
    const { files } = await manifestOf();
    const zip = Buffer.from(files.find((f) => f.path === 'teams/quorum-teams.zip')!.content);
    const entries = readZip(zip);
    expect([...entries.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(JSON.parse(entries.get('manifest.json')!.toString('utf8')).id).toBe(BOT_ID);
    const color = files.find((f) => f.path === 'teams/color.png')!.content;
    expect(entries.get('color.png')!.equals(Buffer.from(color))).toBe(true);
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
