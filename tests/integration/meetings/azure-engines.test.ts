// Quorum configured for Azure (OpenAI summaries, Whisper, Speech), each pointed at a local server
// that speaks the service's wire format: the deployment's defaults become the best configured
// engines, a tenant may choose the local ones instead, and the pipeline summarizes with the
// engine the tenant chose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { startFakeAzureOpenAI, type FakeAzureOpenAI } from '../../support/fake-azure-openai.ts';
import { startFakeAzureSpeech, type FakeAzureSpeech } from '../../support/fake-azure-speech.ts';
import { TEAMS_VTT, organization, waitForStatus } from './people.ts';

let app: TestQuorum;
let openai: FakeAzureOpenAI;
let speech: FakeAzureSpeech;
let ana: Browser;

const RAJ = { name: 'Raj Patel', email: 'raj@acme.example' };

async function summarizedMeeting(): Promise<Record<string, unknown>> {
  const res = await ana.request('/api/meetings', {
    method: 'POST',
    json: {
      title: 'Quarterly planning',
      startsAt: '2027-03-22T10:00:00+01:00',
      endsAt: '2027-03-22T11:00:00+01:00',
      timeZone: 'Europe/Berlin',
      participants: [RAJ],
    },
  });
  expect(res.status).toBe(201);
  const { id } = await json(res);
  const sent = await ana.request(`/api/meetings/${id}/captions`, {
    method: 'POST',
    headers: { 'content-type': 'text/vtt' },
    body: TEAMS_VTT,
  });
  expect(sent.status).toBe(202);
  return waitForStatus(ana, id, ['ready', 'failed']);
}

