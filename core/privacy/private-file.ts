// Files that hold key material: created 0600, refused when others can read or write them.
import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { KeyFileError } from './errors.ts';

/**
 * Throws KeyFileError unless `file` is a regular file that only its owner can read or write.
 * Windows has no POSIX modes to check; there the data directory's ACL is the operator's job.
 */
export async function assertPrivateFile(file: string, what: string): Promise<Stats> {
  const info = await stat(file);
  if (!info.isFile()) {
    throw new KeyFileError('not-a-file', file, `${what} ${file} is not a regular file`);
  }
  if (process.platform === 'win32') return info;
  const mode = info.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyFileError(
      'insecure-permissions',
      file,
      `${what} ${file} is readable or writable by group or others (mode ${mode.toString(8).padStart(4, '0')}). ` +
        `Quorum refuses to use it. Restrict it with: chmod 600 ${file}`,
    );
  }
  return info;
}

async function writeNew(file: string, content: string): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates `file` (0600) with `content` unless it exists; returns whether this call created it. */
export async function createPrivateFile(file: string, content: string): Promise<boolean> {
  try {
    await writeNew(file, content);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Replaces `file` in one step: a reader sees the old content or the new, never a torn write. */
export async function replacePrivateFile(file: string, content: string): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeNew(temporary, content);
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
}
