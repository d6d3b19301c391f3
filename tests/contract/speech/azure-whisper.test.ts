// The azure-whisper transcriber with the real openai SDK (AzureOpenAI) against a local server
// that speaks Azure OpenAI's multipart audio/transcriptions format. The far side reads each
// uploaded file with ffprobe (so it must be real audio of the kind promised) and answers one
// verbose_json segment per piece, which lets the test check the pieces' offsets.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureWhisperTranscriber } from '../../../infra/providers/azure-whisper/index.ts';
import { TranscriptionError } from '../../../core/speech/index.ts';
import {
  startFakeAzureOpenAI,
  type AudioUpload,
  type FakeAzureOpenAI,
} from '../../support/fake-azure-openai.ts';

let fake: FakeAzureOpenAI;
let dir: string;
let wav: string;
let wavSeconds: number;

function probe(file: string): { codec: string; rate: number; channels: number; seconds: number } {
  const out = JSON.parse(
    execFileSync('ffprobe', [
      '-v',
      'error',
      '-show_streams',
      '-show_format',
      '-of',
      'json',
      file,
    ]).toString(),
  );
  const stream = out.streams[0];
  return {
    codec: stream.codec_name,
    rate: Number(stream.sample_rate),
    channels: stream.channels,
    seconds: Number(out.format.duration),
  };
}

/** The far side's Whisper: one segment covering most of each (really decoded) piece. */
function whisper(upload: AudioUpload) {
  const file = path.join(dir, `upload-${Math.random().toString(36).slice(2)}.mp3`);
  writeFileSync(file, upload.bytes);
  const info = probe(file);
  rmSync(file);
  return {
    language: 'english',
    duration: info.seconds,
    text: `${info.codec} ${info.rate} ${info.channels}`,
    segments: [
      {
        start: 0.25,
        end: info.seconds - 0.25,
        text: ` ${info.codec} ${info.rate} ${info.channels} `,
        avg_logprob: -0.5,
      },
      { start: info.seconds - 0.2, end: info.seconds, text: '   ' },
    ],
  };
}

beforeAll(async () => {
  fake = await startFakeAzureOpenAI();
  fake.deploy('whisper', { kind: 'transcription', answer: whisper });
  fake.deploy('chat-only', { kind: 'chat', answer: () => '{}' });
  dir = mkdtempSync(path.join(os.tmpdir(), 'quorum-whisper-test-'));
  wav = path.join(dir, 'meeting.wav');
  execFileSync('espeak-ng', [
    '-v',
    'en-us',
    '-s',
    '140',
    '-w',
    wav,
    'Ana will send the pricing sheet by Friday. Raj will book the room for the launch review next week.',
  ]);
  wavSeconds = probe(wav).seconds;
});
afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

function transcriber(overrides: Partial<Parameters<typeof createAzureWhisperTranscriber>[0]> = {}) {
  return createAzureWhisperTranscriber({
    endpoint: fake.url,
    apiKey: fake.apiKey,
    deployment: 'whisper',
    tempRoot: dir,
    ...overrides,
  });
}

describe('azure-whisper transcriber', () => {
  it('sends 16 kHz mono MP3 pieces as verbose_json requests and places their segments in time', async () => {
    const from = fake.requests.length;
    const seen: string[] = [];
    const segments = await transcriber({ pieceSeconds: 2 }).transcribe(
      { kind: 'audio-file', path: wav },
      { language: 'en-US', onSegment: (s) => seen.push(s.text) },
    );
    const sent = fake.requests.slice(from);
    const pieces = Math.ceil(wavSeconds / 2);
    expect(pieces).toBeGreaterThanOrEqual(3);
    expect(sent.length).toBeGreaterThanOrEqual(pieces - 1);
    expect(sent.length).toBeLessThanOrEqual(pieces + 1);
    for (const request of sent) {
      expect(request).toMatchObject({
        path: '/openai/deployments/whisper/audio/transcriptions',
        apiVersion: '2024-10-21',
        authorized: true,
        status: 200,
      });
      expect(request.audio!.fields).toMatchObject({
        response_format: 'verbose_json',
        language: 'en',
      });
      expect(request.audio!.fileName).toMatch(/\.mp3$/);
    }
    // Each piece is real MP3 audio at 16 kHz mono; blank segments are dropped.
    expect(segments.map((s) => s.text)).toEqual(sent.map(() => 'mp3 16000 1'));
    expect(seen).toEqual(segments.map((s) => s.text));
    let previousStart = -1;
    for (const [i, s] of segments.entries()) {
      expect(s.speaker).toBe('Speaker 1');
      expect(s.confidence).toBeCloseTo(Math.exp(-0.5), 5);
      // Piece i starts near i × 2 s; its segment starts 0.25 s into it.
      expect(Math.abs(s.startMs - (i * 2000 + 250))).toBeLessThan(150);
      expect(s.startMs).toBeGreaterThan(previousStart);
      expect(s.endMs).toBeGreaterThan(s.startMs);
      previousStart = s.startMs;
    }
    expect(segments.at(-1)!.endMs).toBeLessThanOrEqual(Math.round(wavSeconds * 1000));
    // The pieces were removed.
    expect(readdirSync(dir).filter((f) => f.startsWith('quorum-whisper-'))).toEqual([]);
  });

  it('retries a throttled request after its Retry-After', async () => {
    const from = fake.requests.length;
    fake.throttle(1, 1);
    const segments = await transcriber().transcribe({ kind: 'audio-file', path: wav });
    expect(fake.requests.slice(from).map((r) => r.status)).toEqual([429, 200]);
    expect(segments).toHaveLength(1);
    expect(segments[0]!.startMs).toBe(250);
  });

  it('names the missing deployment and the setting to fix', async () => {
    const error = await transcriber({ deployment: 'whisper-typo', maxRetries: 0 })
      .transcribe({ kind: 'audio-file', path: wav })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TranscriptionError);
    expect((error as Error).message).toContain('"whisper-typo"');
    expect((error as Error).message).toContain('AZURE_OPENAI_WHISPER_DEPLOYMENT');
  });

  it('refuses what is not audio, and sources it does not take', async () => {
    const text = path.join(dir, 'notes.txt');
    writeFileSync(text, 'not audio at all');
    await expect(transcriber().transcribe({ kind: 'audio-file', path: text })).rejects.toThrow(
      /could not read .* as audio/,
    );
    await expect(transcriber().transcribe({ kind: 'webvtt', text: 'WEBVTT' })).rejects.toThrow(
      TranscriptionError,
    );
  });
});
