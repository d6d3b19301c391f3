// The retention purge, batch by batch: many meetings' expired content deleted together, with a
// certificate and an audit entry each. A run that dies midway leaves a recorded plan per meeting
// (its `meeting_purges` record); the next run finishes it with the plan's counts and finds the
// certificate already issued by its subject, so no deletion is ever certified twice.
import { findByIds, insertNew } from '../../store/by-id.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { countContent, eraseContent } from '../content.ts';
import type { MeetingsKit } from '../kit.ts';
import { DUE, dayOf, monthOf } from '../lists.ts';
import { purgeDoneId, type DeletionPlan, type MeetingDoc } from '../models.ts';
import { meetingScope } from '../sealed-content.ts';
import type { RetentionDeps } from './deps.ts';

/** Certificate subject of a meeting's content deleted after the retention period. */
export const MEETING_CONTENT_SUBJECT = 'meeting-content';

/** Meetings purged per batch: one insert of plans, and one bulk of deletions per collection. */
export const DEFAULT_PURGE_BATCH = 500;

/**
 * The plans of a batch: inserted in one command before anything is deleted. An insert refused
 * as a duplicate names a meeting whose plan an earlier run recorded (it died midway): that plan
 * is read back, so the resumed deletion is certified with the counts it started from.
 */
async function recordPlans(
  deps: RetentionDeps,
  ctx: TenantContext,
  meetings: readonly MeetingDoc[],
): Promise<{ plans: Map<string, DeletionPlan>; resumed: Set<string> }> {
  const { kit } = deps;
  const { Purges } = await kit.models(ctx);
  const legacy = meetings.filter((m) => m.purge);
  const fresh = meetings.filter((m) => !m.purge);
  const counted = await countContent(kit, ctx, fresh);
  const startedAt = kit.now();
  const plans = new Map<string, DeletionPlan>(
    fresh.map((m) => [
      m._id,
      { counts: { ...counted.get(m._id), 'meeting data keys (destroyed)': 1 }, startedAt },
    ]),
  );
  const refused = await insertNew(
    Purges,
    fresh.map((m) => ({ _id: m._id, kind: 'plan' as const, ...plans.get(m._id)! })),
  );
  const resumed = new Set([...legacy.map((m) => m._id), ...refused]);
  const recorded = new Map(
    (await findByIds(Purges, [...refused])).map((record) => [record._id, record]),
  );
  for (const meeting of meetings) {
    if (!resumed.has(meeting._id)) continue;
    const plan = meeting.purge ?? recorded.get(meeting._id);
    if (!plan?.counts || !plan.startedAt) {
      throw new Error(`the purge plan of meeting ${meeting._id} is missing`);
    }
    plans.set(meeting._id, {
      counts: plan.counts,
      startedAt: plan.startedAt,
      ...(meeting.purge?.certificateId ? { certificateId: meeting.purge.certificateId } : {}),
      ...(meeting.purge?.audited ? { audited: true } : {}),
    });
  }
  return { plans, resumed };
}

/**
 * Purges one batch of expired meetings. Plans are recorded first (one insert), the batch's data
 * keys are destroyed, then its content is deleted by exact ids; then the batch's deletions are
 * certified together (storage scrubbed once, one insert), and each meeting is audited and
 * marked purged (with its certificate, without its invite text) in turn, so a run that dies
 * leaves certificates whose meetings are unmarked: the next run finds them by subject.
 */
