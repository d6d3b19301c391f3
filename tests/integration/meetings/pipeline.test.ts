// The pipeline under crashes and failures, driven step by step. The server runs as a web node
// (no job runner), so nothing moves a meeting on except the pipeline this test runs.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeetingsKit } from '../../../core/meetings/kit.ts';
import {
  createMeetingPipeline,
  type PipelineCheckpoint,
} from '../../../core/meetings/pipeline/pipeline.ts';
import { certifyOwed } from '../../../core/meetings/retention/source-certificates.ts';
import { createCaptionsTranscriber, type Transcriber } from '../../../core/speech/index.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { TEAMS_VTT, organization, type Org } from './people.ts';

let app: TestQuorum;
let acme: Org;
let ana: Browser;

async function queuedMeeting(): Promise<string> {
  const created = await ana.request('/api/meetings', {
    method: 'POST',
    json: {
      title: 'Roadmap',
      startsAt: '2027-03-22T10:00:00Z',
      endsAt: '2027-03-22T11:00:00Z',
      participants: [{ email: 'raj@acme.example', name: 'Raj Patel' }],
    },
  });
  const { id } = await json(created);
  const sent = await ana.request(`/api/meetings/${id}/captions`, {
    method: 'POST',
    headers: { 'content-type': 'text/vtt' },
    body: TEAMS_VTT,
  });
  expect(sent.status).toBe(202);
  return id;
}

function tenantDb() {
  return app.quorum.store.connection.useDb(`quorum_t_${acme.tenantId}`).db!;
}

/** Issues the certificates owed for deleted captions, as the certify job does on a worker. */
async function certifyDeletedCaptions(): Promise<void> {
  const { kit } = app.quorum.services.meetings;
  await certifyOwed(kit, verifiedTenantContext(acme.tenantId, 'system'));
}

/** What a finished meeting must hold: each thing once, whatever happened on the way. */
async function expectCompletedOnce(id: string) {
  await certifyDeletedCaptions();
  const db = tenantDb();
  const chunks = await db.collection('meeting_chunks').find({ meetingId: id }).toArray();
  expect(chunks.map((c) => [c._id, c.count])).toEqual([[`${id}:0`, 4]]);
  const actions = await db.collection('meeting_actions').findOne({ _id: id as never });
  expect(actions!.items).toHaveLength(1);
  expect(await db.collection('meeting_sources').countDocuments({ _id: id as never })).toBe(0);
  const certificates = await db
    .collection('deletion_certificates')
    .find({ subjectKind: 'meeting-recording', subjectId: { $regex: `^${id}:` } })
    .toArray();
  expect(certificates).toHaveLength(1);
  const events = await app.quorum.store.control
    .db!.collection('outbox_events')
    .find({ meetingId: id })
    .toArray();
  expect(events).toHaveLength(1);
  const meeting = await json(ana.request(`/api/meetings/${id}`));
  expect(meeting).toMatchObject({
    status: 'ready',
    recording: { certificateId: certificates[0]!._id },
  });
  expect(meeting.actionItems[0]).toMatchObject({ owner: 'Raj Patel', due: '2027-03-26' });
}

beforeAll(async () => {
  app = await startTestQuorum({ QUORUM_ROLE: 'web' });
  acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' });
  ana = acme.admin;
});
afterAll(async () => {
  await app?.stop();
});

