// Live audio when the engine is slower than real time (a loaded machine): the real server, a
// real `ws` client and the real pocketsphinx, held back until all the audio has been sent
// (tests/support/held-pocketsphinx.ts), so it is behind by the whole recording whatever the
// machine's speed. Nothing may be refused or dropped while it is behind, and once it has caught
// up the stored transcript must be exactly what the same audio gives as a file: the same
// utterances, times, words and confidences. No timing decides the outcome: the test waits for
// Quorum's answers, and the engine runs only once it is let go.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createPocketsphinxTranscriber, type Segment } from '../../../core/speech/index.ts';
import { heldPocketsphinx, type HeldPocketsphinx } from '../../support/held-pocketsphinx.ts';
import {
  allReceived,
  openLiveSocket,
  PCM_BYTES_PER_SECOND,
  pcmAsWav,
  sendPcm,
  spokenPcm,
} from '../../support/live-audio.ts';
import { json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { organization, waitForStatus, type Org } from '../../integration/meetings/people.ts';

const SCRIPT = [
  'Good morning everyone.',
  "Let's review the budget for next quarter.",
  'Ana will send the new budget by Friday.',
  'We decided to hire two new engineers.',
  'Can you call the customer tomorrow?',
  'Raj will update the pricing page before the launch.',
  'The design review moves to Thursday afternoon.',
  'Thank you, see you next week.',
];

let app: TestQuorum;
let acme: Org;
let held: HeldPocketsphinx;
let pcm: Buffer;
let dir: string;
const path0 = process.env.PATH;

beforeAll(async () => {
  pcm = spokenPcm(SCRIPT);
  dir = mkdtempSync(path.join(os.tmpdir(), 'quorum-slow-engine-'));
  held = heldPocketsphinx();
  // Quorum runs pocketsphinx_continuous from the PATH: the held one.
  process.env.PATH = `${held.bin}${path.delimiter}${path0}`;
  app = await startTestQuorum({ QUORUM_OPEN_SIGNUP: 'true' });
  acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' });
});
afterAll(async () => {
  await app?.stop();
  process.env.PATH = path0;
  held?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const heard = ({ speaker, startMs, endMs, text, confidence }: Segment) => ({
  speaker,
  startMs,
  endMs,
  text,
  confidence,
});

it('keeps all live audio waiting for an engine behind by the whole recording, and stores what the same audio gives offline', async () => {
  const seconds = pcm.length / PCM_BYTES_PER_SECOND;
  // More than Quorum keeps in memory for a capture (10 s): the rest must wait on disk.
  expect(seconds).toBeGreaterThan(25);
  const created = await acme.admin.request('/api/meetings', {
    method: 'POST',
    json: {
      title: 'Planning',
      startsAt: '2027-03-22T10:00:00+01:00',
      endsAt: '2027-03-22T11:00:00+01:00',
      timeZone: 'Europe/Berlin',
    },
  });
  expect(created.status).toBe(201);
  const { id } = await json(created);
  const opened = await openLiveSocket(app.url, id, {
    cookie: acme.admin.cookieHeader(),
    origin: app.url,
  });
  if (!('ws' in opened)) throw new Error(`refused: ${opened.status} ${opened.body}`);
  const { ws, messages } = opened;
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));

  // The whole recording while the engine decodes nothing: all of it is taken, none refused.
  sendPcm(ws, pcm);
  expect(await allReceived(ws)).toBe('received');
  // The decoder was started, and is held.
  await vi.waitFor(() => expect(held.started()).toBeGreaterThanOrEqual(1), {
    timeout: 30_000,
    interval: 50,
  });
  expect(messages.filter((m) => m.type !== 'started')).toEqual([]);

  // The engine catches up; the end of the audio ends the capture once it has.
  held.release();
  ws.send(JSON.stringify({ type: 'end' }));
  expect(await closed).toBe(1000);
  expect(messages.at(-1)).toMatchObject({ type: 'ended', status: 'summarizing' });
  const meeting = await waitForStatus(acme.admin, id, ['ready', 'failed'], 120_000);
  expect(meeting.status, JSON.stringify(meeting.failure)).toBe('ready');

  // The same audio as a file, decoded by the same engine outside Quorum's live path.
  const wav = path.join(dir, 'same-audio.wav');
  writeFileSync(wav, pcmAsWav(pcm));
  const offline = await createPocketsphinxTranscriber({ pocketsphinxPath: held.real }).transcribe({
    kind: 'audio-file',
    path: wav,
  });
  expect(offline.length).toBeGreaterThanOrEqual(4);
  expect(meeting.transcript.map(heard)).toEqual(offline.map(heard));
}, 240_000);