async function purgeBatch(
  deps: RetentionDeps,
  ctx: TenantContext,
  meetings: MeetingDoc[],
): Promise<void> {
  if (meetings.length === 0) return;
  const { kit } = deps;
  const { Meetings } = await kit.models(ctx);
  const ids = meetings.map((meeting) => meeting._id);
  const { plans, resumed } = await recordPlans(deps, ctx, meetings);
  const { certificates, envelope } = kit.deps;
  // Crypto-shredding first: from here every copy of the batch's content is unreadable, even
  // if the run dies before the content itself is gone (the next run deletes it).
  await envelope.destroyDataKeys(ctx, ids.map(meetingScope));
  // The invite text goes with each meeting's own update below (unreadable already).
  await eraseContent(kit, ctx, meetings, 'caller');
  for (const id of ids) await deps.checkpoint?.('content-erased', id);

  // A certificate can exist only if an earlier run got this far: only then look for it. One
  // issued with its audit entry (as below) was audited by that run.
  const certificateIds = new Map<string, string>();
  const audited = new Set<string>();
  for (const meeting of meetings) {
    const plan = plans.get(meeting._id)!;
    const found =
      !plan.certificateId && resumed.has(meeting._id)
        ? await certificates.issuedFor(ctx, MEETING_CONTENT_SUBJECT, meeting._id)
        : undefined;
    const existing = plan.certificateId ?? found?.certificateId;
    if (existing) certificateIds.set(meeting._id, existing);
    if (found?.audited) audited.add(meeting._id);
  }
  // The others together: storage is scrubbed once for the whole batch, and their audit entries
  // are written by the certificates, so that they cover them.
  const uncertified = meetings.filter((meeting) => !certificateIds.has(meeting._id));
  const issued = await certificates.issueDeletionCertificates(
    ctx,
    uncertified.map((meeting) => ({
      subject: { kind: MEETING_CONTENT_SUBJECT, id: meeting._id },
      deleted: plans.get(meeting._id)!.counts,
      kept: keptAfterPurge(meeting),
      at: kit.now(),
      audit: { ...purgeEntry(meeting), details: { reason: RETENTION_REASON } },
    })),
    // Meeting content lives in the tenant's database alone.
    { scrub: 'tenant' },
  );
  for (const signed of issued)
    certificateIds.set(signed.certificate.subject.id, signed.certificate.id);

  for (const id of ids) await deps.checkpoint?.('certified', id);
  for (const meeting of uncertified) audited.add(meeting._id);
  await auditBatch(deps, ctx, meetings, plans, resumed, { certificateIds, audited });
  // One statement per meeting remains: the mark on the record the meeting lists read.
  const now = kit.now();
  await Promise.all(
    chunked(meetings, MARK_CONCURRENCY).map(async (part) => {
      for (const meeting of part) {
        const id = meeting._id;
        await Meetings.updateOne(
          { _id: id },
          {
            $set: {
              purgedAt: now,
              purge: { ...plans.get(id)!, certificateId: certificateIds.get(id)!, audited: true },
              updatedAt: now,
            },
            $unset: { description: 1 },
          },
        );
      }
    }),
  );
}

/**
 * Marks in flight at once. FerretDB commits each by itself, and SQLite has one writer per file:
 * while waiting writers backed off by milliseconds, four streams were slower than two (0.9–1.1
 * against 0.5 ms a statement). Since the launcher's busy handler retries within microseconds
 * (infra/local/ferretdb/busy.go), four are faster: a purge of 10,000 meetings 64.6 -> 60.5 s.
 */
const MARK_CONCURRENCY = 4;

function chunked<T>(items: readonly T[], parts: number): T[][] {
  const size = Math.ceil(items.length / parts);
  return Array.from({ length: parts }, (_, i) => items.slice(i * size, (i + 1) * size)).filter(
    (part) => part.length > 0,
  );
}

const RETENTION_REASON = 'retention period';

const purgeEntry = (meeting: Pick<MeetingDoc, '_id'>) => ({
  actor: 'system',
  target: `meeting:${meeting._id}`,
});

/**
 * Audits the batch's deletions: one entry per meeting, appended together (one insert), except
 * for those `audited` already (by their new certificate), then the `done` records (one insert)
 * that say so. A resumed meeting with its `done` record was audited by the run that died; one
 * without is audited now (a run that died before the `done` records leaves a second entry for
 * its meetings, never none).
 */
