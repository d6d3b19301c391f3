// A lock file so that two processes (the server and `quorum keys rotate`) never update the
// keyring at the same time: a lost update there would lose a key-encryption key, and with it
// every data key it wrapped.
import { readFile, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyFileError } from './errors.ts';
import { createPrivateFile } from './private-file.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `work` while holding `lockFile`, which holds the holder's pid. */
export async function withFileLock<T>(
  lockFile: string,
  guarded: string,
  timeoutMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; !(await createPrivateFile(lockFile, String(process.pid))); attempt++) {
    const holder = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
    // A lock left by a process that died is taken over; an empty file is one being written now.
    if (holder > 0 && holder !== process.pid && !alive(holder)) {
      await unlink(lockFile).catch(() => {});
      continue;
    }
    if (Date.now() > deadline) {
      throw new KeyFileError(
        'locked',
        guarded,
        `${guarded} stayed locked by process ${holder || 'unknown'} for ${timeoutMs} ms. ` +
          `If no Quorum process is running, delete ${lockFile}.`,
      );
    }
    await sleep(Math.min(5 + attempt * 5, 100));
  }
  try {
    return await work();
  } finally {
    await unlink(lockFile).catch(() => {});
  }
}
