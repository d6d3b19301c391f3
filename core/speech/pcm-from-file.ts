// Any recording ffmpeg reads, as raw 16 kHz mono 16-bit little-endian PCM, read in chunks from
// ffmpeg's standard output so the whole file is never in memory.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { TranscriptionError } from './transcriber.ts';

export async function* pcmFromFile(
  file: string,
  options: { ffmpegPath?: string; signal?: AbortSignal } = {},
): AsyncGenerator<Buffer> {
  options.signal?.throwIfAborted();
  const child = spawn(
    options.ffmpegPath ?? 'ffmpeg',
    [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      `file:${path.resolve(file)}`,
      '-vn',
      '-ac',
      '1',
      '-ar',
      '16000',
      '-f',
      's16le',
      'pipe:1',
    ],
    { shell: false, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  const onAbort = () => child.kill('SIGKILL');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    const code = await exited.catch((error: NodeJS.ErrnoException) => {
      throw new TranscriptionError(
        error.code === 'ENOENT'
          ? 'ffmpeg is not installed; apt-get install ffmpeg.'
          : `ffmpeg could not start: ${error.message}`,
      );
    });
    options.signal?.throwIfAborted();
    if (code !== 0) {
      throw new TranscriptionError(
        `ffmpeg could not read ${file} as audio (exit ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}); give a recording in a common audio or video format.`,
      );
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
