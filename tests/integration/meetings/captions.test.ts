// Captions from Teams through the real server and job pipeline: an encrypted transcript, a
// summary with action items, search, agendas, the outbox, deletion with a certificate, and what
// the database holds meanwhile (never the words that were said).
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDeletionCertificate } from '../../../core/privacy/deletion-certificate.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import {
  SPOKEN_WORDS,
  TEAMS_VTT,
  issuedCertificate,
  organization,
  rawMeetingDocuments,
  waitForStatus,
  type Org,
} from './people.ts';

let app: TestQuorum;
let acme: Org;
let ana: Browser;
let raj: Browser;
let lee: Browser;
let meetingId: string;

const RAJ = { name: 'Raj Patel', email: 'raj@acme.example' };
const LEE = { name: 'Lee Wong', email: 'lee@acme.example' };

async function newMeeting(who: Browser, body: Record<string, unknown> = {}): Promise<string> {
  const res = await who.request('/api/meetings', {
    method: 'POST',
    json: {
      title: 'Quarterly planning',
      startsAt: '2027-03-22T10:00:00+01:00',
      endsAt: '2027-03-22T11:00:00+01:00',
      timeZone: 'Europe/Berlin',
      participants: [RAJ],
      description: '- Headcount\n- Launch dates',
      ...body,
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json(res)).id;
}

async function sendCaptions(who: Browser, id: string, vtt = TEAMS_VTT): Promise<Response> {
  return who.request(`/api/meetings/${id}/captions`, {
    method: 'POST',
    headers: { 'content-type': 'text/vtt' },
    body: vtt,
  });
}

beforeAll(async () => {
  app = await startTestQuorum();
  acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' }, [
    RAJ,
    LEE,
  ]);
  ana = acme.admin;
  raj = acme.members[RAJ.email]!;
  lee = acme.members[LEE.email]!;
  meetingId = await newMeeting(ana);
  const sent = await sendCaptions(ana, meetingId);
  expect(sent.status, await sent.clone().text()).toBe(202);
  expect(await json(sent)).toEqual({ status: 'queued', cues: 4 });
});
afterAll(async () => {
  await app?.stop();
});

