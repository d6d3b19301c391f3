// PocketSphinx on real speech: espeak-ng reads a meeting script aloud into a WAV (and an M4A,
// as Zoom records audio), and the transcriber must hear most of it. Synthetic speech is hard
// for a model trained on people, so the bar is "most key words", and the word error rate is
// printed for the record.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pcmAsWav, wavAsPcm } from '../../support/live-audio.ts';
import {
  createPocketsphinxTranscriber,
  normalizedWords,
  wordErrors,
  type Segment,
} from '../../../core/speech/index.ts';

const SCRIPT = [
  'Good morning everyone.',
  "Let's review the budget for next quarter.",
  'Ana will send the new budget by Friday.',
  'We decided to hire two new engineers.',
  'Can you call the customer tomorrow?',
  'Thank you, see you next week.',
];
const KEY_WORDS = [
  'review',
  'budget',
  'quarter',
  'will',
  'send',
  'friday',
  'decided',
  'hire',
  'engineers',
  'customer',
  'tomorrow',
  'week',
];
const ACTION_WORDS = ['will', 'send', 'budget', 'friday'];

let dir: string;
let meetingWav: string;
let shortM4a: string;

/** espeak-ng speaking SSML, with pauses between sentences as people leave them. */
function speak(sentences: string[], file: string): void {
  const pause = '<break time="500ms"/>';
  const ssml = `<speak>${pause}${sentences.join(pause)}${pause}</speak>`;
  execFileSync('espeak-ng', ['-m', '-v', 'en-us+f5', '-s', '130', '-w', file, ssml]);
}

/** A fresh directory for the transcriber's temporary files, to check it is left empty. */
function tempRoot(name: string): string {
  const root = path.join(dir, name);
  mkdirSync(root);
  return root;
}

