// The child-process runner behind ffmpeg and pocketsphinx, tried on real processes (node).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from '../../../core/speech/run-process.ts';

const node = process.execPath;
const hint = { installHint: 'apt-get install something' };
const dir = mkdtempSync(path.join(os.tmpdir(), 'quorum-run-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A node script that writes its pid to a file, then waits for a long time. */
function sleeper(name: string): { args: string[]; pid: () => number } {
  const pidFile = path.join(dir, name);
  const script = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setTimeout(() => {}, 60000);`;
  return { args: ['-e', script], pid: () => Number(readFileSync(pidFile, 'utf8')) };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('runProcess', () => {
  it('passes arguments as they are, with no shell to interpret them', async () => {
    const tricky = ['$(echo hacked)', '; rm -rf /', '"quoted" and spaced', '*'];
    const { stdout } = await runProcess(
      node,
      ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...tricky],
      { timeoutMs: 10_000, ...hint },
    );
    expect(JSON.parse(stdout)).toEqual(tricky);
  });

  it('stops a program that runs past its deadline, and kills it', async () => {
    const child = sleeper('timeout.pid');
    await expect(runProcess(node, child.args, { timeoutMs: 500, ...hint })).rejects.toThrow(
      /took longer than 0\.5 s and was stopped/,
    );
    expect(isRunning(child.pid())).toBe(false);
  });

  it('kills the program when the caller aborts, rejecting with the abort reason', async () => {
    const child = sleeper('abort.pid');
    const controller = new AbortController();
    const running = runProcess(node, child.args, {
      timeoutMs: 30_000,
      signal: controller.signal,
      ...hint,
    });
    await waitFor(() => {
      try {
        return child.pid() > 0;
      } catch {
        return false;
      }
    });
    controller.abort(new Error('meeting deleted'));
    await expect(running).rejects.toThrow('meeting deleted');
    expect(isRunning(child.pid())).toBe(false);
  });

  it('does not start at all on a signal that is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      runProcess(node, ['-e', ''], { timeoutMs: 1000, signal: controller.signal, ...hint }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('says how to install a program that is missing', async () => {
    await expect(
      runProcess('/nonexistent/ffmpeg', [], { timeoutMs: 1000, ...hint }),
    ).rejects.toThrow(
      '/nonexistent/ffmpeg was not found; install it (apt-get install something) or configure its path.',
    );
  });

  it('reports a failing exit with the end of what the program said', async () => {
    await expect(
      runProcess(
        node,
        ['-e', "console.error('first'); console.error('no such model'); process.exit(3)"],
        {
          timeoutMs: 10_000,
          ...hint,
        },
      ),
    ).rejects.toThrow(/exited with code 3: first \| no such model/);
  });
});