async function auditBatch(
  deps: RetentionDeps,
  ctx: TenantContext,
  meetings: readonly MeetingDoc[],
  plans: ReadonlyMap<string, DeletionPlan>,
  resumed: ReadonlySet<string>,
  issued: { certificateIds: ReadonlyMap<string, string>; audited: ReadonlySet<string> },
): Promise<void> {
  const { certificateIds, audited } = issued;
  const { kit } = deps;
  const { Purges } = await kit.models(ctx);
  const done = new Set(
    (await findByIds(Purges, [...resumed].map(purgeDoneId), { _id: 1 })).map((r) => r._id),
  );
  const unaudited = meetings.filter(
    (m) => !plans.get(m._id)!.audited && !done.has(purgeDoneId(m._id)),
  );
  await kit.deps.audit.appendMany(
    ctx,
    unaudited
      .filter((meeting) => !audited.has(meeting._id))
      .map((meeting) => ({
        action: 'data.deleted' as const,
        ...purgeEntry(meeting),
        details: {
          certificateId: certificateIds.get(meeting._id)!,
          kind: MEETING_CONTENT_SUBJECT,
          reason: RETENTION_REASON,
        },
      })),
  );
  const at = kit.now();
  await insertNew(
    Purges,
    unaudited.map((meeting) => ({
      _id: purgeDoneId(meeting._id),
      kind: 'done' as const,
      certificateId: certificateIds.get(meeting._id)!,
      at,
    })),
  );
}

/** The certificate of a meeting's purge, wherever the run that did it recorded it. */
export async function purgeCertificateId(
  kit: MeetingsKit,
  ctx: TenantContext,
  meeting: Pick<MeetingDoc, '_id' | 'purge' | 'purgedAt'>,
): Promise<string | null> {
  if (meeting.purge?.certificateId) return meeting.purge.certificateId;
  if (!meeting.purgedAt) return null;
  // Purged by an earlier version, which kept the certificate in a `done` record.
  const { Purges } = await kit.models(ctx);
  return (await Purges.findById(purgeDoneId(meeting._id)).lean())?.certificateId ?? null;
}

function keptAfterPurge(meeting: MeetingDoc): Array<{ what: string; why: string }> {
  const kept = [
    {
      what: 'the meeting record: title, times, participants, booking link, status',
      why: 'scheduling metadata, not meeting content; it shows the meeting took place',
    },
    {
      what: 'certificates of earlier deletions (its recording)',
      why: 'they are the proof of those deletions',
    },
  ];
  if (meeting.bookingId) {
    kept.push({
      what: `booking ${meeting.bookingId}`,
      why: "it is the event on the organizer's calendar, not meeting content",
    });
  }
  return kept;
}

/**
 * Due meetings read before they are put in batches, at most (lean records, ~2 KB each). Batches
 * are made of whole months of meetings' starts where they can be: a month all of whose meetings
 * go in one batch loses its search postings unread (search-postings.ts, dropWholePeriods), where
 * a batch of a few meetings of many months rewrote every month's postings (a purge of 10,000
 * meetings over two years: 20 batches, each rewriting 24 months' postings).
 */
const DUE_WINDOW = 20_000;

/**
 * Batches of at most `size`: the meetings by month of their start, whole months together, a
 * month larger than `size` split (its last part with the next months).
 */
