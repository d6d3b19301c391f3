// Retention: meeting content past the tenant's retention period is purged by the job, with one
// verifiable certificate per meeting even when a run dies midway; fresh meetings are untouched;
// recordings never outlive 24 hours, whatever happens to their transcription.
import { mkdirSync, readdirSync, utimesSync } from 'node:fs';
import { createSecretKey, randomBytes } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDeletionCertificate } from '../../../core/privacy/deletion-certificate.ts';
import { purgeStaleRecordings } from '../../../core/meetings/retention/recordings.ts';
import { certifyOwed } from '../../../core/meetings/retention/source-certificates.ts';
import { moveRetention } from '../../../core/meetings/listing.ts';
import {
  PURGE_EXPIRED_MEETINGS,
  purgeExpiredForTenant,
} from '../../../core/meetings/retention/retention.ts';
import { retentionFromArrivalStep } from '../../../core/meetings/retention/retention-migration.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import {
  backdateRetention,
  captionedMeeting,
  organization,
  TEAMS_VTT,
  waitForStatus,
  type Org,
} from './people.ts';

let app: TestQuorum;
let acme: Org;
let ana: Browser;

/** A meeting with Teams captions (and an agenda to become its invite text). */
const readyMeeting = (title: string) => captionedMeeting(ana, title, { description: '- Budget' });

function db() {
  return app.quorum.store.connection.useDb(`quorum_t_${acme.tenantId}`).db!;
}

async function contentCertificates(): Promise<Array<Record<string, unknown>>> {
  return db()
    .collection('deletion_certificates')
    .find({ subjectKind: 'meeting-content' })
    .toArray();
}

const backdate = (ids: string[], days: number) => backdateRetention(app, acme.tenantId, ids, days);

/**
 * The purge's start-up runs are over (the recurring job's first run, and the one-time run at
 * start, removed when it succeeds): they can start seconds late, and the runs the tests make
 * must be the only ones.
 */
async function startUpPurgeDone(): Promise<void> {
  const jobs = app.quorum.store.control.db!.collection('jobs');
  const deadline = Date.now() + 60_000;
  const pending = () =>
    jobs.countDocuments({
      name: PURGE_EXPIRED_MEETINGS,
      $or: [{ repeatInterval: null }, { lockedAt: { $ne: null } }, { lastFinishedAt: null }],
    });
  while ((await pending()) > 0) {
    if (Date.now() > deadline) throw new Error('the start-up purge is still pending');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  // Open sign-up: a second organization keeps the purges run with a moved clock to itself.
  app = await startTestQuorum({ QUORUM_OPEN_SIGNUP: 'true' });
  acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' });
  ana = acme.admin;
  const res = await ana.request('/api/admin/settings', {
    method: 'PUT',
    json: { retentionDays: 10 },
  });
  expect(res.status).toBe(200);
  await startUpPurgeDone();
});
afterAll(async () => {
  await app?.stop();
});

