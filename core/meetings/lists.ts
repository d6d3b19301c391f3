// "All meetings of X" without a query on the meetings collection: list documents in
// `meeting_lists`, each addressed by what it lists, read and written by exact `_id` only.
//
// - Timelines: the meetings of an owner, by month of their start, newest first:
//     `timeline:<owner>:<yyyy-mm>:<part>` holding entries `<startsAt ISO> <meetingId>` (they
//     sort by time as strings), and `timeline:<owner>` holding the months that have documents.
//   A month is split in TIMELINE_PARTS documents by day (1-8, 9-16, 17-24, 25-31): a new
//   meeting rewrites one part, which the embedded database decodes and writes whole (an
//   update of a 400-entry document cost 15 ms against 2.5 ms for 10 entries, measured), while
//   a month is still read at once (its parts concurrently, the same entries in all).
//   Owners: `u:<userId>` (the organizer), `e:<email>` (every participant, organizer included)
//   and `a:<attendeeKey>` (meetings of the same set of people). A part holds one owner's
//   meetings of a few days: its size is bounded by how many meetings a person has in a week,
//   not by the tenant. (An earlier version kept one document per month, without the part:
//   timeline-migration.ts splits those.)
// - Due lists: meetings some job must look at, by period and a bucket of the meeting id, so
//   that a busy day spreads over BUCKETS documents: `<kind>:<period>:<bucket>` holding meeting
//   ids, and `<kind>` holding the periods that have documents.
//
// Why arrays of strings: the embedded database (FerretDB) decodes a document value by value,
// so a list costs per entry; one string per entry is the cheapest entry there is. Writes are
// single `$addToSet`/`$pullAll` statements: atomic on MongoDB; on FerretDB they read, change and
// write the document without a lock, so each document's writes go through `serialized`.
import { Schema, type Model } from 'mongoose';
import { serialized } from '../store/serial.ts';
import { defineModel } from '../store/store.ts';

export interface ListDoc {
  _id: string;
  entries: string[];
}

export const MeetingList = defineModel<ListDoc>(
  'MeetingList',
  new Schema<ListDoc>(
    { _id: { type: String, required: true }, entries: { type: [String], default: [] } },
    { collection: 'meeting_lists', versionKey: false },
  ),
);

/** Documents per due period: ids are spread over them by a hash. */
export const BUCKETS = 16;

export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** A stable bucket of a meeting id (FNV-1a). */
export function bucketOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % BUCKETS;
}

/** Documents a timeline month is split in, by day of the month. */
export const TIMELINE_PARTS = 4;

/** The part of its month a timeline entry (or an ISO time) goes in: by its day (UTC). */
export function timelinePart(entryOrIso: string): number {
  const day = Number(entryOrIso.slice(8, 10));
  return Math.min(TIMELINE_PARTS - 1, Math.floor((day - 1) / 8));
}

/** The document of one owner's timeline holding this entry. */
export function timelineDocId(owner: string, entry: string): string {
  return `timeline:${owner}:${entry.slice(0, 7)}:${timelinePart(entry)}`;
}

export function timelineEntry(meetingId: string, startsAt: Date): string {
  return `${startsAt.toISOString()} ${meetingId}`;
}

export function meetingOfEntry(entry: string): string {
  return entry.slice(entry.indexOf(' ') + 1);
}

// Index entries (which periods exist) this process has already written: writing one again
// changes nothing, so it is skipped. Cleared when large; a miss only costs one more write.
const knownIndex = new Set<string>();
const KNOWN_INDEX_MAX = 100_000;

/** The list documents of one tenant database. */
export class Lists {
  readonly #model: Model<ListDoc>;
  readonly #db: string;

  constructor(model: Model<ListDoc>) {
    this.#model = model;
    this.#db = model.db.name;
  }

