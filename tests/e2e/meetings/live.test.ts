// Live audio end to end, with real parts: espeak-ng speaks a script, ffmpeg turns it into 16 kHz
// mono PCM, a real `ws` client sends it to Quorum's /api/meetings/:id/live on the real server,
// one pocketsphinx decoder reads it as it comes (with guesses at the utterance under way), and
// a watcher reads interim and final segments from
// /api/meetings/:id/live/events (Server-Sent Events). The final segments are stored encrypted and
// the meeting is summarized once the capture ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openLiveSocket,
  PCM_BYTES_PER_SECOND,
  sendPcm,
  spokenPcm,
} from '../../support/live-audio.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import {
  organization,
  rawMeetingDocuments,
  waitForStatus,
  type Org,
} from '../../integration/meetings/people.ts';

let app: TestQuorum;
let acme: Org;
let beta: Org;
let ana: Browser;
let pcm: Buffer;

const RAJ = { name: 'Raj Patel', email: 'raj@acme.example' };
const SCRIPT = [
  'Good morning everyone.',
  'Let us review the marketing budget for the next quarter.',
  'I will send the revised spreadsheet to finance by Friday.',
];

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Reads a text/event-stream until `ended` (or the stream closes), telling `onEvent` of each. */
async function readEvents(
  res: Response,
  onEvent: (event: SseEvent) => void = () => {},
): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) {
        events.push({ event, data: JSON.parse(data) });
        onEvent(events.at(-1)!);
      }
      if (event === 'ended') return events;
    }
  }
  return events;
}

async function newMeeting(who: Browser): Promise<string> {
  const res = await who.request('/api/meetings', {
    method: 'POST',
    json: {
      title: 'Budget stand-up',
      startsAt: '2027-03-22T10:00:00+01:00',
      endsAt: '2027-03-22T10:30:00+01:00',
      timeZone: 'Europe/Berlin',
      participants: [RAJ],
    },
  });
  expect(res.status).toBe(201);
  return (await json(res)).id;
}

function connect(id: string, headers: Record<string, string>) {
  return openLiveSocket(app.url, id, headers);
}

beforeAll(async () => {
  pcm = spokenPcm(SCRIPT);
  app = await startTestQuorum({ QUORUM_OPEN_SIGNUP: 'true', QUORUM_LIVE_CHUNK_SECONDS: '3' });
  acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' }, [RAJ]);
  beta = await organization(app, 'Beta', { name: 'Bo Berg', email: 'bo@beta.example' });
  ana = acme.admin;
});
afterAll(async () => {
  await app?.stop();
});

