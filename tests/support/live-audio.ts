// Live meeting audio for tests, with real parts: espeak-ng speaks a script, ffmpeg turns it into
// the PCM Quorum's live socket takes (16 kHz mono 16-bit little-endian), and a real `ws` client
// opens WS /api/meetings/:id/live the way a meeting bot or panel does.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

/** Bytes of PCM per second of audio (16 kHz, 16-bit, mono). */
export const PCM_BYTES_PER_SECOND = 32_000;

/** A recording as the PCM the live socket takes (16 kHz mono 16-bit little-endian), by ffmpeg. */
export function wavAsPcm(file: string): Buffer {
  return execFileSync(
    'ffmpeg',
    [
      '-nostdin',
      '-loglevel',
      'error',
      '-i',
      file,
      '-ac',
      '1',
      '-ar',
      '16000',
      '-f',
      's16le',
      'pipe:1',
    ],
    { maxBuffer: 64 << 20 },
  );
}

/** The script spoken by espeak-ng, sentences apart by `pauseMs`, as 16 kHz mono PCM. */
export function spokenPcm(script: readonly string[], pauseMs = 600): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quorum-speech-'));
  try {
    const wav = path.join(dir, 'script.wav');
    const pause = `<break time="${pauseMs}ms"/>`;
    execFileSync('espeak-ng', [
      '-m',
      '-v',
      'en-us+f5',
      '-s',
      '130',
      '-w',
      wav,
      `<speak>${pause}${script.join(pause)}${pause}</speak>`,
    ]);
    return wavAsPcm(wav);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type LiveConnection =
  { ws: WebSocket; messages: Array<Record<string, unknown>> } | { status: number; body: string };

/** Opens the live socket; resolves with it (and Quorum's messages), or with a refusal's answer. */
export function openLiveSocket(
  baseUrl: string,
  meetingId: string,
  headers: Record<string, string>,
): Promise<LiveConnection> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/meetings/${meetingId}/live`, {
      headers,
    });
    // Listening from the start: Quorum says "started" as soon as the socket opens.
    const messages: Array<Record<string, unknown>> = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    ws.once('open', () => resolve({ ws, messages }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', reject);
  });
}

/** Sends PCM in 100 ms frames (as a client streaming in real time would cut it). */
export function sendPcm(ws: WebSocket, pcm: Buffer): void {
  const frame = PCM_BYTES_PER_SECOND / 10;
  for (let i = 0; i < pcm.length; i += frame) ws.send(pcm.subarray(i, i + frame));
}

/** The PCM as a WAV file's bytes (the 44-byte header of 16 kHz mono 16-bit PCM, then it). */
export function pcmAsWav(pcm: Buffer): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(16_000, 24);
  header.writeUInt32LE(PCM_BYTES_PER_SECOND, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

/** Resolves once Quorum answered a ping sent after everything before it: all of it was read. */
export function allReceived(ws: WebSocket): Promise<'received' | `closed ${number}`> {
  return new Promise((resolve) => {
    ws.once('pong', () => resolve('received'));
    ws.once('close', (code) => resolve(`closed ${code}`));
    ws.ping();
  });
}
