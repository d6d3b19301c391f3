// Zoom transcripts through the zoom.fetch-transcript job, against the real server and the
// fake Zoom's file server: a failing file server is retried with backoff and the meeting is
// still made once; a refused download token stops at once and stores nothing; the queued job
// holds the download token (and the meeting's topic) sealed, never in clear.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { json } from '../../support/quorum-app.ts';
import {
  TRANSCRIPT_VTT,
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
const send = (options: TranscriptEventOptions, timestampSeconds?: number) =>
  org.webhook(zoomTranscriptEvent(org, options), timestampSeconds);
const downloadsOf = (file: string) => org.zoom.downloads.filter((d) => d.name === file);

async function meetingsTitled(title: string) {
  const { meetings } = await json(org.ana.request('/api/meetings'));
  return (meetings as Array<{ title: string; status: string }>).filter((m) => m.title === title);
}

function fileClaim(uuid: string) {
  return org.app.quorum.store.control
    .collection('zoom_transcript_files')
    .findOne({ zoomMeetingUuid: uuid });
}

test('a download failing with 5xx twice, then served, makes exactly one meeting', async () => {
  org.zoom.files.set('flaky.vtt', {
    token: 'dl-token-flaky',
    body: TRANSCRIPT_VTT,
    failures: [503, 502],
  });
  const event: TranscriptEventOptions = {
    meetingId: '81200000001',
    uuid: 'FLAKYiAAAAAiAiAiiAii==',
    file: 'flaky.vtt',
    token: 'dl-token-flaky',
    eventTs: 1_763_700_000_001,
    topic: 'Flaky file server sync',
  };
  const sentAt = Math.floor(Date.now() / 1000);
  const first = await send(event, sentAt);
  expect(first.status).toBe(200);
  expect(await first.json()).toEqual({ received: true });
  // Zoom delivers it again while the job waits for its retry: still one fetch.
  const again = await send(event, sentAt - 1);
  expect(again.status).toBe(200);
  expect(await again.json()).toMatchObject({ duplicate: true });
  await idle();

  expect(downloadsOf('flaky.vtt')).toEqual([
    { name: 'flaky.vtt', authorized: true, failed: 503 },
    { name: 'flaky.vtt', authorized: true, failed: 502 },
    { name: 'flaky.vtt', authorized: true },
  ]);
  const made = await meetingsTitled('Flaky file server sync');
  expect(made).toHaveLength(1);
  expect(made[0]!.status).not.toBe('scheduled');
  expect(await fileClaim(event.uuid)).toMatchObject({ outcome: 'captions-added' });
  expect(org.app.logs()).toContain('Zoom transcript download failed; it will be tried again');
});

test('a 401 from the file server stops at once, with its reason logged, and stores nothing', async () => {
  org.zoom.files.set('expired.vtt', { token: 'dl-token-current', body: TRANSCRIPT_VTT });
  const before = (await json(org.ana.request('/api/meetings'))).meetings.length as number;
  const res = await send({
    meetingId: '81200000002',
    uuid: 'EXPIREDiAAAAiAiAiiAii==',
    file: 'expired.vtt',
    token: 'dl-token-expired-4f1c9e',
    eventTs: 1_763_700_000_002,
    topic: 'Expired token sync',
  });
  expect(res.status).toBe(200);
  await idle();

  expect(downloadsOf('expired.vtt')).toEqual([{ name: 'expired.vtt', authorized: false }]);
  expect(await meetingsTitled('Expired token sync')).toEqual([]);
  expect((await json(org.ana.request('/api/meetings'))).meetings).toHaveLength(before);
  expect(
    await org.app.quorum.store.control
      .collection('zoom_meeting_instances')
      .findOne({ _id: 'EXPIREDiAAAAiAiAiiAii==' as never }),
  ).toBeNull();
  expect(await fileClaim('EXPIREDiAAAAiAiAiiAii==')).toMatchObject({ outcome: 'gave-up' });
  const logs = org.app.logs();
  expect(logs).toContain('gave up without retrying');
  expect(logs).toContain('refused the download token (HTTP 401)');
  expect(logs).not.toContain('dl-token-expired-4f1c9e');
});

test('the queued job holds the download token and the meeting topic sealed, never in clear', async () => {
  const token = 'dl-token-held-7d2a51b0';
  let arrived!: () => void;
  const downloading = new Promise<void>((resolve) => (arrived = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  org.zoom.files.set('held.vtt', {
    token,
    body: TRANSCRIPT_VTT,
    // The job is running (its record locked in the database) until the test lets it finish.
    hold: () => {
      arrived();
      return released;
    },
  });
  const res = await send({
    meetingId: '81200000003',
    uuid: 'HELDiAAAAAiAiAiiAii==',
    file: 'held.vtt',
    token,
    eventTs: 1_763_700_000_003,
    topic: 'Sealed token sync',
  });
  expect(res.status).toBe(200);
  await downloading;

  const jobs = await org.app.quorum.store.control
    .collection('jobs')
    .find({ name: 'zoom.fetch-transcript' })
    .toArray();
  const job = jobs.find((j) => String(j.data?.fileKey).startsWith('HELDiAAAAAiAiAiiAii=='));
  expect(job).toBeDefined();
  expect(job!.data.downloadUrl).toBe(`${org.zoom.url}/rec/download/held.vtt`);
  expect(typeof job!.data.downloadToken).toBe('string');
  expect(job!.data.downloadToken).not.toContain(token);
  expect(JSON.stringify(jobs)).not.toContain(token);
  expect(JSON.stringify(await fileClaim('HELDiAAAAAiAiAiiAii=='))).not.toContain(token);
  // The topic is the meeting's title: sealed like every stored title.
  expect(JSON.stringify(jobs)).not.toContain('Sealed token sync');

  release();
  await idle();
  expect(downloadsOf('held.vtt')).toEqual([{ name: 'held.vtt', authorized: true }]);
  expect(await meetingsTitled('Sealed token sync')).toHaveLength(1);
  expect(org.app.logs()).not.toContain(token);
});