  #queue<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return serialized(`${this.#db}/meeting_lists/${id}`, fn);
  }

  async add(id: string, entries: readonly string[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#queue(id, () =>
      this.#model.updateOne(
        { _id: id },
        { $addToSet: { entries: { $each: [...entries] } } },
        { upsert: true },
      ),
    );
  }

  async remove(id: string, entries: readonly string[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#queue(id, () =>
      // $pullAll, not $pull with $in: FerretDB 1.24 ignores the latter (measured).
      this.#model.updateOne({ _id: id }, { $pullAll: { entries: [...entries] } }),
    );
  }

  async read(id: string): Promise<string[]> {
    return (await this.#model.findById(id).lean())?.entries ?? [];
  }

  /** Records that `period` of `index` has a document (before the document gets its entry). */
  async #indexed(index: string, period: string): Promise<void> {
    const known = `${this.#db}/${index}/${period}`;
    if (knownIndex.has(known)) return;
    await this.add(index, [period]);
    if (knownIndex.size >= KNOWN_INDEX_MAX) knownIndex.clear();
    knownIndex.add(known);
  }

  // Timelines.

  async addToTimeline(owner: string, meetingId: string, startsAt: Date): Promise<void> {
    await this.#indexed(`timeline:${owner}`, monthOf(startsAt));
    const entry = timelineEntry(meetingId, startsAt);
    await this.add(timelineDocId(owner, entry), [entry]);
  }

  /** Many meetings onto one owner's timeline: one write per document. */
  async addToTimelines(
    owner: string,
    meetings: ReadonlyArray<{ meetingId: string; startsAt: Date }>,
  ): Promise<void> {
    const byDoc = new Map<string, string[]>();
    for (const { meetingId, startsAt } of meetings) {
      const entry = timelineEntry(meetingId, startsAt);
      const id = timelineDocId(owner, entry);
      byDoc.set(id, [...(byDoc.get(id) ?? []), entry]);
    }
    for (const [id, entries] of byDoc) {
      await this.#indexed(`timeline:${owner}`, entries[0]!.slice(0, 7));
      await this.add(id, entries);
    }
  }

  async removeFromTimeline(owner: string, meetingId: string, startsAt: Date): Promise<void> {
    const entry = timelineEntry(meetingId, startsAt);
    await this.remove(timelineDocId(owner, entry), [entry]);
  }

  /** Every entry of these owners' timelines in one month (their parts read concurrently). */
  async #month(owners: readonly string[], month: string): Promise<string[]> {
    const docs = await Promise.all(
      owners.flatMap((owner) =>
        Array.from({ length: TIMELINE_PARTS }, (_, part) =>
          this.read(`timeline:${owner}:${month}:${part}`),
        ),
      ),
    );
    return docs.flat();
  }

  /** The months of these owners' timelines, newest first. */
  async timelineMonths(owners: readonly string[]): Promise<string[]> {
    const months = await Promise.all(owners.map((owner) => this.read(`timeline:${owner}`)));
    return [...new Set(months.flat())].sort().reverse();
  }

  /**
   * Meeting ids of these owners started before `before`, newest first, at least `enough` of
   * them when there are (whole months are read, so there may be more).
   */
  async newest(owners: readonly string[], before: Date | undefined, enough: number) {
    const cut = before?.toISOString();
    const months = (await this.timelineMonths(owners)).filter(
      (month) => cut === undefined || month <= cut.slice(0, 7),
    );
    const found = new Set<string>();
    for (const month of months) {
      for (const entry of await this.#month(owners, month)) {
        if (cut === undefined || entry < cut) found.add(entry);
      }
      if (found.size >= enough) break;
    }
    return [...found].sort().reverse().map(meetingOfEntry);
  }

  /** The meetings of these owners in these months: meeting id -> its start (ISO). */
  async startsIn(owners: readonly string[], months: readonly string[]) {
    const docs = await Promise.all(months.map((month) => this.#month(owners, month)));
    const starts = new Map<string, string>();
    for (const entry of docs.flat()) {
      starts.set(meetingOfEntry(entry), entry.slice(0, entry.indexOf(' ')));
    }
    return starts;
  }

  // Due lists.

  async addDue(kind: string, period: string, meetingIds: readonly string[]): Promise<void> {
    await this.#indexed(kind, period);
    await Promise.all(
      [...groupByBucket(meetingIds)].map(([bucket, ids]) =>
        this.add(`${kind}:${period}:${bucket}`, ids),
      ),
    );
  }

  async removeDue(kind: string, period: string, meetingIds: readonly string[]): Promise<void> {
    await Promise.all(
      [...groupByBucket(meetingIds)].map(([bucket, ids]) =>
        this.remove(`${kind}:${period}:${bucket}`, ids),
      ),
    );
  }

  /** The periods of a due list that have documents, oldest first. */
  async duePeriods(kind: string): Promise<string[]> {
    return (await this.read(kind)).sort();
  }

  /** Every meeting id listed for one period. */
  async dueIn(kind: string, period: string): Promise<string[]> {
    const buckets = await Promise.all(
      Array.from({ length: BUCKETS }, (_, bucket) => this.read(`${kind}:${period}:${bucket}`)),
    );
    return buckets.flat();
  }

  /** Forgets a period whose documents are empty, so later runs do not read them again. */
  async dropPeriod(kind: string, period: string): Promise<void> {
    if ((await this.dueIn(kind, period)).length > 0) return;
    await this.remove(kind, [period]);
    knownIndex.delete(`${this.#db}/${kind}/${period}`);
  }
}

function groupByBucket(ids: readonly string[]): Map<number, string[]> {
  const groups = new Map<number, string[]>();
  for (const id of ids) {
    const bucket = bucketOf(id);
    groups.set(bucket, [...(groups.get(bucket) ?? []), id]);
  }
  return groups;
}

/** Due lists of meetings (see `Lists.addDue`). */
export const DUE = {
  /** Meetings whose content is deleted once the retention period after this day has passed. */
  retention: 'retain',
  /** Meetings the pipeline has work for (queued up to published, or failed). */
  pipeline: 'pipeline',
  /** Meetings whose deletion was asked for and has not finished. */
  deleting: 'deleting',
  /** Meetings whose recording or captions were deleted and whose certificate is owed. */
  certifying: 'certify',
} as const;

/** The pipeline's and the deletion list's single period: they hold only work in progress. */
export const CURRENT = 'current';

/** Whose timelines list a meeting. */
export function timelineOwners(meeting: {
  organizerId: string | null;
  participantEmails: readonly string[];
  attendeeKey: string;
}): string[] {
  return [
    ...(meeting.organizerId ? [`u:${meeting.organizerId}`] : []),
    ...meeting.participantEmails.map((email) => `e:${email}`),
    `a:${meeting.attendeeKey}`,
  ];
}
