// Starts the real Quorum server as a child process, the way `npm start` does.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../infra/local/ferretdb-binary.ts';

export interface QuorumProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

export async function startQuorumProcess(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<QuorumProcess> {
  const child = spawn(process.execPath, [path.join(projectRoot, 'infra/server/main.ts')], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /"msg":"Quorum is ready at (http:\/\/[^"]+)"/.exec(output);
    if (match) return { child, url: match[1]!, output: () => output, exited };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`Quorum did not start:\n${output}`);
}