beforeAll(async () => {
  openai = await startFakeAzureOpenAI();
  openai.deploy('summaries', {
    kind: 'chat',
    // The far side's model: Raj's promise, as a model would report it.
    answer: () =>
      JSON.stringify({
        summary: ['The team reviewed the marketing budget.'],
        decisions: ['Hire two engineers for the platform team.'],
        actionItems: [
          {
            task: 'Send the revised spreadsheet to finance',
            owner: 'Raj',
            due: '2027-03-26',
            sourceSegment: 1,
          },
        ],
        openQuestions: [],
      }),
  });
  speech = await startFakeAzureSpeech();
  app = await startTestQuorum({
    QUORUM_OPEN_SIGNUP: 'true',
    AZURE_OPENAI_ENDPOINT: openai.url,
    AZURE_OPENAI_API_KEY: openai.apiKey,
    AZURE_OPENAI_SUMMARY_DEPLOYMENT: 'summaries',
    AZURE_OPENAI_WHISPER_DEPLOYMENT: 'whisper',
    AZURE_SPEECH_KEY: speech.key,
    AZURE_SPEECH_ENDPOINT: speech.endpoint,
  });
  ana = (await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' }, [RAJ]))
    .admin;
});
afterAll(async () => {
  await app?.stop();
  await openai?.close();
  await speech?.close();
});

describe('Azure engines, configured', () => {
  it('makes the best configured engines the defaults, and offers every engine', async () => {
    expect(await json(ana.request('/api/admin/settings'))).toMatchObject({
      transcriptionEngine: 'azure-speech',
      summaryEngine: 'azure-openai',
    });
    const res = await ana.request('/api/admin/settings', {
      method: 'PUT',
      json: { transcriptionEngine: 'azure-whisper' },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json(ana.request('/api/admin/settings'))).toMatchObject({
      transcriptionEngine: 'azure-whisper',
      summaryEngine: 'azure-openai',
    });
  });

  it('summarizes with Azure OpenAI by default, and with the local engine once chosen', async () => {
    const before = openai.requests.length;
    const meeting = await summarizedMeeting();
    expect(meeting.status, JSON.stringify(meeting)).toBe('ready');
    const sent = openai.requests.slice(before);
    expect(sent.map((r) => r.deployment)).toEqual(['summaries']);
    // The transcript went to the model; the owner came back as the participant's name.
    expect(sent[0]!.chat!.messages.at(-1)!.content).toContain('revised spreadsheet');
    expect(meeting.actionItems).toMatchObject([
      { task: 'Send the revised spreadsheet to finance', owner: 'Raj Patel', due: '2027-03-26' },
    ]);

    const res = await ana.request('/api/admin/settings', {
      method: 'PUT',
      json: { summaryEngine: 'extractive' },
    });
    expect(res.status).toBe(200);
    const local = await summarizedMeeting();
    expect(local.status).toBe('ready');
    expect(openai.requests.length).toBe(before + 1);
    expect(local.actionItems).toMatchObject([{ owner: 'Raj Patel', due: '2027-03-26' }]);
  });

  it('streams live audio to Azure Speech and pushes its diarized segments to watchers', async () => {
    const set = await ana.request('/api/admin/settings', {
      method: 'PUT',
      json: { transcriptionEngine: 'azure-speech' },
    });
    expect(set.status).toBe(200);
    speech.script = [
      { text: 'I will send the spreadsheet.', speakerId: 'Guest-1', startMs: 100, endMs: 1500 },
      { text: 'Thanks, I will review it.', speakerId: 'Guest-2', startMs: 1700, endMs: 2900 },
    ];
    const created = await ana.request('/api/meetings', {
      method: 'POST',
      json: {
        title: 'Live',
        startsAt: '2027-03-22T10:00:00Z',
        endsAt: '2027-03-22T10:30:00Z',
        participants: [RAJ],
      },
    });
    const { id } = await json(created);
    const stream = await ana.request(`/api/meetings/${id}/live/events`);
    const text = stream.text();
    const ws = new WebSocket(`${app.url.replace('http', 'ws')}/api/meetings/${id}/live`, {
      headers: { cookie: ana.cookieHeader(), origin: app.url },
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const closed = new Promise((resolve) => ws.once('close', resolve));
    // Three seconds of 16 kHz PCM: the far side answers by how much audio it got.
    const pcm = Buffer.alloc(3 * 32_000);
    for (let i = 0; i < pcm.length; i += 3200) ws.send(pcm.subarray(i, i + 3200));
    ws.send(JSON.stringify({ type: 'end' }));
    await closed;
    const events = (await text)
      .split('\n\n')
      .filter((block) => block.startsWith('event:'))
      .map((block) => ({
        event: /^event: (.*)$/m.exec(block)![1],
        data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!),
      }));
    // A final segment is published once stored, so it may follow the next interim one.
    const of = (final: boolean) =>
      events.filter((e) => e.event === 'segment' && e.data.final === final).map((e) => e.data);
    expect(of(false)).toEqual([
      { speaker: 'Unknown speaker', startMs: 100, endMs: 800, text: 'i will send', final: false },
      {
        speaker: 'Unknown speaker',
        startMs: 1700,
        endMs: 2300,
        text: 'thanks, i will',
        final: false,
      },
    ]);
    expect(of(true)).toEqual([
      {
        speaker: 'Speaker 1',
        startMs: 100,
        endMs: 1500,
        text: 'I will send the spreadsheet.',
        final: true,
      },
      {
        speaker: 'Speaker 2',
        startMs: 1700,
        endMs: 2900,
        text: 'Thanks, I will review it.',
        final: true,
      },
    ]);
    expect(events.at(-1)).toEqual({ event: 'ended', data: { status: 'summarizing', segments: 2 } });
    expect(events).toHaveLength(5);
    expect(speech.sessions.at(-1)!.audioBytes).toBe(pcm.length);
    const meeting = await waitForStatus(ana, id, ['ready', 'failed']);
    expect(meeting.status).toBe('ready');
    expect(meeting.transcript.map((s: { speaker: string }) => s.speaker)).toEqual([
      'Speaker 1',
      'Speaker 2',
    ]);
  });
});
