// Zoom's webhooks against the real server, with payloads in Zoom's documented format: the URL
// validation challenge, signatures and their 5-minute window, re-deliveries, and transcripts
// downloaded with the event's download token from a local server that checks it.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ZOOM_WEBHOOK_SECRET } from '../../support/fake-zoom.ts';
import { json } from '../../support/quorum-app.ts';
import {
  ANA_ZOOM,
  linkAnaInClient,
  TRANSCRIPT_VTT as VTT,
  zoomOrg,
  zoomTranscriptEvent,
  type TranscriptEventOptions,
  type ZoomOrg,
} from '../../e2e/zoom/zoom-org.ts';

let org: ZoomOrg;

beforeAll(async () => {
  org = await zoomOrg();
});
afterAll(async () => {
  await org?.stop();
});

const idle = () => org.app.quorum.services.zoom!.idle();

const transcriptEvent = (options: Omit<TranscriptEventOptions, 'topic'>) =>
  zoomTranscriptEvent(org, { ...options, topic: 'Beta launch sync' });

test('endpoint.url_validation is answered with the HMAC of the plain token', async () => {
  const res = await org.webhook({
    event: 'endpoint.url_validation',
    event_ts: Date.now(),
    payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' },
  });
  expect(res.status).toBe(200);
  const expected = createHmac('sha256', ZOOM_WEBHOOK_SECRET)
    .update('qgg8vlvZRS6UYooatFL8Aw')
    .digest('hex');
  expect(await res.json()).toEqual({
    plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
    encryptedToken: expected,
  });
});