describe('meeting content retention', () => {
  it('is scheduled daily and at start-up', async () => {
    const job = await app.quorum.store.control
      .db!.collection('jobs')
      .findOne({ name: PURGE_EXPIRED_MEETINGS, repeatInterval: '1 day' });
    expect(job).not.toBeNull();
  });

  it('purges expired meetings in batches, resumes after a crash, and certifies each once', async () => {
    const expired: string[] = [];
    for (let i = 0; i < 5; i++) expired.push(await readyMeeting(`Old sync ${i}`));
    const recent = await readyMeeting('Last week');
    const fresh = await readyMeeting('Today');
    for (const id of [...expired, recent, fresh]) {
      expect((await waitForStatus(ana, id, ['ready', 'failed'])).status).toBe('ready');
    }
    await backdate(expired, 11);
    await backdate([recent], 9);

    // The third meeting's purge dies after its content is gone but before its certificate.
    let reached = 0;
    const ctx = verifiedTenantContext(acme.tenantId, 'system');
    const crashing = purgeExpiredForTenant(
      {
        kit: app.quorum.services.meetings.kit,
        batchSize: 2,
        checkpoint: (point) => {
          if (point === 'content-erased' && ++reached === 3) throw new Error('power cut');
        },
      },
      ctx,
    );
    await expect(crashing).rejects.toThrow('power cut');
    const purgedSoFar = await db()
      .collection('meetings')
      .find({ _id: { $in: expired as never[] }, purgedAt: { $ne: null } })
      .toArray();
    expect(purgedSoFar).toHaveLength(2);
    expect(await contentCertificates()).toHaveLength(2);

    // The scheduled job, run again, finishes the work.
    await app.quorum.jobs!.now(PURGE_EXPIRED_MEETINGS);
    const deadline = Date.now() + 15_000;
    while (
      Date.now() < deadline &&
      (await db()
        .collection('meetings')
        .countDocuments({ _id: { $in: expired as never[] }, purgedAt: null })) > 0
    ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const certificates = await contentCertificates();
    expect(certificates.map((c) => c.subjectId).sort()).toEqual([...expired].sort());

    const keys = await json(fetch(`${app.url}/.well-known/quorum-certificate-keys.json`));
    const audit = await json(ana.request('/api/audit?limit=500'));
    for (const stored of certificates) {
      const verdict = verifyDeletionCertificate(String(stored.document), keys);
      expect(verdict).toMatchObject({ valid: true });
      if (!verdict.valid) continue;
      // The interrupted meeting too: counts come from the plan made before anything went.
      expect(verdict.certificate.deleted).toEqual({
        'transcript segments': 4,
        'summaries (with decisions and open questions)': 1,
        'action items': 1,
        'search index entries': 1,
        'invite descriptions': 1,
        'audio recordings': 0,
        'caption files': 0,
        'meeting data keys (destroyed)': 1,
      });
      expect(verdict.certificate.kept.map((k) => k.what)).toContain(
        'the meeting record: title, times, participants, booking link, status',
      );
      const entries = audit.entries.filter(
        (e: { action: string; details: { certificateId?: string } }) =>
          e.action === 'data.deleted' && e.details.certificateId === stored._id,
      );
      expect(entries).toHaveLength(1);
    }

    const old = await json(ana.request(`/api/meetings/${expired[2]}`));
    expect(old).toMatchObject({
      status: 'ready',
      title: 'Old sync 2',
      transcript: [],
      summary: null,
      actionItems: [],
      description: null,
      retention: { purgedAt: expect.any(String), certificateId: expect.any(String) },
    });
    const key = await db()
      .collection('data_keys')
      .findOne({ _id: `meeting:${expired[2]}` as never });
    expect(key).toMatchObject({ destroyedAt: expect.any(Date) });
    // Within the retention period: untouched.
    for (const id of [recent, fresh]) {
      const kept = await json(ana.request(`/api/meetings/${id}`));
      expect(kept.transcript).toHaveLength(4);
      expect(kept.retention.purgedAt).toBeNull();
    }
    // Search no longer finds the purged meetings.
    const found = await json(ana.request('/api/search?q=spreadsheet'));
    expect(found.results.map((r: { meetingId: string }) => r.meetingId).sort()).toEqual(
      [recent, fresh].sort(),
    );

    // Another run finds nothing to do and certifies nothing again.
    expect(await purgeExpiredForTenant({ kit: app.quorum.services.meetings.kit }, ctx)).toEqual({
      purged: 0,
      finished: 0,
    });
    expect(await contentCertificates()).toHaveLength(5);
  });

  it('audits a deletion once even when the run died between certificate and audit', async () => {
    const id = await readyMeeting('Certified then cut');
    expect((await waitForStatus(ana, id, ['ready'])).status).toBe('ready');
    await backdate([id], 30);
    const ctx = verifiedTenantContext(acme.tenantId, 'system');
    const kit = app.quorum.services.meetings.kit;
    await expect(
      purgeExpiredForTenant(
        {
          kit,
          checkpoint: (point) => {
            if (point === 'certified') throw new Error('power cut');
          },
        },
        ctx,
      ),
    ).rejects.toThrow('power cut');
    expect(await purgeExpiredForTenant({ kit }, ctx)).toEqual({ purged: 1, finished: 0 });
    const mine = (await contentCertificates()).filter((c) => c.subjectId === id);
    expect(mine).toHaveLength(1);
    const audit = await json(ana.request('/api/audit?limit=500'));
    expect(
      audit.entries.filter(
        (e: { action: string; details: { certificateId?: string } }) =>
          e.details.certificateId === mine[0]!._id,
      ),
    ).toHaveLength(1);
    expect(audit.verification.intact).toBe(true);
  });
});

describe('recording retention', () => {
  it('purges a tenant once when two runs start together (two nodes, or a manual and a daily run)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await readyMeeting(`Twice ${i}`));
    for (const id of ids) {
      expect((await waitForStatus(ana, id, ['ready', 'failed'])).status).toBe('ready');
    }
    await backdate(ids, 12);
    const ctx = verifiedTenantContext(acme.tenantId, 'system');
    const kit = app.quorum.services.meetings.kit;
    const reports = await Promise.all([
      purgeExpiredForTenant({ kit, batchSize: 2 }, ctx),
      purgeExpiredForTenant({ kit, batchSize: 2 }, ctx),
    ]);
    expect(reports.map((r) => r.purged).sort()).toEqual([0, 4]);
    const audit = await json(ana.request('/api/audit?limit=500'));
    for (const id of ids) {
      const entries = audit.entries.filter(
        (e: { action: string; target: string; details: { kind?: string } }) =>
          e.action === 'data.deleted' &&
          e.target === `meeting:${id}` &&
          e.details.kind === 'meeting-content',
      );
      expect(entries).toHaveLength(1);
    }
  });

  it('deletes recordings 24 hours old even when transcription never finished', async () => {
    const { kit } = app.quorum.services.meetings;
    const created = await ana.request('/api/meetings', {
      method: 'POST',
      json: { title: 'Stuck', startsAt: '2027-03-22T10:00:00Z', endsAt: '2027-03-22T11:00:00Z' },
    });
    const { id } = await json(created);
    // A recording whose transcription keeps failing: received a day ago, retry not yet due.
    const file = `${id}.stuck1.qra`;
    await kit.files.write(
      Readable.from([randomBytes(10_000)]),
      { tenantId: acme.tenantId, file },
      createSecretKey(randomBytes(32)),
      1_000_000,
    );
    await db()
      .collection('meeting_sources')
      .insertOne({
        _id: id as never,
        sourceId: 'stuck1',
        kind: 'audio',
        file,
        fileKey: null,
        bytes: 10_000,
        contentType: 'audio/wav',
        captionsFormat: null,
        state: 'received',
        receivedAt: new Date(Date.now() - 23.5 * 3_600_000),
      });
    await db()
      .collection('meetings')
      .updateOne(
        { _id: id as never },
        {
          $set: {
            status: 'transcribing',
            source: 'audio',
            sourceId: 'stuck1',
            engine: 'pocketsphinx',
            attempts: 4,
            nextAttemptAt: new Date(Date.now() + 3_600_000),
          },
        },
      );
    // An upload cut short by a crash: a file no record points to, untouched for two hours.
    const orphan = `${id}.orphan9.qra`;
    await kit.files.write(
      Readable.from([randomBytes(1000)]),
      { tenantId: acme.tenantId, file: orphan },
      createSecretKey(randomBytes(32)),
      1_000_000,
    );
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(kit.files.pathOf(acme.tenantId, orphan), twoHoursAgo, twoHoursAgo);
    // A transcription work folder left by a process that died a day ago.
    const work = path.join(kit.files.workRoot, 'rec-dead');
    mkdirSync(work, { recursive: true });
    const dayAgo = new Date(Date.now() - 25 * 3_600_000);
    utimesSync(work, dayAgo, dayAgo);

    const report = await purgeStaleRecordings({ kit });
    expect(report).toEqual({ recordings: 1, orphans: 1, workFolders: 1 });
    expect(readdirSync(kit.files.folderOf(acme.tenantId))).toEqual([]);
    expect(readdirSync(kit.files.workRoot)).toEqual([]);

    await certifyOwed(kit, verifiedTenantContext(acme.tenantId, 'system'));
    const meeting = await json(ana.request(`/api/meetings/${id}`));
    expect(meeting.status).toBe('failed');
    expect(meeting.failure.reason).toMatch(/deleted 24 hours after it arrived/);
    const certificates = await db()
      .collection('deletion_certificates')
      .find({
        subjectKind: 'meeting-recording',
        subjectId: { $in: [`${id}:stuck1`, `${id}:orphan9`] },
      })
      .toArray();
    expect(certificates).toHaveLength(2);
    expect(meeting.recording.certificateId).toBe(
      certificates.find((c) => c.subjectId === `${id}:stuck1`)!._id,
    );
    // Nothing is left to do on the next run.
    expect(await purgeStaleRecordings({ kit })).toEqual({
      recordings: 0,
      orphans: 0,
      workFolders: 0,
    });
  });
});

