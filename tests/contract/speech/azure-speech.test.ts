// The azure-speech transcriber with the real Speech SDK (ConversationTranscriber) pointed at a
// local WebSocket server that speaks the service's speech-to-text websocket protocol. The far
// side plays a script of phrases as the audio arrives; the test checks what the SDK sent (config,
// diarization context, 16 kHz mono PCM: every byte of it) and how its results become segments.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureSpeechTranscriber } from '../../../infra/providers/azure-speech/index.ts';
import { TranscriptionError, type Segment } from '../../../core/speech/index.ts';
import { startFakeAzureSpeech, type FakeAzureSpeech } from '../../support/fake-azure-speech.ts';

let fake: FakeAzureSpeech;
let dir: string;
let wav: string;
let pcm: Buffer;

beforeAll(async () => {
  fake = await startFakeAzureSpeech();
  dir = mkdtempSync(path.join(os.tmpdir(), 'quorum-speech-test-'));
  wav = path.join(dir, 'meeting.wav');
  execFileSync('espeak-ng', [
    '-v',
    'en-us',
    '-s',
    '130',
    '-w',
    wav,
    'Ana will send the pricing sheet by Friday. Raj will book the room for the launch review.',
  ]);
  pcm = execFileSync(
    'ffmpeg',
    [
      '-nostdin',
      '-loglevel',
      'error',
      '-i',
      wav,
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
});
afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

const SCRIPT = [
  {
    text: 'Ana will send the pricing sheet by Friday.',
    speakerId: 'Guest-1',
    startMs: 200,
    endMs: 2400,
  },
  { text: 'Raj will book the room.', speakerId: 'Guest-2', startMs: 2600, endMs: 4000 },
];

describe('azure-speech transcriber', () => {
  it('streams a recording as 16 kHz mono PCM and maps diarized phrases to speakers', async () => {
    fake.script = SCRIPT;
    const interim: Segment[] = [];
    const finals: Segment[] = [];
    const segments = await createAzureSpeechTranscriber({
      key: fake.key,
      endpoint: fake.endpoint,
    }).transcribe(
      { kind: 'audio-file', path: wav },
      { onInterim: (s) => interim.push(s), onSegment: (s) => finals.push(s) },
    );
    expect(segments).toEqual([
      { speaker: 'Speaker 1', startMs: 200, endMs: 2400, text: SCRIPT[0]!.text, confidence: null },
      { speaker: 'Speaker 2', startMs: 2600, endMs: 4000, text: SCRIPT[1]!.text, confidence: null },
    ]);
    expect(finals).toEqual(segments);
    expect(interim.map((s) => [s.speaker, s.text])).toEqual([
      ['Unknown speaker', 'ana will send the'],
      ['Unknown speaker', 'raj will book'],
    ]);
    const session = fake.sessions.at(-1)!;
    expect(session.url).toContain('language=en-US');
    expect(session.textPaths).toContain('speech.config');
    expect(session.textPaths).toContain('speech.context');
    expect(session.context).toMatchObject({
      phraseDetection: { mode: 'Conversation', speakerDiarization: { mode: 'Anonymous' } },
    });
    expect(session.format).toEqual({ sampleRate: 16000, channels: 1, bitsPerSample: 16 });
    expect(session.audioBytes).toBe(pcm.length);
    expect(session.ended).toBe(true);
  });

  it('takes live PCM chunks from an audio-stream source', async () => {
    fake.script = SCRIPT.slice(0, 1);
    async function* live() {
      for (let i = 0; i < pcm.length; i += 3200) yield pcm.subarray(i, i + 3200);
    }
    const segments = await createAzureSpeechTranscriber({
      key: fake.key,
      endpoint: fake.endpoint,
    }).transcribe({
      kind: 'audio-stream',
      format: { sampleRateHz: 16000, channels: 1, bitsPerSample: 16 },
      chunks: live(),
    });
    expect(segments.map((s) => s.speaker)).toEqual(['Speaker 1']);
    expect(fake.sessions.at(-1)!.audioBytes).toBe(pcm.length);
  });

  it('says the key was refused, without the key', async () => {
    const wrong = 'not-the-key-0123456789abcdef';
    const error = await createAzureSpeechTranscriber({ key: wrong, endpoint: fake.endpoint })
      .transcribe({ kind: 'audio-file', path: wav })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TranscriptionError);
    expect((error as Error).message).toContain('AZURE_SPEECH_KEY');
    expect((error as Error).message).not.toContain(wrong);
  });

  it('refuses stereo live audio and sources it does not take', async () => {
    const t = createAzureSpeechTranscriber({ key: fake.key, endpoint: fake.endpoint });
    await expect(
      t.transcribe({
        kind: 'audio-stream',
        format: { sampleRateHz: 16000, channels: 2, bitsPerSample: 16 },
        chunks: (async function* () {})(),
      }),
    ).rejects.toThrow(/16-bit mono/);
    await expect(t.transcribe({ kind: 'webvtt', text: 'WEBVTT' })).rejects.toThrow(
      TranscriptionError,
    );
  });
});
