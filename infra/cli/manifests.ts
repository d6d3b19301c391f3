// `quorum manifests --base-url https://quorum.example.com [--out dir]`: writes every platform's
// manifests (made from the code's own routes, scopes and commands) and validates each.
import path from 'node:path';
import { baseUrlProblem, writeManifests } from '../../manifests/index.ts';

export const DEFAULT_MANIFESTS_DIR = path.join('.quorum', 'manifests');

export async function manifestsCommand(options: {
  baseUrl: string;
  out?: string;
  json?: boolean;
}): Promise<number> {
  const problem = baseUrlProblem(options.baseUrl);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    return 2;
  }
  const outDir = path.resolve(options.out ?? DEFAULT_MANIFESTS_DIR);
  const results = await writeManifests(options.baseUrl.replace(/\/+$/, ''), outDir);
  const problems = results.reduce((n, r) => n + r.problems.length, 0);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ outDir, platforms: results })}\n`);
  } else {
    process.stdout.write(`Manifests for ${options.baseUrl} in ${outDir}:\n`);
    for (const result of results) {
      const state = result.problems.length === 0 ? 'valid' : `${result.problems.length} problem(s)`;
      process.stdout.write(`  ${result.platform.padEnd(8)} ${state}\n`);
      for (const file of result.files) process.stdout.write(`    wrote ${file}\n`);
      for (const p of result.problems) process.stdout.write(`    problem: ${p}\n`);
    }
  }
  return problems === 0 ? 0 : 1;
}