describe('live meeting audio', () => {
  it('pushes interim and final segments to a watcher, stores the finals encrypted, and summarizes', async () => {
    const id = await newMeeting(ana);
    // Raj watches (as the Zoom panel would) before the audio starts.
    const watcher = acme.members[RAJ.email]!;
    const stream = await watcher.request(`/api/meetings/${id}/live/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    let interimSeen: () => void = () => {};
    const interimShown = new Promise<void>((resolve) => (interimSeen = resolve));
    const watched = readEvents(stream, (e) => {
      if (e.event === 'segment' && e.data.final === false) interimSeen();
    });

    const opened = await connect(id, { cookie: ana.cookieHeader(), origin: app.url });
    if (!('ws' in opened)) throw new Error(`refused: ${opened.status} ${opened.body}`);
    const { ws, messages } = opened;
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));

    // 100 ms frames. Guesses come every 1.5 s of audio (half of QUORUM_LIVE_CHUNK_SECONDS):
    // after 1.6 s, before the first sentence can end, the guess at it reaches the watcher.
    sendPcm(ws, pcm.subarray(0, PCM_BYTES_PER_SECOND * 1.6));
    await interimShown;
    // Then the rest and the end of the audio.
    sendPcm(ws, pcm.subarray(PCM_BYTES_PER_SECOND * 1.6));
    ws.send(JSON.stringify({ type: 'end' }));
    expect(await closed).toBe(1000);

    const events = await watched;
    const segments = events.filter((e) => e.event === 'segment').map((e) => e.data);
    const interim = segments.filter((s) => s.final === false);
    const finals = segments.filter((s) => s.final === true);
    expect(interim.length).toBeGreaterThanOrEqual(1);
    expect(finals.length).toBeGreaterThanOrEqual(2);
    for (const s of segments) {
      expect(Object.keys(s).sort()).toEqual(['endMs', 'final', 'speaker', 'startMs', 'text']);
      expect(s.speaker).toBe('Speaker 1');
      expect(s.endMs as number).toBeGreaterThan(s.startMs as number);
    }
    // Utterances follow each other through the recording.
    const starts = finals.map((s) => s.startMs as number);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(starts.at(-1)!).toBeGreaterThanOrEqual(4000);
    const heard = finals.map((s) => s.text).join(' ');
    // PocketSphinx mishears synthetic speech here and there; the script must still show through.
    expect(heard).toMatch(/everyone|marketing|budget|spreadsheet|finance|morning|quarter/);
    expect(events.at(-1)).toEqual({
      event: 'ended',
      data: { status: 'summarizing', segments: finals.length },
    });
    expect(messages[0]).toMatchObject({ type: 'started', engine: 'pocketsphinx' });
    expect(messages.at(-1)).toMatchObject({ type: 'ended', status: 'summarizing' });

    // Stored as sent to watchers, encrypted, and summarized by the normal pipeline.
    const meeting = await waitForStatus(ana, id, ['ready', 'failed'], 60_000);
    expect(meeting.status, JSON.stringify(meeting.failure)).toBe('ready');
    // A watcher arriving now is told at once that nothing more is coming.
    const late = await readEvents(await watcher.request(`/api/meetings/${id}/live/events`));
    expect(late).toEqual([{ event: 'ended', data: { status: 'ready', segments: finals.length } }]);
    expect(meeting.transcript.map((s: { text: string }) => s.text)).toEqual(
      finals.map((s) => s.text),
    );
    const raw = JSON.stringify(await rawMeetingDocuments(app, acme.tenantId));
    for (const word of heard.split(' ').filter((w) => w.length > 6))
      expect(raw).not.toContain(word);
  }, 120_000);

  it('refuses an upgrade without credentials, from another site, for another tenant, or twice', async () => {
    const id = await newMeeting(ana);
    expect(await connect(id, {})).toMatchObject({ status: 401 });
    expect(
      await connect(id, { cookie: ana.cookieHeader(), origin: 'https://evil.example' }),
    ).toMatchObject({ status: 403 });
    const other = await connect(id, { cookie: beta.admin.cookieHeader(), origin: app.url });
    expect(other).toMatchObject({ status: 404 });
    expect((await beta.admin.request(`/api/meetings/${id}/live/events`)).status).toBe(404);

    const first = await connect(id, { cookie: ana.cookieHeader(), origin: app.url });
    if (!('ws' in first)) throw new Error('first capture refused');
    const second = await connect(id, { cookie: ana.cookieHeader(), origin: app.url });
    expect(second).toMatchObject({ status: 409 });
    // Nothing said: the capture ends failed, with the reason, and the meeting may take audio again.
    const closed = new Promise<void>((resolve) => first.ws.on('close', () => resolve()));
    first.ws.send(JSON.stringify({ type: 'end' }));
    await closed;
    const meeting = await json(ana.request(`/api/meetings/${id}`));
    expect(meeting.status).toBe('failed');
    expect(meeting.failure.reason).toMatch(/No speech/);
    const again = await connect(id, { cookie: ana.cookieHeader(), origin: app.url });
    expect('ws' in again).toBe(true);
    if ('ws' in again) again.ws.close(1000);
  });
});