test('an unsigned URL validation is refused like any unsigned event', async () => {
  const res = await fetch(`${org.app.url}/zoom/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      event: 'endpoint.url_validation',
      payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' },
    }),
  });
  expect(res.status).toBe(401);
  expect(JSON.stringify(await res.json())).not.toContain('encryptedToken');
});

test('a plain token that could forge a signature is refused, even signed', async () => {
  const res = await org.webhook({
    event: 'endpoint.url_validation',
    event_ts: Date.now(),
    payload: { plainToken: 'v0:1700000000:{"event":"meeting.ended"}' },
  });
  expect(res.status).toBe(400);
});

test('a bad signature, a missing one and a stale timestamp get 401 and change nothing', async () => {
  const body = JSON.stringify(
    transcriptEvent({
      meetingId: '81234567890',
      uuid: 'bad-sig-uuid==',
      file: 'none',
      token: 't',
      eventTs: 1,
    }),
  );
  const now = Math.floor(Date.now() / 1000);
  const wrong = await fetch(`${org.app.url}/zoom/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-zm-request-timestamp': String(now),
      'x-zm-signature': `v0=${createHmac('sha256', 'not-the-secret-token').update(`v0:${now}:${body}`).digest('hex')}`,
    },
    body,
  });
  expect(wrong.status).toBe(401);
  const missing = await fetch(`${org.app.url}/zoom/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  expect(missing.status).toBe(401);
  const stale = await org.webhook(JSON.parse(body), now - 6 * 60);
  expect(stale.status).toBe(401);
  await idle();
  expect(org.zoom.downloads).toEqual([]);
  expect((await json(org.ana.request('/api/meetings'))).meetings).toEqual([]);
});

test('transcript_completed downloads the VTT with the download token, once, into a new meeting', async () => {
  org.zoom.files.set('transcript-1.vtt', { token: 'dl-token-abc123', body: VTT });
  const event = transcriptEvent({
    meetingId: '81234567890',
    uuid: '4444AAAiAAAAAiAiAiiAii==',
    file: 'transcript-1.vtt',
    token: 'dl-token-abc123',
    eventTs: 1_763_650_000_000,
  });
  // Both timestamps come from one clock reading: a second reading could cross
  // a second boundary and repeat the first delivery's timestamp exactly, which
  // the replay guard rightly refuses.
  const sentAt = Math.floor(Date.now() / 1000);
  const res = await org.webhook(event, sentAt);
  expect(res.status).toBe(200);
  // Zoom delivers the same event again (a new signature, a new timestamp).
  const again = await org.webhook(event, sentAt - 1);
  expect(again.status).toBe(200);
  expect(await again.json()).toMatchObject({ duplicate: true });
  await idle();
  expect(org.zoom.downloads).toEqual([{ name: 'transcript-1.vtt', authorized: true }]);
  const { meetings } = await json(org.ana.request('/api/meetings'));
  expect(meetings).toHaveLength(1);
  expect(meetings[0]).toMatchObject({
    title: 'Beta launch sync',
    bookingId: null,
    organizerEmail: 'ana@acme.example',
  });
  expect(['queued', 'transcribing', 'summarizing', 'ready']).toContain(meetings[0].status);
});

test('a wrong download token is refused by the file server and nothing is stored', async () => {
  org.zoom.files.set('transcript-2.vtt', { token: 'the-right-token', body: VTT });
  const res = await org.webhook(
    transcriptEvent({
      meetingId: '81234567891',
      uuid: 'BBBBiAAAAAiAiAiiAii==',
      file: 'transcript-2.vtt',
      token: 'a-wrong-token',
      eventTs: 1_763_650_000_001,
    }),
  );
  expect(res.status).toBe(200);
  await idle();
  // Refused once, not retried: a wrong token stays wrong.
  expect(org.zoom.downloads.filter((d) => d.name === 'transcript-2.vtt')).toEqual([
    { name: 'transcript-2.vtt', authorized: false },
  ]);
  // The meeting is made only for a transcript in hand: the first test's one meeting, alone.
  const { meetings } = await json(org.ana.request('/api/meetings'));
  expect(meetings).toHaveLength(1);
  expect(meetings.filter((m: { status: string }) => m.status === 'scheduled')).toEqual([]);
});

test('the transcript of a Zoom meeting Quorum booked joins that booking, and meeting.ended is recorded', async () => {
  await linkAnaInClient(org);
  const start = new Date(Date.now() + 2 * 86_400_000);
  start.setUTCHours(10, 0, 0, 0);
  const booked = await org.ana.request('/api/bookings', {
    method: 'POST',
    json: {
      title: 'Pricing review',
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 60_000).toISOString(),
      attendees: [{ email: 'raj@acme.example' }],
      linkType: 'zoom',
    },
  });
  expect(booked.status).toBe(201);
  const { booking } = await json(booked);
  const made = org.zoom.meetings.at(-1)!;
  expect(booking.joinUrl).toBe(made.joinUrl);
  expect(made.body).toMatchObject({
    topic: 'Pricing review',
    type: 2,
    duration: 30,
    timezone: 'UTC',
  });

  const ended = await org.webhook({
    event: 'meeting.ended',
    event_ts: 1_763_650_100_000,
    payload: {
      account_id: ANA_ZOOM.accountId,
      object: {
        id: made.id,
        uuid: 'CCCCiAAAAAiAiAiiAii==',
        host_id: ANA_ZOOM.id,
        topic: 'Pricing review',
        type: 2,
        start_time: start.toISOString(),
        duration: 30,
        timezone: 'UTC',
        end_time: new Date().toISOString(),
      },
    },
  });
  expect(ended.status).toBe(200);
  await idle();
  const state = await json(org.ana.request(`/zoom/api/meeting?zoomMeetingId=${made.id}`));
  expect(state).toEqual({ bookingId: booking._id, meetingId: null, ended: true });

  org.zoom.files.set('transcript-3.vtt', { token: 'dl-token-3', body: VTT });
  const res = await org.webhook(
    transcriptEvent({
      meetingId: made.id,
      uuid: 'CCCCiAAAAAiAiAiiAii==',
      file: 'transcript-3.vtt',
      token: 'dl-token-3',
      eventTs: 1_763_650_200_000,
    }),
  );
  expect(res.status).toBe(200);
  await idle();
  const { meetings } = await json(org.ana.request('/api/meetings'));
  const linked = meetings.find((m: { bookingId: string | null }) => m.bookingId === booking._id);
  expect(linked).toMatchObject({ title: 'Pricing review' });
  expect(linked.status).not.toBe('scheduled');
  // The panel in that meeting instance finds the Quorum meeting its content went to.
  const found = await json(
    org.ana.request(
      `/zoom/api/meeting?zoomMeetingId=${made.id}&uuid=${encodeURIComponent('CCCCiAAAAAiAiAiiAii==')}`,
    ),
  );
  expect(found).toEqual({ bookingId: booking._id, meetingId: linked.id, ended: true });
});
