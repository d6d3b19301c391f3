// Builds the browser pages with Vite when their sources changed since the last build, so
// `npm start` and the test set-up pay for a build only once per change. `--force` always builds.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const UI_OUT_DIR = path.join(ROOT, '.quorum', 'ui');
const STAMP = path.join(UI_OUT_DIR, '.sources');
const SOURCE_DIRS = [
  'web/ui',
  'infra/ui',
  'addins/zoom/panel',
  'addins/outlook/taskpane',
  'addins/outlook/commands',
  'bots/teams/panel',
];
const SOURCE_FILES = ['vite.config.ts', 'package-lock.json'];

function* files(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}

/** A fingerprint of every source the build reads: paths, sizes and modification times. */
function fingerprint(): string {
  const hash = createHash('sha256');
  const all = [
    ...SOURCE_DIRS.flatMap((d) => [...files(path.join(ROOT, d))]),
    ...SOURCE_FILES.map((f) => path.join(ROOT, f)),
  ].sort();
  for (const file of all) {
    const stat = statSync(file);
    hash.update(`${path.relative(ROOT, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

export async function buildUi(options: { force?: boolean } = {}): Promise<'built' | 'fresh'> {
  const print = fingerprint();
  if (!options.force && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === print) return 'fresh';
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.config.ts') });
  writeFileSync(STAMP, print);
  return 'built';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const begun = performance.now();
  const result = await buildUi({ force: process.argv.includes('--force') });
  const seconds = ((performance.now() - begun) / 1000).toFixed(1);
  console.log(
    result === 'built' ? `Browser pages built in ${seconds} s.` : 'Browser pages are up to date.',
  );
}