describe('retention counted from when the content arrived', () => {
  const DAY = 86_400_000;
  let globex: Org;
  let gus: Browser;
  let ctx: ReturnType<typeof verifiedTenantContext>;
  const kit = () => app.quorum.services.meetings.kit;
  /** The purge as it runs at `at` (the clock the retention job reads). */
  const purgeAt = (at: number) =>
    purgeExpiredForTenant({ kit: { ...kit(), now: () => new Date(at) } }, ctx);
  const globexDb = () => app.quorum.store.connection.useDb(`quorum_t_${globex.tenantId}`).db!;

  beforeAll(async () => {
    // An organization of its own: the purges below run with the clock moved on, and must
    // find only these meetings.
    globex = await organization(app, 'Globex', { name: 'Gus Grant', email: 'gus@globex.example' });
    gus = globex.admin;
    const set = await gus.request('/api/admin/settings', {
      method: 'PUT',
      json: { retentionDays: 10 },
    });
    expect(set.status).toBe(200);
    ctx = verifiedTenantContext(globex.tenantId, 'system');
  });

  /**
   * A meeting dated 9999-12-31 with Teams captions. Created through the meetings service, as
   * the platforms' events create meetings: the HTTP edge refuses such dates, core takes what a
   * platform says. Resolves to its id and when its captions were sent.
   */
  async function farMeeting(title: string): Promise<{ id: string; sent: [number, number] }> {
    const me = await json(gus.request('/api/me'));
    const { meeting } = await app.quorum.services.meetings.service.create(
      ctx,
      { kind: 'user', userId: me.id, email: 'gus@globex.example', name: 'Gus Grant' },
      {
        title,
        startsAt: new Date('9999-12-31T10:00:00Z'),
        endsAt: new Date('9999-12-31T11:00:00Z'),
        participants: [{ email: 'raj@acme.example', name: 'Raj Patel' }],
      },
    );
    const before = Date.now();
    const sent = await gus.request(`/api/meetings/${meeting.id}/captions`, {
      method: 'POST',
      headers: { 'content-type': 'text/vtt' },
      body: TEAMS_VTT,
    });
    expect(sent.status).toBe(202);
    const after = Date.now();
    expect((await waitForStatus(gus, meeting.id, ['ready', 'failed'])).status).toBe('ready');
    return { id: meeting.id, sent: [before, after] };
  }

  const purgedAt = async (id: string) =>
    (await json(gus.request(`/api/meetings/${id}`))).retention.purgedAt as string | null;

  it('keeps the content of a meeting dated 9999 its retention period from the captions, then purges it', async () => {
    const { id, sent } = await farMeeting('Far ahead');
    const view = await json(gus.request(`/api/meetings/${id}`));
    expect(view.endsAt).toBe('9999-12-31T11:00:00.000Z');
    const keptUntil = Date.parse(view.retention.keptUntil);
    expect(keptUntil).toBeGreaterThanOrEqual(sent[0] + 10 * DAY);
    expect(keptUntil).toBeLessThanOrEqual(sent[1] + 10 * DAY);

    // A minute before that, the purge leaves it; a minute after, it is gone, with a certificate.
    await purgeAt(keptUntil - 60_000);
    expect(await purgedAt(id)).toBeNull();
    await purgeAt(keptUntil + 60_000);
    const purged = await json(gus.request(`/api/meetings/${id}`));
    expect(purged).toMatchObject({
      transcript: [],
      summary: null,
      retention: { purgedAt: expect.any(String), certificateId: expect.any(String) },
    });
  });

  it('moves retention written the earlier way, from the meeting end, to the transcription', async () => {
    const { id } = await farMeeting('Far ahead, stored before');
    // What the earlier version stored: retention from the later of the end and transcription.
    const meetings = globexDb().collection('meetings');
    const stored = await meetings.findOne({ _id: id as never });
    const { lists } = await kit().models(ctx);
    await moveRetention(lists, id, stored!.retainFrom, stored!.endsAt);
    await meetings.updateOne({ _id: id as never }, { $set: { retainFrom: stored!.endsAt } });

    const step = retentionFromArrivalStep(kit());
    expect(await step.runForTenant(app.quorum.store, ctx)).toBe(1);
    expect(await step.runForTenant(app.quorum.store, ctx)).toBe(0);
    const transcribedAt = (stored!.transcribedAt as Date).getTime();
    const view = await json(gus.request(`/api/meetings/${id}`));
    expect(Date.parse(view.retention.keptUntil)).toBe(transcribedAt + 10 * DAY);
    await purgeAt(transcribedAt + 10 * DAY + 60_000);
    expect(await purgedAt(id)).toEqual(expect.any(String));
  });
});
