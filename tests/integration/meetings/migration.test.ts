// A data folder written by the earlier layout (one document per transcript segment and per
// action item, meetings found by queries) is moved by the storage migration, even when a start
// dies half-way: afterwards every meeting opens with its whole transcript, lists, searches,
// gives its agenda, and is purged on schedule; the old collections are gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacySealed, positionalId } from '../../../core/meetings/legacy.ts';
import { attendeeKeyOf } from '../../../core/meetings/records/participants.ts';
import { meetingLayoutStep } from '../../../core/meetings/migration.ts';
import { newMeetingId } from '../../../core/meetings/ids.ts';
import { purgeExpiredForTenant } from '../../../core/meetings/retention/retention.ts';
import { runMigrations } from '../../../core/store/migrations.ts';
import { verifiedTenantContext, type TenantContext } from '../../../core/store/tenant-context.ts';
import { allMigrationSteps } from '../../../infra/server/migrations.ts';
import { asCreatedByEarlierVersion } from '../../support/earlier-tenant.ts';
import { json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { organization, type Org } from './people.ts';
import { capturedLogger } from '../../support/captured-logger.ts';

let app: TestQuorum;
let acme: Org;
let ctx: TenantContext;
let ana: { kind: 'user'; userId: string; email: string; name: string };
const RAJ = { email: 'raj@acme.example', name: 'Raj Patel' };
const DAY = 86_400_000;
/** Segments per meeting: more than two chunks' worth. */
const SEGMENTS = 230;

function tenantDb() {
  return app.quorum.store.connection.useDb(`quorum_t_${acme.tenantId}`).db!;
}

function lines(meetingIndex: number) {
  return Array.from({ length: SEGMENTS }, (_, i) => ({
    speaker: i % 2 ? 'Raj Patel' : 'Ana Lopez',
    startMs: i * 1000,
    endMs: i * 1000 + 900,
    text:
      i === 117
        ? `We chose zeppelin${meetingIndex} as the vendor.`
        : `Line ${i} of ${meetingIndex}.`,
    confidence: i % 3 ? 0.9 : null,
  }));
}

interface OldMeeting {
  id: string;
  startsAt: Date;
  kind: 'ready' | 'scheduled' | 'queued' | 'deleting';
}

/** A meeting record exactly as the earlier version wrote it (no chunk count, no claim ids). */
function oldRecord(m: OldMeeting, now: Date) {
  const emails = [ana.email, RAJ.email];
  const ready = m.kind === 'ready';
  const endsAt = new Date(m.startsAt.getTime() + 3_600_000);
  return {
    _id: m.id,
    title: `Weekly ${m.id.slice(2, 8)}`,
    organizerId: ana.userId,
    organizerEmail: ana.email,
    participants: [
      { email: ana.email, name: ana.name },
      { email: RAJ.email, name: RAJ.name },
    ],
    participantEmails: emails,
    attendeeKey: attendeeKeyOf(emails),
    bookingId: null,
    startsAt: m.startsAt,
    endsAt,
    timeZone: 'UTC',
    language: null,
    status: ready ? 'ready' : m.kind === 'queued' ? 'queued' : 'scheduled',
    failure: null,
    source: ready ? 'captions' : null,
    sourceId: ready ? 'src1' : null,
    engine: ready ? 'captions' : null,
    attempts: 0,
    nextAttemptAt: m.kind === 'queued' ? new Date(now.getTime() - 600_000) : null,
    segmentCount: ready ? SEGMENTS : null,
    transcribedAt: ready ? now : null,
    sourceDeletedAt: ready ? now : null,
    sourceCertificateId: null,
    summarizedAt: ready ? now : null,
    publishedAt: ready ? now : null,
    retainFrom: endsAt > now ? endsAt : now,
    purge: null,
    purgedAt: null,
    deletion:
      m.kind === 'deleting'
        ? { counts: { 'meeting records': 1 }, startedAt: now, by: `user:${ana.userId}` }
        : null,
    createdAt: now,
    updatedAt: new Date(now.getTime() - 600_000),
  };
}

/** Writes meetings the earlier way: raw documents, content sealed field by field. */
async function writeOldLayout(meetings: OldMeeting[]): Promise<void> {
  const { kit } = app.quorum.services.meetings;
  const legacy = legacySealed(kit.deps.envelope);
  const db = tenantDb();
  const now = new Date();
  await db.collection('meetings').insertMany(meetings.map((m) => oldRecord(m, now)) as never[]);
  for (const [n, m] of meetings.entries()) {
    if (m.kind !== 'ready') continue;
    const segments = await Promise.all(
      lines(n).map((line, index) =>
        legacy.segments.seal(ctx, {
          _id: positionalId(m.id, index),
          meetingId: m.id,
          index,
          ...line,
        }),
      ),
    );
    // Inserted out of order, as interleaved batches would leave them.
    await db.collection('meeting_segments').insertMany(segments.reverse() as never[]);
    const items = await Promise.all(
      [0, 1].map((index) =>
        legacy.actionItems.seal(ctx, {
          _id: positionalId(m.id, index),
          meetingId: m.id,
          index,
          task: `Send plan ${index} of ${n}`,
          owner: 'Raj Patel',
          due: null,
          sourceSegment: index,
          done: index === 1,
          doneAt: index === 1 ? now : null,
        }),
      ),
    );
    await db.collection('meeting_action_items').insertMany(items as never[]);
    await db.collection('meeting_summaries').insertOne(
      (await kit.sealed.summaries.seal(ctx, {
        _id: m.id,
        engine: 'extractive',
        summary: [`Summary of ${n}`],
        decisions: [`We chose zeppelin${n} as the vendor.`],
        openQuestions: [],
        createdAt: now,
      })) as never,
    );
    await kit.search.index(
      ctx,
      m.id,
      lines(n).map((l) => l.text),
    );
  }
  // A leftover segment of a meeting whose record is gone: it goes with the old collection.
  const gone = newMeetingId();
  await db.collection('meeting_segments').insertOne(
    (await legacy.segments.seal(ctx, {
      _id: positionalId(gone, 0),
      meetingId: gone,
      index: 0,
      ...lines(0)[0]!,
    })) as never,
  );
  await db.collection('meeting_claims').insertOne({
    _id: `key:user:${ana.userId}:k1` as never,
    meetingId: meetings[0]!.id,
    createdAt: now,
  });
}

const meetings: OldMeeting[] = [];

beforeAll(async () => {
  app = await startTestQuorum({ QUORUM_ROLE: 'web' });
  acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' }, [RAJ]);
  const me = await json(acme.admin.request('/api/me'));
  ana = { kind: 'user', userId: me.id, email: 'ana@acme.example', name: 'Ana Lopez' };
  ctx = verifiedTenantContext(acme.tenantId, 'system');
  await asCreatedByEarlierVersion(app.quorum.store, acme.tenantId);
  // Six months of weekly meetings up to last week, the newest first in this list; one next
  // week, one queued for the pipeline, one whose deletion was cut short.
  const base = Math.floor(Date.now() / DAY) * DAY - 7 * DAY + 10 * 3_600_000;
  for (let week = 0; week < 26; week++) {
    meetings.push({ id: newMeetingId(), startsAt: new Date(base - week * 7 * DAY), kind: 'ready' });
  }
  meetings.push({ id: newMeetingId(), startsAt: new Date(base + 7 * DAY), kind: 'scheduled' });
  meetings.push({ id: newMeetingId(), startsAt: new Date(base - 200 * DAY), kind: 'queued' });
  meetings.push({ id: newMeetingId(), startsAt: new Date(base - 300 * DAY), kind: 'deleting' });
  await writeOldLayout(meetings);
  // The Teams bot's record of a meeting held in Teams, as it was kept.
  await tenantDb()
    .collection('teams_meetings')
    .insertOne({
      _id: 'teams-meeting-1' as never,
      meetingId: meetings[0]!.id,
      conversationId: '19:meeting_abc@thread.v2',
      joinUrl: null,
      transcriptBlockedAt: null,
      transcriptFetchedAt: null,
      createdAt: new Date(),
    });
});
afterAll(async () => {
  await app?.stop();
});

describe('moving a tenant from the earlier meeting layout', () => {
  it('finishes after a start that died half-way, with one log line, and drops the old records', async () => {
    const { kit } = app.quorum.services.meetings;
    let written = 0;
    const dying = meetingLayoutStep(kit, {
      checkpoint: () => {
        if (++written === 5) throw new Error('power cut');
      },
    });
    const { logger, text: output, clear } = capturedLogger();
    await expect(runMigrations(app.quorum.store, [dying], logger)).rejects.toThrow('power cut');
    // Nothing old went yet.
    expect(await tenantDb().collection('meeting_segments').countDocuments()).toBe(
      26 * SEGMENTS + 1,
    );

    await runMigrations(app.quorum.store, allMigrationSteps(app.quorum.services), logger);
    const logged = output()
      .split('\n')
      .filter((line) => line.includes(acme.tenantId) && line.includes('meetings-chunks'));
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toMatchObject({
      msg: expect.stringContaining('storage migrated: meeting transcripts into chunks'),
      moved: meetings.length,
    });
    // The Teams meeting's chat, now found by the Quorum meeting's id.
    expect(
      await tenantDb()
        .collection('teams_meeting_chats')
        .findOne({ _id: meetings[0]!.id as never }),
    ).toMatchObject({
      teamsMeetingId: 'teams-meeting-1',
      conversationId: '19:meeting_abc@thread.v2',
    });
    const names = (await tenantDb().listCollections().toArray()).map((c) => c.name);
    expect(names).not.toContain('meeting_segments');
    expect(names).not.toContain('meeting_action_items');
    // Each transcript once: three chunks of 100, 100 and 30 segments.
    const chunks = await tenantDb().collection('meeting_chunks').find().toArray();
    expect(chunks).toHaveLength(26 * 3);
    expect(
      chunks.filter((c) => String(c._id) === `${meetings[3]!.id}:2`).map((c) => c.count),
    ).toEqual([30]);
    // Run again: done, nothing runs twice.
    clear();
    await runMigrations(app.quorum.store, allMigrationSteps(app.quorum.services), logger);
    expect(output()).not.toContain('storage migrated');
  });

  it('opens every meeting with its whole transcript, summary and action items', async () => {
    const { service } = app.quorum.services.meetings;
    for (const [n, m] of meetings.entries()) {
      if (m.kind !== 'ready') continue;
      const view = await service.get(ctx, ana, m.id);
      expect(view.transcript).toEqual(lines(n).map((line, index) => ({ index, ...line })));
      expect(view.summary?.decisions).toEqual([`We chose zeppelin${n} as the vendor.`]);
      expect(view.actionItems).toEqual([
        { index: 0, task: `Send plan 0 of ${n}`, owner: 'Raj Patel', due: null, done: false },
        { index: 1, task: `Send plan 1 of ${n}`, owner: 'Raj Patel', due: null, done: true },
      ]);
    }
    // Ticking an item off works on the moved document.
    await service.setActionItemDone(ctx, ana, meetings[0]!.id, 0, true);
    expect((await service.get(ctx, ana, meetings[0]!.id)).actionItems[0]!.done).toBe(true);
  });

  it('lists, pages, searches and builds agendas from the moved meetings', async () => {
    const { service } = app.quorum.services.meetings;
    const visible = meetings.filter((m) => m.kind !== 'deleting');
    const newestFirst = [...visible].sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
    for (const person of [
      { userId: ana.userId, email: ana.email },
      { userId: 'u-raj-unknown', email: RAJ.email },
    ]) {
      const firstPage = await service.listMine(ctx, person, { limit: 10 });
      expect(firstPage.map((m) => m.id)).toEqual(newestFirst.slice(0, 10).map((m) => m.id));
      const next = await service.listMine(ctx, person, {
        limit: 50,
        before: new Date(firstPage.at(-1)!.startsAt),
      });
      expect(next.map((m) => m.id)).toEqual(newestFirst.slice(10).map((m) => m.id));
    }
    const found = await service.search(ctx, { userId: ana.userId, email: ana.email }, 'zeppelin7');
    expect(found.results.map((r) => r.meetingId)).toEqual([meetings[7]!.id]);
    expect(found.results[0]!.snippets[0]).toMatchObject({ startMs: 117_000 });
    // The next meeting's agenda carries the open items of the earlier ones, newest first.
    // (The newest one's open item was ticked off above.)
    const { agenda, fromMeetings } = await service.agenda(ctx, ana, meetings[26]!.id);
    expect(fromMeetings).toEqual(meetings.slice(1, 10).map((m) => m.id));
    expect(agenda.length).toBeGreaterThan(0);
    const previous = await service.previousWith(
      ctx,
      ana,
      [ana.email, RAJ.email],
      meetings[26]!.startsAt,
    );
    expect(previous?.id).toBe(meetings[0]!.id);
  });

  it('resumes the pipeline, finishes the deletion and purges expired content', async () => {
    const { kit, pipeline } = app.quorum.services.meetings;
    // The queued meeting is on the pipeline's due list.
    expect(await pipeline.resumeDue()).toBe(1);
    const report = await purgeExpiredForTenant({ kit, batchSize: 10 }, ctx);
    expect(report).toEqual({ purged: 0, finished: 1 });
    expect(
      await tenantDb()
        .collection('meetings')
        .findOne({ _id: meetings[28]!.id as never }),
    ).toBeNull();
    // Everything here expires within 30 days (the default): a run 31 days on purges every one.
    const later = { ...kit, now: () => new Date(Date.now() + 31 * DAY) };
    const purged = await purgeExpiredForTenant({ kit: later, batchSize: 10 }, ctx);
    expect(purged.purged).toBe(28);
    expect(await tenantDb().collection('meeting_chunks').countDocuments()).toBe(0);
    const certificate = await tenantDb()
      .collection('deletion_certificates')
      .findOne({ subjectKind: 'meeting-content', subjectId: meetings[4]!.id });
    expect(JSON.parse(String(certificate!.document)).certificate.deleted).toMatchObject({
      'transcript segments': SEGMENTS,
      'action items': 2,
      'summaries (with decisions and open questions)': 1,
    });
  });
});