describe('captions to summary', () => {
  it('transcribes Teams captions with speakers, and summarizes them with owners and dates', async () => {
    const meeting = await waitForStatus(raj, meetingId, ['ready', 'failed']);
    expect(meeting.status, JSON.stringify(meeting.failure)).toBe('ready');
    expect(meeting.engine).toBe('captions');
    expect(meeting.transcript.map((s: { speaker: string }) => s.speaker)).toEqual([
      'Ana Lopez',
      'Raj Patel',
      'Ana Lopez',
      'Raj Patel',
    ]);
    expect(meeting.transcript[1]).toMatchObject({
      index: 1,
      startMs: 6000,
      endMs: 9000,
      text: "I'll send the revised spreadsheet to finance by Friday.",
      confidence: null,
    });
    expect(meeting.actionItems).toEqual([
      {
        index: 0,
        task: 'Send the revised spreadsheet to finance',
        owner: 'Raj Patel',
        // The meeting is on Monday 22 March 2027 in Berlin.
        due: '2027-03-26',
        done: false,
      },
    ]);
    expect(meeting.summary.decisions).toEqual([
      'We decided to hire two engineers for the platform team.',
    ]);
    expect(meeting.summary.openQuestions).toEqual(['Who will negotiate the vendor contract?']);
    expect(meeting.description).toBe('- Headcount\n- Launch dates');
  });

  it('stores no word that was said in plaintext, and no plaintext search index', async () => {
    await waitForStatus(ana, meetingId, ['ready']);
    const raw = await rawMeetingDocuments(app, acme.tenantId);
    const text = JSON.stringify(raw).toLowerCase();
    for (const word of [...SPOKEN_WORDS, 'headcount', 'launch']) {
      expect(text, word).not.toContain(word);
    }
    // The four segments are one transcript chunk, their content one sealed field.
    const chunks = raw.meeting_chunks as Array<Record<string, unknown>>;
    expect(chunks.map((c) => [c._id, c.count])).toEqual([[`${meetingId}:0`, 4]]);
    expect(Object.keys(chunks[0]!).sort()).toEqual(['_id', 'count', 'meetingId', 'n', 'segments']);
    expect(String(chunks[0]!.segments)).toMatch(/^q2\./);
    const [actions] = raw.meeting_actions as Array<Record<string, unknown>>;
    expect(String(actions!.content)).toMatch(/^q1\./);
    const [summary] = raw.meeting_summaries as Array<Record<string, unknown>>;
    for (const field of ['summary', 'decisions', 'openQuestions']) {
      expect(String(summary![field])).toMatch(/^q1\./);
    }
    // The entry's tokens: 16-character keyed hashes, one after the other.
    const [entry] = raw.meeting_search as Array<{ tokens: string }>;
    const tokens = entry!.tokens.match(/.{1,16}/g)!;
    expect(tokens.length).toBeGreaterThan(10);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{16}$/);
    // The captions were deleted once transcribed; outbox events and jobs carry ids only.
    expect(raw.meeting_sources ?? []).toEqual([]);
    const control = app.quorum.store.control.db!;
    const controlText = JSON.stringify([
      await control.collection('outbox_events').find().toArray(),
      await control.collection('jobs').find().toArray(),
    ]).toLowerCase();
    for (const word of SPOKEN_WORDS) expect(controlText, word).not.toContain(word);
  });

  it('refuses content whose ciphertext was altered or moved to another record', async () => {
    const id = await newMeeting(ana);
    expect((await sendCaptions(ana, id)).status).toBe(202);
    expect((await waitForStatus(ana, id, ['ready'])).status).toBe('ready');
    const tenantDb = app.quorum.store.connection.useDb(`quorum_t_${acme.tenantId}`);
    const chunks = tenantDb.collection('meeting_chunks');
    const first = (await chunks.findOne({ _id: `${id}:0` as never }))!;
    // Sealed with the same meeting key, for another record.
    const other = (await tenantDb.collection('meeting_summaries').findOne({ _id: id as never }))!;

    // One flipped bit in the ciphertext.
    const parts = String(first.segments).split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    const altered = [...parts.slice(0, 3), body.toString('base64url')].join('.');
    await chunks.updateOne({ _id: first._id }, { $set: { segments: altered } });
    let res = await ana.request(`/api/meetings/${id}`);
    expect(res.status).toBe(500);
    expect(await json(res)).toMatchObject({
      error: 'content_unreadable',
      message: expect.stringContaining('failed its integrity check'),
    });

    // An intact ciphertext of the same meeting, copied from another record, does not pass for
    // this one either.
    await chunks.updateOne({ _id: first._id }, { $set: { segments: other.summary } });
    res = await ana.request(`/api/meetings/${id}`);
    expect(res.status).toBe(500);

    await chunks.updateOne({ _id: first._id }, { $set: { segments: first.segments } });
    res = await ana.request(`/api/meetings/${id}`);
    expect(res.status).toBe(200);
  });

  it('stores nothing when meeting content cannot be encrypted (fail-closed)', async () => {
    // The tenant keys become unusable: the keyring file is no longer private.
    const keyring = path.join(app.quorum.config.dataDir, 'keyring.json');
    chmodSync(keyring, 0o644);
    try {
      const res = await ana.request('/api/meetings', {
        method: 'POST',
        json: {
          title: 'Unencryptable',
          startsAt: '2027-03-22T10:00:00Z',
          endsAt: '2027-03-22T11:00:00Z',
          description: 'Confidential acquisition plans',
        },
      });
      expect(res.status).toBe(503);
      expect((await json(res)).message).toBe(
        'Meeting content could not be encrypted, so nothing was stored. Try again later.',
      );
    } finally {
      chmodSync(keyring, 0o600);
    }
    const raw = JSON.stringify(await rawMeetingDocuments(app, acme.tenantId));
    expect(raw).not.toContain('Unencryptable');
    expect(raw).not.toContain('acquisition');
  });

  it('refuses captions that are not a readable transcript, naming the problem', async () => {
    const id = await newMeeting(ana);
    const res = await sendCaptions(
      ana,
      id,
      'WEBVTT\n\n00:00:05.000 --> 00:00:01.000\n<v A>Hi</v>\n',
    );
    expect(res.status).toBe(400);
    expect((await json(res)).message).toMatch(/ends .* before it starts/);
    const empty = await ana.request(`/api/meetings/${id}/captions`, {
      method: 'POST',
      json: { format: 'meet-entries', entries: [] },
    });
    expect(empty.status).toBe(400);
    expect((await json(empty)).message).toContain('no spoken text');
  });

  it('proves the captions were deleted once transcribed, with a verifiable certificate', async () => {
    const meeting = await waitForStatus(ana, meetingId, ['ready']);
    expect(meeting.recording.certificateId).toEqual(expect.any(String));
    const text = await issuedCertificate(ana, meeting.recording.certificateId);
    const keys = await json(fetch(`${app.url}/.well-known/quorum-certificate-keys.json`));
    const verdict = verifyDeletionCertificate(text, keys);
    expect(verdict).toMatchObject({ valid: true });
    if (!verdict.valid) return;
    expect(verdict.certificate.subject.kind).toBe('meeting-recording');
    expect(verdict.certificate.subject.id).toMatch(new RegExp(`^${meetingId}:`));
    expect(verdict.certificate.deleted).toEqual({ 'caption files': 1 });
  });
});