/** Waits (up to 6 s) until pocketsphinx decodes something in `root`; fails if it never does. */
async function decoderStarted(root: string): Promise<void> {
  const decoding = () =>
    processesMentioning(`${root}/`).some((command) => command.includes('pocketsphinx'));
  for (let i = 0; i < 300 && !decoding(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(decoding()).toBe(true);
}

/** Processes whose command line mentions `text`: none may outlive a transcription. */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(text) && Number(pid) !== process.pid) found.push(cmdline);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

const heard = (segments: Segment[]) => normalizedWords(segments.map((s) => s.text).join(' '));

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'quorum-sphinx-test-'));
  meetingWav = path.join(dir, 'meeting.wav');
  speak(SCRIPT, meetingWav);
  const shortWav = path.join(dir, 'short.wav');
  speak(SCRIPT.slice(3, 5), shortWav);
  shortM4a = path.join(dir, 'short.m4a');
  execFileSync('ffmpeg', [
    '-nostdin',
    '-loglevel',
    'error',
    '-i',
    shortWav,
    '-c:a',
    'aac',
    '-b:a',
    '96k',
    shortM4a,
  ]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pocketsphinx transcriber', () => {
  it('hears most of a spoken meeting, with word times and confidences', async () => {
    const root = tempRoot('meeting');
    const segments = await createPocketsphinxTranscriber({ tempRoot: root }).transcribe({
      kind: 'audio-file',
      path: meetingWav,
    });

    const words = heard(segments);
    const errors = wordErrors(SCRIPT.join(' '), words.join(' '));
    console.info(
      `pocketsphinx on espeak-ng speech: WER ${errors.wer.toFixed(3)} (${JSON.stringify(errors)})`,
    );
    console.info(`heard: ${words.join(' ')}`);

    expect(errors.wer).toBeLessThan(0.5);
    expect(KEY_WORDS.filter((w) => words.includes(w)).length).toBeGreaterThanOrEqual(9);
    expect(ACTION_WORDS.filter((w) => words.includes(w)).length).toBeGreaterThanOrEqual(3);

    expect(segments.length).toBeGreaterThanOrEqual(2);
    let previousEnd = 0;
    for (const segment of segments) {
      expect(segment.speaker).toBe('Speaker 1');
      expect(segment.startMs).toBeGreaterThanOrEqual(previousEnd);
      expect(segment.endMs).toBeGreaterThan(segment.startMs);
      expect(segment.confidence).toBeGreaterThanOrEqual(0);
      expect(segment.confidence).toBeLessThanOrEqual(1);
      previousEnd = segment.endMs;
    }
    // About 17 s of speech: the last word ends inside the recording.
    expect(previousEnd).toBeLessThan(25_000);
    expect(readdirSync(root)).toEqual([]);
  }, 180_000);

  it('converts compressed audio (AAC in M4A) before decoding it', async () => {
    const root = tempRoot('m4a');
    const segments = await createPocketsphinxTranscriber({ tempRoot: root }).transcribe({
      kind: 'audio-file',
      path: shortM4a,
    });
    const words = heard(segments);
    expect(
      ['decided', 'hire', 'customer', 'tomorrow'].filter((w) => words.includes(w)).length,
    ).toBeGreaterThanOrEqual(3);
    expect(readdirSync(root)).toEqual([]);
  }, 120_000);

  it('decodes no more recordings at once than it is allowed; the others wait their turn', async () => {
    const root = tempRoot('turns');
    const transcriber = createPocketsphinxTranscriber({ tempRoot: root, maxConcurrent: 1 });
    const decoding = () =>
      processesMentioning(`${root}/`).filter((c) => c.includes('pocketsphinx')).length;
    let most = 0;
    let done = false;
    const both = Promise.all(
      [shortM4a, shortM4a].map((file) =>
        transcriber.transcribe({ kind: 'audio-file', path: file }),
      ),
    ).finally(() => (done = true));
    // Watched the whole time both run: two decoders at once would show for seconds.
    while (!done) {
      most = Math.max(most, decoding());
      await new Promise((r) => setTimeout(r, 20));
    }
    const results = await both;
    expect(most).toBe(1);
    for (const segments of results) expect(segments.length).toBeGreaterThan(0);
    expect(readdirSync(root)).toEqual([]);
  }, 120_000);

  it('stops decoding when aborted, kills pocketsphinx and removes the converted audio', async () => {
    const root = tempRoot('abort');
    const controller = new AbortController();
    const running = createPocketsphinxTranscriber({ tempRoot: root }).transcribe(
      { kind: 'audio-file', path: meetingWav },
      { signal: controller.signal },
    );
    // Abort once pocketsphinx is decoding the converted file.
    await decoderStarted(root);
    controller.abort(new Error('recording withdrawn'));
    await expect(running).rejects.toThrow('recording withdrawn');
    expect(processesMentioning(`${root}/`)).toEqual([]);
    expect(readdirSync(root)).toEqual([]);
  }, 60_000);

  it('gives up after its deadline, cleaning up', async () => {
    const root = tempRoot('deadline');
    const transcriber = createPocketsphinxTranscriber({
      tempRoot: root,
      decodeTimeout: { baseMs: 300, perAudioSecondMs: 0 },
    });
    await expect(transcriber.transcribe({ kind: 'audio-file', path: meetingWav })).rejects.toThrow(
      'pocketsphinx_continuous took longer than 0.3 s and was stopped.',
    );
    expect(processesMentioning(`${root}/`)).toEqual([]);
    expect(readdirSync(root)).toEqual([]);
  }, 60_000);

  it('says so when the file is not audio', async () => {
    const root = tempRoot('not-audio');
    const notes = path.join(dir, 'notes.wav');
    writeFileSync(notes, 'These are meeting notes, not a recording.\n');
    await expect(
      createPocketsphinxTranscriber({ tempRoot: root }).transcribe({
        kind: 'audio-file',
        path: notes,
      }),
    ).rejects.toThrow(
      /^ffmpeg could not read .*notes\.wav as audio \(ffmpeg exited with code \d+: .+\); give a recording/,
    );
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses a missing file, a missing model, a language it has no model for, and captions', async () => {
    const transcriber = createPocketsphinxTranscriber();
    await expect(
      transcriber.transcribe({ kind: 'audio-file', path: path.join(dir, 'nope.wav') }),
    ).rejects.toThrow(/^There is no audio file at .*nope\.wav\.$/);
    const noModel = createPocketsphinxTranscriber({
      model: {
        hmm: '/usr/share/pocketsphinx/model/en-us/en-us',
        lm: '/nowhere/en.lm.bin',
        dict: '/nowhere/en.dict',
      },
    });
    await expect(noModel.transcribe({ kind: 'audio-file', path: meetingWav })).rejects.toThrow(
      "The PocketSphinx model's lm is missing at /nowhere/en.lm.bin; install pocketsphinx-en-us or configure the model paths.",
    );
    await expect(
      transcriber.transcribe({ kind: 'audio-file', path: meetingWav }, { language: 'de-DE' }),
    ).rejects.toThrow('PocketSphinx here has only an English model; it cannot transcribe "de-DE".');
    await expect(transcriber.transcribe({ kind: 'webvtt', text: 'WEBVTT\n' })).rejects.toThrow(
      'The pocketsphinx transcriber cannot take a webvtt source; it takes: audio-file, audio-stream.',
    );
  });

  it('reads live audio as it comes into one decoder: the same segments as the same audio from a file, each as its utterance ends', async () => {
    const root = tempRoot('live');
    const pcm = wavAsPcm(meetingWav);
    const sameAsFile = path.join(dir, 'same.wav');
    writeFileSync(sameAsFile, pcmAsWav(pcm));
    const transcriber = createPocketsphinxTranscriber({ tempRoot: root });
    const offline = await transcriber.transcribe({ kind: 'audio-file', path: sameAsFile });

    const finals: Segment[] = [];
    let fed = 0;
    const fedWhenFinal: number[] = [];
    async function* frames() {
      for (; fed < pcm.length; fed += 3200) yield pcm.subarray(fed, fed + 3200);
    }
    const live = await transcriber.transcribe(
      {
        kind: 'audio-stream',
        format: { sampleRateHz: 16_000, channels: 1, bitsPerSample: 16 },
        chunks: frames(),
      },
      {
        onSegment: (s) => {
          finals.push(s);
          fedWhenFinal.push(fed);
        },
      },
    );
    expect(offline.length).toBeGreaterThanOrEqual(2);
    expect(live).toEqual(offline);
    expect(finals).toEqual(offline);
    // The first utterance was final while audio was still being fed.
    expect(fedWhenFinal[0]).toBeLessThan(pcm.length);
    expect(readdirSync(root)).toEqual([]);
  }, 180_000);

  it('ends live audio with no sound with no segments, and stops the decoder when aborted', async () => {
    const root = tempRoot('live-abort');
    const transcriber = createPocketsphinxTranscriber({ tempRoot: root });
    const format = { sampleRateHz: 16_000, channels: 1, bitsPerSample: 16 } as const;
    const nothing = (async function* () {})();
    await expect(
      transcriber.transcribe({ kind: 'audio-stream', format, chunks: nothing }),
    ).resolves.toEqual([]);

    const controller = new AbortController();
    let release: () => void = () => {};
    // Some audio, then a sender that says nothing more until told to.
    async function* halting() {
      yield Buffer.alloc(32_000);
      await new Promise<void>((resolve) => (release = resolve));
    }
    const running = transcriber.transcribe(
      { kind: 'audio-stream', format, chunks: halting() },
      { signal: controller.signal },
    );
    await decoderStarted(root);
    controller.abort(new Error('meeting left'));
    release();
    await expect(running).rejects.toThrow('meeting left');
    expect(processesMentioning(`${root}/`)).toEqual([]);
    expect(readdirSync(root)).toEqual([]);
  }, 60_000);
});
