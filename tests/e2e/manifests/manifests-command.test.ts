// `quorum manifests` run as an operator runs it: every registered platform's files are written
// under --out, each is read back from disk and validated again, and what Slack is told matches
// the base URL. Bad input (a plain-http URL, a platform whose files are invalid) is refused with
// a message and a non-zero exit.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MANIFEST_MODULES, writeManifests } from '../../../manifests/index.ts';
import { slackManifestModule, slackManifestSchema } from '../../../manifests/slack/module.ts';
import { slackManifest } from '../../../manifests/slack/manifest.ts';
import type { ManifestModule } from '../../../manifests/types.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'quorum-manifests-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function quorum(args: string[]) {
  return spawnSync(process.execPath, ['bin/quorum.js', ...args], {
    // The Teams package names the bot's app id (TEAMS_CLIENT_ID).
    env: { PATH: process.env.PATH ?? '', TEAMS_CLIENT_ID: '6f2c7a3e-1d4b-4c8a-9e5f-0a1b2c3d4e5f' },
    encoding: 'utf8',
  });
}

describe('quorum manifests', () => {
  it('writes every registered platform’s files and they validate when read back', async () => {
    const out = path.join(scratch, 'all');
    const run = quorum(['manifests', '--base-url', 'https://quorum.example.com/', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(MANIFEST_MODULES.length).toBeGreaterThan(0);
    for (const module of MANIFEST_MODULES) {
      expect(run.stdout).toMatch(new RegExp(`\\b${module.platform}\\s+valid\\b`));
      const generated = await module.generate('https://quorum.example.com');
      expect(generated.length).toBeGreaterThan(0);
      const fromDisk = generated.map((file) => {
        const full = path.join(out, file.path);
        expect(existsSync(full), file.path).toBe(true);
        expect(run.stdout).toContain(`wrote ${file.path}`);
        const bytes = readFileSync(full);
        return {
          path: file.path,
          content: typeof file.content === 'string' ? bytes.toString('utf8') : bytes,
        };
      });
      expect(await module.validate(fromDisk)).toEqual([]);
    }
  });

  it('points Slack at the base URL, in the HTTP and Socket Mode variants', () => {
    const out = path.join(scratch, 'slack');
    const run = quorum([
      'manifests',
      '--base-url',
      'https://meet.acme.example',
      '--out',
      out,
      '--json',
    ]);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { outDir: string; platforms: unknown[] };
    expect(report.outDir).toBe(out);
    const http = JSON.parse(readFileSync(path.join(out, 'slack/manifest.json'), 'utf8'));
    expect(http.settings.event_subscriptions.request_url).toBe(
      'https://meet.acme.example/slack/events',
    );
    expect(http.oauth_config.redirect_urls).toEqual([
      'https://meet.acme.example/slack/oauth_redirect',
    ]);
    const socket = JSON.parse(
      readFileSync(path.join(out, 'slack/manifest-socket-mode.json'), 'utf8'),
    );
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(socket)).not.toContain('/slack/events');
  });

  it('refuses a base URL the platforms cannot call (exit 2, nothing written)', () => {
    const out = path.join(scratch, 'refused');
    const plain = quorum(['manifests', '--base-url', 'http://quorum.example.com', '--out', out]);
    expect(plain.status).toBe(2);
    expect(plain.stderr).toMatch(/must be https:\/\//);
    const garbage = quorum(['manifests', '--base-url', 'quorum', '--out', out]);
    expect(garbage.status).toBe(2);
    expect(garbage.stderr).toMatch(/is not a URL/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('manifest validation', () => {
  it('finds what Slack would reject: long names, unknown fields, HTTP without request URLs', async () => {
    const good = slackManifest('https://quorum.example.com');
    expect(slackManifestSchema.safeParse(good).success).toBe(true);
    const bad = structuredClone(good) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    bad.display_information.name = 'Q'.repeat(36);
    bad.features.shortcuts[0].type = 'global-ish';
    bad.settings.colour = 'blue';
    const noUrl = structuredClone(good);
    delete (noUrl.settings.event_subscriptions as { request_url?: string }).request_url;
    const problems = await slackManifestModule.validate([
      { path: 'slack/manifest.json', content: JSON.stringify(bad) },
      { path: 'slack/manifest-socket-mode.json', content: '{ not json' },
      { path: 'slack/no-url.json', content: JSON.stringify(noUrl) },
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^slack\/manifest\.json: display_information\.name: /),
        expect.stringMatching(/^slack\/manifest\.json: features\.shortcuts\.0\.type: /),
        expect.stringMatching(/^slack\/manifest\.json: settings: .*colour/),
        expect.stringMatching(
          /^slack\/no-url\.json: settings\.event_subscriptions\.request_url: bot events over HTTP/,
        ),
        expect.stringMatching(/^slack\/manifest-socket-mode\.json: not JSON/),
      ]),
    );
  });

  it('reports a platform’s problems and a failing generator, and still writes the others', async () => {
    const out = path.join(scratch, 'mixed');
    const broken: ManifestModule = {
      platform: 'zoom',
      generate: async () => [
        { path: 'zoom/manifest.json', content: '{}' },
        { path: '../escape.json', content: '{}' },
      ],
      validate: async () => ['zoom/manifest.json: features: required'],
    };
    const failing: ManifestModule = {
      platform: 'teams',
      generate: async () => {
        throw new Error('no icons');
      },
      validate: async () => [],
    };
    const results = await writeManifests('https://quorum.example.com', out, [
      slackManifestModule,
      broken,
      failing,
    ]);
    expect(results.map((r) => [r.platform, r.problems])).toEqual([
      ['slack', []],
      [
        'zoom',
        [
          'zoom/manifest.json: features: required',
          '../escape.json: refused, it points outside the output folder',
        ],
      ],
      ['teams', ['could not generate: no icons']],
    ]);
    expect(existsSync(path.join(out, 'slack/manifest.json'))).toBe(true);
    expect(existsSync(path.join(scratch, 'escape.json'))).toBe(false);
  });
});
