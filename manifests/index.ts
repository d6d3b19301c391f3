// Every platform's manifest module, and writing them all at once (`quorum manifests`). A new
// platform joins by one line in MANIFEST_MODULES.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { outlookManifestModule } from './outlook/manifest.ts';
import { slackManifestModule } from './slack/module.ts';
import { zoomManifestModule } from './zoom/manifest.ts';
import { teamsManifestModule } from './teams/index.ts';
import type { ManifestModule } from './types.ts';

export type { ManifestFile, ManifestModule } from './types.ts';

export const MANIFEST_MODULES: readonly ManifestModule[] = [
  slackManifestModule,
  zoomManifestModule,
  outlookManifestModule,
  teamsManifestModule,
];

export interface PlatformResult {
  platform: ManifestModule['platform'];
  /** Paths written, relative to the output folder. */
  files: string[];
  problems: string[];
}

/** Checks the base URL the platforms will call; a message saying what is wrong, or undefined. */
export function baseUrlProblem(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return `--base-url: ${JSON.stringify(baseUrl)} is not a URL; give Quorum's public address, e.g. https://quorum.example.com`;
  }
  if (url.protocol !== 'https:') {
    return `--base-url: ${baseUrl} must be https:// — Slack, Teams, Zoom and Outlook call only https addresses`;
  }
  if (url.search || url.hash) return `--base-url: ${baseUrl} must not carry a query or fragment`;
  return undefined;
}

/**
 * Generates, validates and writes every platform's files under `outDir`. A platform whose
 * generator fails is reported as a problem; the others are still written.
 */
export async function writeManifests(
  baseUrl: string,
  outDir: string,
  modules: readonly ManifestModule[] = MANIFEST_MODULES,
): Promise<PlatformResult[]> {
  const root = path.resolve(outDir);
  const results: PlatformResult[] = [];
  for (const module of modules) {
    const result: PlatformResult = { platform: module.platform, files: [], problems: [] };
    results.push(result);
    let files;
    try {
      files = await module.generate(baseUrl);
    } catch (error) {
      result.problems.push(`could not generate: ${(error as Error).message}`);
      continue;
    }
    result.problems.push(...(await module.validate(files)));
    for (const file of files) {
      const target = path.resolve(root, file.path);
      if (!target.startsWith(root + path.sep)) {
        result.problems.push(`${file.path}: refused, it points outside the output folder`);
        continue;
      }
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.content);
      result.files.push(file.path);
    }
  }
  return results;
}