export function monthBatches<T extends { startsAt: Date }>(
  meetings: readonly T[],
  size: number,
): T[][] {
  const byMonth = new Map<string, T[]>();
  for (const meeting of meetings) {
    const month = monthOf(meeting.startsAt);
    const group = byMonth.get(month);
    if (group) group.push(meeting);
    else byMonth.set(month, [meeting]);
  }
  const batches: T[][] = [];
  let current: T[] = [];
  for (const month of [...byMonth.keys()].sort()) {
    let group = byMonth.get(month)!;
    for (; group.length > size; group = group.slice(size)) batches.push(group.slice(0, size));
    if (current.length + group.length > size) {
      batches.push(current);
      current = [];
    }
    current.push(...group);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** A day of the retention list as read: its listed ids and the records found for them. */
interface ListedDay {
  day: string;
  listed: string[];
  found: Map<string, MeetingDoc>;
  due: Set<string>;
  /** Every slice of the day is read (only then may its list be tidied). */
  read: boolean;
}

/**
 * Puts the purge's batches together across days: a day holds about as many meetings as a
 * tenant has in a day, and each batch costs one scrub of storage (a checkpoint of every
 * database file) and one insert each of plans, certificates and audit entries, so batches are
 * filled from as many days as it takes. A day's list is tidied once its meetings are purged.
 */
export class PurgeBatches {
  readonly #deps: RetentionDeps;
  readonly #ctx: TenantContext;
  readonly #size: number;
  #due: MeetingDoc[] = [];
  #days: ListedDay[] = [];
  purged = 0;

  constructor(deps: RetentionDeps, ctx: TenantContext) {
    this.#deps = deps;
    this.#ctx = ctx;
    this.#size = deps.batchSize ?? DEFAULT_PURGE_BATCH;
  }

  /** Reads one day of the list; its due meetings join the batch, full batches are purged. */
  async addDay(day: string, cutoff: Date): Promise<void> {
    const { Meetings, lists } = await this.#deps.kit.models(this.#ctx);
    const listed = await lists.dueIn(DUE.retention, day);
    const found = new Map<string, MeetingDoc>();
    const due = new Set<string>();
    const listedDay: ListedDay = { day, listed, found, due, read: false };
    this.#days.push(listedDay);
    for (let i = 0; i < listed.length; i += this.#size) {
      for (const meeting of await findByIds(Meetings, listed.slice(i, i + this.#size))) {
        found.set(meeting._id, meeting);
        if (meeting.retainFrom <= cutoff && meeting.purgedAt === null && !meeting.deletion) {
          due.add(meeting._id);
          this.#due.push(meeting);
        }
      }
      if (i + this.#size >= listed.length) listedDay.read = true;
      if (this.#due.length >= DUE_WINDOW) await this.#flush();
    }
    listedDay.read = true;
  }

  /** Purges what is left and tidies every day read. */
  async finish(): Promise<void> {
    await this.#flush();
    // Days with nothing due are tidied too.
    await this.#purge([]);
  }

  /** Purges the meetings read so far, in batches of whole months where it can. */
  async #flush(): Promise<void> {
    for (const batch of monthBatches(this.#due, this.#size)) {
      const taken = new Set(batch.map((meeting) => meeting._id));
      this.#due = this.#due.filter((meeting) => !taken.has(meeting._id));
      await this.#purge(batch);
    }
  }

  async #purge(batch: MeetingDoc[]): Promise<void> {
    await purgeBatch(this.#deps, this.#ctx, batch);
    this.purged += batch.length;
    // Days read to the end whose due meetings are all purged now.
    const waiting = new Set(this.#due.map((meeting) => meeting._id));
    const settled = this.#days.filter((d) => d.read && ![...d.due].some((id) => waiting.has(id)));
    this.#days = this.#days.filter((d) => !settled.includes(d));
    for (const day of settled) await this.#tidy(day);
  }

  /** Off the day: purged now, purged before, gone, or moved to another day (listed there). */
  async #tidy({ day, listed, found, due }: ListedDay): Promise<void> {
    const { lists } = await this.#deps.kit.models(this.#ctx);
    const moved = [...found.values()].filter(
      (m) => m.purgedAt === null && m.deletion === null && dayOf(m.retainFrom) !== day,
    );
    // Listed there again: a move is written before the record, so it is there already unless
    // something wrote the record alone.
    for (const meeting of moved) {
      await lists.addDue(DUE.retention, dayOf(meeting.retainFrom), [meeting._id]);
    }
    const leaving = listed.filter((id) => {
      const meeting = found.get(id);
      return (
        !meeting || meeting.purgedAt !== null || due.has(id) || dayOf(meeting.retainFrom) !== day
      );
    });
    await lists.removeDue(DUE.retention, day, leaving);
    await lists.dropPeriod(DUE.retention, day);
  }
}