describe('reading', () => {
  it('shows a meeting to its organizer and participants only', async () => {
    expect((await lee.request(`/api/meetings/${meetingId}`)).status).toBe(404);
    const mine = await json(raj.request('/api/meetings'));
    expect(mine.meetings.map((m: { id: string }) => m.id)).toContain(meetingId);
    const lees = await json(lee.request('/api/meetings'));
    expect(lees.meetings.map((m: { id: string }) => m.id)).not.toContain(meetingId);
  });

  it('lets an API key with meetings:read read and one with meetings:write hand over captions', async () => {
    const keyFor = async (permissions: string[]) =>
      (
        await json(
          ana.request('/api/admin/api-keys', {
            method: 'POST',
            json: { name: permissions.join(' '), permissions },
          }),
        )
      ).key as string;
    const reader = await keyFor(['meetings:read']);
    const writer = await keyFor(['meetings:write']);
    const read = await fetch(`${app.url}/api/meetings/${meetingId}`, {
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(read.status).toBe(200);
    expect((await json(read)).actionItems[0].owner).toBe('Raj Patel');

    const created = await fetch(`${app.url}/api/meetings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Bot-recorded sync',
        startsAt: '2027-03-23T09:00:00Z',
        endsAt: '2027-03-23T09:30:00Z',
        organizerEmail: 'ana@acme.example',
        participants: [RAJ],
        idempotencyKey: 'teams-call-0001',
      }),
    });
    expect(created.status).toBe(201);
    const { id } = await json(created);
    const again = await fetch(`${app.url}/api/meetings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Bot-recorded sync',
        startsAt: '2027-03-23T09:00:00Z',
        endsAt: '2027-03-23T09:30:00Z',
        organizerEmail: 'ana@acme.example',
        idempotencyKey: 'teams-call-0001',
      }),
    });
    expect(again.status).toBe(200);
    expect((await json(again)).id).toBe(id);

    const refused = await fetch(`${app.url}/api/meetings/${id}/captions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reader}`, 'content-type': 'text/vtt' },
      body: TEAMS_VTT,
    });
    expect(refused.status).toBe(403);
    const accepted = await fetch(`${app.url}/api/meetings/${id}/captions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writer}`, 'content-type': 'text/vtt' },
      body: TEAMS_VTT,
    });
    expect(accepted.status).toBe(202);
    expect((await waitForStatus(ana, id, ['ready', 'failed'])).status).toBe('ready');
  });
});