describe('crash and resume', () => {
  const points: PipelineCheckpoint[] = [
    'segments-stored',
    'transcribed',
    'recording-deleted',
    'summarized',
    'published',
  ];
  for (const point of points) {
    it(`resumes after a crash at "${point}" with every record exactly once`, async () => {
      const { kit } = app.quorum.services.meetings;
      const id = await queuedMeeting();
      const crashing = createMeetingPipeline(kit, {
        checkpoint: (reached) => {
          if (reached === point) throw new Error('power cut');
        },
      });
      await expect(crashing.process(acme.tenantId, id)).rejects.toThrow(`interrupted at ${point}`);
      expect((await json(ana.request(`/api/meetings/${id}`))).status).not.toBe('failed');

      expect(await createMeetingPipeline(kit).process(acme.tenantId, id)).toBe('done');
      await expectCompletedOnce(id);
      // Running it once more changes nothing.
      expect(await createMeetingPipeline(kit).process(acme.tenantId, id)).toBe('done');
      await expectCompletedOnce(id);
    });
  }

  it('leaves nothing behind when the meeting is deleted between two steps', async () => {
    const { kit } = app.quorum.services.meetings;
    const id = await queuedMeeting();
    const crashing = createMeetingPipeline(kit, {
      checkpoint: (reached) => {
        if (reached === 'segments-stored') throw new Error('power cut');
      },
    });
    await expect(crashing.process(acme.tenantId, id)).rejects.toThrow();
    expect((await ana.request(`/api/meetings/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect(await createMeetingPipeline(kit).process(acme.tenantId, id)).toBe('gone');
    expect(await tenantDb().collection('meeting_chunks').countDocuments({ meetingId: id })).toBe(0);
  });

  it('re-enqueues meetings whose next step is due, for a worker to pick up', async () => {
    const id = await queuedMeeting();
    const { pipeline } = app.quorum.services.meetings;
    const jobsFor = () =>
      app.quorum.store.control
        .db!.collection('jobs')
        .countDocuments({ name: 'meetings.process', 'data.meetingId': id });
    // Just queued: a worker may be on it; the sweep leaves it alone.
    await pipeline.resumeDue();
    expect(await jobsFor()).toBe(1);
    // Untouched for minutes (its job was lost): enqueued again.
    await tenantDb()
      .collection('meetings')
      .updateOne({ _id: id as never }, { $set: { updatedAt: new Date(Date.now() - 3 * 60_000) } });
    expect(await pipeline.resumeDue()).toBeGreaterThanOrEqual(1);
    // One from the captions upload, one from the sweep: the lease makes a second run a no-op.
    expect(await jobsFor()).toBe(2);
  });

  it('has the certificates owed for deleted captions issued by a worker after a restart', async () => {
    const { kit, pipeline } = app.quorum.services.meetings;
    await certifyDeletedCaptions();
    const jobs = app.quorum.store.control.db!.collection('jobs');
    const certifyJobs = {
      name: 'meetings.certify-deleted-sources',
      'data.tenantId': acme.tenantId,
    };
    await jobs.deleteMany(certifyJobs);
    const id = await queuedMeeting();
    expect(await createMeetingPipeline(kit).process(acme.tenantId, id)).toBe('done');
    // The job enqueued with the deletion is lost, as with a process that died.
    expect(await jobs.countDocuments(certifyJobs)).toBe(1);
    await jobs.deleteMany(certifyJobs);
    await pipeline.resumeDue();
    expect(await jobs.countDocuments(certifyJobs)).toBe(1);
    await certifyDeletedCaptions();
    await expectCompletedOnce(id);
    // Nothing owed any more: the sweep enqueues no job (it would read the empty list again).
    await jobs.deleteMany(certifyJobs);
    await pipeline.resumeDue();
    expect(await jobs.countDocuments(certifyJobs)).toBe(0);
  });
});

describe('failures', () => {
  /** The captions engine, failing its first `failures` calls the way a remote engine can. */
  function flaky(failures: number): Transcriber {
    const real = createCaptionsTranscriber();
    let calls = 0;
    return {
      engine: 'captions',
      accepts: real.accepts,
      async transcribe(source, options) {
        calls += 1;
        if (calls <= failures) throw new Error('speech service unavailable');
        return real.transcribe(source, options);
      },
    };
  }

  it('retries a failing step with backoff, scheduling each retry as a job', async () => {
    const { kit } = app.quorum.services.meetings;
    const flakyKit = createMeetingsKit({ ...kit.deps, transcribers: [flaky(2)] });
    const delays: number[] = [];
    const pipeline = createMeetingPipeline(flakyKit, {
      backoffMs: (attempt) => {
        delays.push(attempt);
        return 1000 * 2 ** attempt;
      },
    });
    const id = await queuedMeeting();
    const before = Date.now();
    expect(await pipeline.process(acme.tenantId, id)).toBe('retry');
    const doc = await tenantDb()
      .collection('meetings')
      .findOne({ _id: id as never });
    expect(doc).toMatchObject({ attempts: 1, status: 'transcribing' });
    expect(doc!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 2000);
    const retry = await app.quorum.store.control
      .db!.collection('jobs')
      .findOne({ name: 'meetings.process', 'data.meetingId': id, nextRunAt: doc!.nextAttemptAt });
    expect(retry).not.toBeNull();

    expect(await pipeline.process(acme.tenantId, id)).toBe('retry');
    expect(await pipeline.process(acme.tenantId, id)).toBe('done');
    expect(delays).toEqual([1, 2]);
    await expectCompletedOnce(id);
  });

  it('gives up after the last attempt, with the reason, and deletes the captions at once', async () => {
    const { kit } = app.quorum.services.meetings;
    const pipeline = createMeetingPipeline(
      createMeetingsKit({ ...kit.deps, transcribers: [flaky(99)] }),
      { maxAttempts: 3, backoffMs: () => 0 },
    );
    const id = await queuedMeeting();
    expect(await pipeline.process(acme.tenantId, id)).toBe('retry');
    expect(await pipeline.process(acme.tenantId, id)).toBe('retry');
    expect(await pipeline.process(acme.tenantId, id)).toBe('failed');
    const meeting = await json(ana.request(`/api/meetings/${id}`));
    expect(meeting.status).toBe('failed');
    expect(meeting.failure.reason).toBe(
      'Gave up after 3 attempts; the last error was: speech service unavailable',
    );
    expect(meeting.recording.certificateId).toEqual(expect.any(String));
    // The captions are gone at once; the record saying what its certificate will say stays
    // until the certificate is issued, under the id the meeting already names.
    const source = await tenantDb()
      .collection('meeting_sources')
      .findOne({ _id: id as never });
    expect(source).toMatchObject({ owed: { certificateId: meeting.recording.certificateId } });
    expect(source).not.toHaveProperty('captions');
    await certifyDeletedCaptions();
    expect((await ana.request(`/api/certificates/${meeting.recording.certificateId}`)).status).toBe(
      200,
    );
    expect(
      await tenantDb()
        .collection('meeting_sources')
        .countDocuments({ _id: id as never }),
    ).toBe(0);
  });
});

describe('recordings at rest', () => {
  it('keeps an uploaded recording only encrypted on disk, and still transcribes it', async () => {
    const dir = path.join(app.quorum.config.dataDir, 'e2e-audio');
    execFileSync('mkdir', ['-p', dir]);
    const wav = path.join(dir, 'hello.wav');
    execFileSync('espeak-ng', [
      '-v',
      'en-us+f5',
      '-s',
      '130',
      '-w',
      wav,
      'We decided to hire two engineers.',
    ]);
    const original = readFileSync(wav);

    const created = await ana.request('/api/meetings', {
      method: 'POST',
      json: { title: 'Hiring', startsAt: '2027-03-22T10:00:00Z', endsAt: '2027-03-22T11:00:00Z' },
    });
    const { id } = await json(created);
    const upload = await ana.request(`/api/meetings/${id}/audio`, {
      method: 'POST',
      headers: { 'content-type': 'audio/wav' },
      body: original,
    });
    expect(upload.status).toBe(202);

    const folder = path.join(app.quorum.config.dataDir, 'meetings', 'recordings', acme.tenantId);
    const [file] = readdirSync(folder);
    const stored = readFileSync(path.join(folder, file!));
    expect(stored.subarray(0, 8).toString('latin1')).toBe('QRMAUD01');
    expect(stored.includes(Buffer.from('RIFF'))).toBe(false);
    expect(stored.includes(Buffer.from('WAVE'))).toBe(false);
    // No stretch of the original samples survives in the file.
    expect(stored.includes(original.subarray(4096, 4096 + 64))).toBe(false);
    const source = await tenantDb()
      .collection('meeting_sources')
      .findOne({ _id: id as never });
    expect(String(source!.fileKey)).toMatch(/^q1\./);

    // Decrypted for the engine only while it runs.
    const { kit } = app.quorum.services.meetings;
    expect(await createMeetingPipeline(kit).process(acme.tenantId, id)).toBe('done');
    const meeting = await json(ana.request(`/api/meetings/${id}`));
    expect(meeting.status, JSON.stringify(meeting.failure)).toBe('ready');
    expect(meeting.transcript.map((s: { text: string }) => s.text).join(' ')).toMatch(/hire/);
    expect(readdirSync(folder)).toEqual([]);
  }, 30_000);

  it('refuses a recording altered on disk, and deletes it', async () => {
    const created = await ana.request('/api/meetings', {
      method: 'POST',
      json: { title: 'Tampered', startsAt: '2027-03-22T10:00:00Z', endsAt: '2027-03-22T11:00:00Z' },
    });
    const { id } = await json(created);
    const upload = await ana.request(`/api/meetings/${id}/audio`, {
      method: 'POST',
      headers: { 'content-type': 'audio/wav' },
      body: Buffer.alloc(200_000, 1),
    });
    expect(upload.status).toBe(202);
    const folder = path.join(app.quorum.config.dataDir, 'meetings', 'recordings', acme.tenantId);
    const file = path.join(folder, readdirSync(folder)[0]!);
    const bytes = readFileSync(file);
    bytes[100_000] = bytes[100_000]! ^ 0x20;
    writeFileSync(file, bytes);

    const { kit } = app.quorum.services.meetings;
    expect(await createMeetingPipeline(kit).process(acme.tenantId, id)).toBe('failed');
    const meeting = await json(ana.request(`/api/meetings/${id}`));
    expect(meeting.failure.reason).toBe(
      'frame 1 of the recording does not authenticate: it was altered, moved, or belongs to ' +
        'another recording',
    );
    expect(readdirSync(folder)).toEqual([]);
  });
});
