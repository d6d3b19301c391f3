// A spoken meeting end to end, every part real: espeak-ng reads a script into a WAV, the WAV
// is streamed to the server over HTTP, the job pipeline transcribes it with PocketSphinx,
// summarizes it, and deletes the recording with a certificate anyone can verify with the
// published key.
//
// Synthetic speech is hard for a model trained on people. The script is one PocketSphinx hears
// reliably at this voice, rate and pause length (measured before writing this test), and the
// assertions are on the action item and a few key words, not on every word.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDeletionCertificate } from '../../../core/privacy/deletion-certificate.ts';
import { normalizedWords } from '../../../core/speech/index.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { issuedCertificate } from '../../integration/meetings/people.ts';

const SCRIPT = [
  'Good morning everyone.',
  "Let's review the budget for next quarter.",
  'Michael will call the customer on Friday.',
  'We decided to hire two new engineers.',
  'Thank you, see you next week.',
];

let app: TestQuorum;
let ana: Browser;
let dir: string;
let wav: string;

function speak(sentences: string[], file: string): void {
  const pause = '<break time="900ms"/>';
  const ssml = `<speak>${pause}${sentences.join(pause)}${pause}</speak>`;
  execFileSync('espeak-ng', ['-m', '-v', 'en-us+f5', '-s', '130', '-w', file, ssml]);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'quorum-e2e-meeting-'));
  wav = path.join(dir, 'standup.wav');
  speak(SCRIPT, wav);
  app = await startTestQuorum();
  ana = new Browser(app.url);
  const signup = await ana.request('/auth/signup', {
    method: 'POST',
    json: {
      organization: 'Acme',
      name: 'Ana Lopez',
      email: 'ana@acme.example',
      password: 'quartz-meadow-lantern-19',
    },
  });
  expect(signup.status).toBe(201);
});
afterAll(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a recorded meeting', () => {
  it('is transcribed, summarized with its action item, and its audio deleted with proof', async () => {
    const created = await ana.request('/api/meetings', {
      method: 'POST',
      json: {
        title: 'Weekly sync',
        // Monday 22 March 2027 in Berlin: "on Friday" is the 26th.
        startsAt: '2027-03-22T10:00:00+01:00',
        endsAt: '2027-03-22T10:30:00+01:00',
        timeZone: 'Europe/Berlin',
        participants: [{ email: 'michael@acme.example', name: 'Michael Brown' }],
      },
    });
    expect(created.status).toBe(201);
    const { id } = await json(created);

    // Streamed from disk as the request body, the way a meeting bot uploads.
    const upload = await ana.request(`/api/meetings/${id}/audio`, {
      method: 'POST',
      headers: { 'content-type': 'audio/wav' },
      body: Readable.toWeb(createReadStream(wav)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(upload.status, await upload.clone().text()).toBe(202);
    expect(await json(upload)).toEqual({
      status: 'queued',
      bytes: statSync(wav).size,
      engine: 'pocketsphinx',
    });

    let meeting = await json(ana.request(`/api/meetings/${id}`));
    const deadline = Date.now() + 25_000;
    while (!['ready', 'failed'].includes(meeting.status) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      meeting = await json(ana.request(`/api/meetings/${id}`));
    }
    expect(meeting.status, JSON.stringify(meeting.failure)).toBe('ready');
    expect(meeting.engine).toBe('pocketsphinx');

    const heard = normalizedWords(
      meeting.transcript.map((s: { text: string }) => s.text).join(' '),
    );
    console.info(`pocketsphinx heard: ${heard.join(' ')}`);
    expect(
      ['review', 'budget', 'michael', 'call', 'customer', 'friday', 'decided', 'hire'].filter((w) =>
        heard.includes(w),
      ).length,
    ).toBeGreaterThanOrEqual(6);
    const callItem = meeting.actionItems.find((item: { task: string }) =>
      /call the customer/i.test(item.task),
    );
    expect(callItem, JSON.stringify(meeting.actionItems)).toMatchObject({
      owner: 'Michael Brown',
      due: '2027-03-26',
      done: false,
    });

    // The recording is gone from disk, and its deletion is proven.
    const recordings = path.join(app.quorum.config.dataDir, 'meetings', 'recordings');
    expect(readdirSync(recordings).flatMap((t) => readdirSync(path.join(recordings, t)))).toEqual(
      [],
    );
    expect(readdirSync(path.join(app.quorum.config.dataDir, 'meetings', 'work'))).toEqual([]);
    expect(meeting.recording.certificateId).toEqual(expect.any(String));
    const certificate = await issuedCertificate(ana, meeting.recording.certificateId);
    const keys = await json(fetch(`${app.url}/.well-known/quorum-certificate-keys.json`));
    const verdict = verifyDeletionCertificate(certificate, keys);
    expect(verdict).toMatchObject({
      valid: true,
      certificate: {
        subject: { kind: 'meeting-recording' },
        deleted: { 'audio recordings': 1, 'audio bytes': statSync(wav).size },
      },
    });
    // Tampering is detected by the same check.
    const altered = certificate.replace('"audio recordings":1', '"audio recordings":0');
    expect(verifyDeletionCertificate(altered, keys)).toMatchObject({ valid: false });
  }, 40_000);
});
