// The meeting collections of a tenant database. A meeting record holds what scheduling already
// knows (title, times, participants, booking) and where its processing stands; everything that
// was said lives in the content collections, encrypted with the meeting's own data key (see
// sealed-content.ts). The title is sealed too, under the tenant's titles key (records/titles.ts).
//
// Every hot path reads and writes these collections by exact `_id` (the embedded database
// serves only that filter from an index): a meeting's content documents have ids made from the
// meeting id (`<meetingId>`, `<meetingId>:<chunk>`), and "all meetings of X" is read from list
// documents (lists.ts), never by a filter on a field.
import { Schema } from 'mongoose';
import type { TranscriberEngine } from '../speech/index.ts';
import { defineModel } from '../store/store.ts';

export const MEETING_STATUSES = [
  /** Known, nothing recorded yet. */
  'scheduled',
  /** A recording or captions arrived; waiting for a worker. */
  'queued',
  'transcribing',
  'summarizing',
  'ready',
  'failed',
] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export interface MeetingParticipant {
  email: string;
  name: string | null;
}

/** A count per kind of record, as a deletion certificate states it. */
export type DeletionCounts = Record<string, number>;

/** Recorded before anything is deleted, so a resumed deletion proves what the first run removed. */
export interface DeletionPlan {
  counts: DeletionCounts;
  startedAt: Date;
  certificateId?: string;
  audited?: boolean;
}

export interface MeetingDoc {
  _id: string;
  /** Stored sealed (MEETING_TITLES); opened by records/titles.ts for those shown it. */
  title: string;
  organizerId: string | null;
  organizerEmail: string;
  /** Everyone invited, the organizer included. */
  participants: MeetingParticipant[];
  /** Lower-cased e-mails of `participants`, for "my meetings". */
  participantEmails: string[];
  /** Digest of the sorted participant e-mails: earlier meetings of the same people share it. */
  attendeeKey: string;
  bookingId: string | null;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  /** BCP 47 tag of the spoken language, when the organizer said. */
  language: string | null;
  /** The invite's text (agenda topics): sealed, it is meeting content. */
  description?: string;
  status: MeetingStatus;
  failure: { reason: string; at: Date } | null;
  source: 'audio' | 'captions' | null;
  /** The source record's own id, for its deletion certificate. */
  sourceId: string | null;
  /** The transcription engine used (or chosen, once a recording arrived). */
  engine: TranscriberEngine | null;
  attempts: number;
  /** When the pipeline should next try this meeting's current step. */
  nextAttemptAt: Date | null;
  segmentCount: number | null;
  /**
   * Transcript chunks that may exist (`<meetingId>:0` … `:<chunkCount − 1>`): raised before a
   * chunk past it is written, so a deletion finds every chunk an interrupted attempt left.
   */
  chunkCount: number;
  /**
   * Segments per chunk (CHUNK_SIZE when absent): a transcript stored whole is cut into chunks of
   * WHOLE_CHUNK_SIZE; one captured live grows CHUNK_SIZE at a time.
   */
  chunkSize?: number | null;
  /** How many action items the summary found (null before it is summarized). */
  actionItemCount: number | null;
  /** The creation claims (`booking:…`, `key:…`) naming this meeting, deleted with it. */
  claimIds: string[];
  transcribedAt: Date | null;
  sourceDeletedAt: Date | null;
  sourceCertificateId: string | null;
  summarizedAt: Date | null;
  publishedAt: Date | null;
  /**
   * Retention counts from here: when the meeting's content arrived (its recording or captions
   * were received, its live capture started and then ended), whatever the meeting's dates say;
   * before any content, the later of its creation and its end (the invite text of a meeting
   * still to be held).
   */
  retainFrom: Date;
  /** Content deleted after the retention period (the record itself stays). */
  purge: DeletionPlan | null;
  purgedAt: Date | null;
  /** Set when someone deletes the meeting; from then on it is invisible and being removed. */
  deletion: (DeletionPlan & { by: string }) | null;
  createdAt: Date;
  updatedAt: Date;
}

const plan = { type: Schema.Types.Mixed, default: null };

export const Meeting = defineModel<MeetingDoc>(
  'Meeting',
  (() => {
    const schema = new Schema<MeetingDoc>(
      {
        _id: { type: String, required: true },
        title: { type: String, required: true },
        organizerId: { type: String, default: null },
        organizerEmail: { type: String, required: true },
        participants: [{ _id: false, email: String, name: { type: String, default: null } }],
        participantEmails: { type: [String], default: [] },
        attendeeKey: { type: String, required: true },
        bookingId: { type: String, default: null },
        startsAt: { type: Date, required: true },
        endsAt: { type: Date, required: true },
        timeZone: { type: String, required: true },
        language: { type: String, default: null },
        description: String,
        status: { type: String, enum: MEETING_STATUSES, required: true },
        failure: { type: Schema.Types.Mixed, default: null },
        source: { type: String, default: null },
        sourceId: { type: String, default: null },
        engine: { type: String, default: null },
        attempts: { type: Number, default: 0 },
        nextAttemptAt: { type: Date, default: null },
        segmentCount: { type: Number, default: null },
        chunkCount: { type: Number, default: 0 },
        chunkSize: { type: Number, default: undefined },
        actionItemCount: { type: Number, default: null },
        claimIds: { type: [String], default: [] },
        transcribedAt: { type: Date, default: null },
        sourceDeletedAt: { type: Date, default: null },
        sourceCertificateId: { type: String, default: null },
        summarizedAt: { type: Date, default: null },
        publishedAt: { type: Date, default: null },
        retainFrom: { type: Date, required: true },
        purge: plan,
        purgedAt: { type: Date, default: null },
        deletion: plan,
        createdAt: { type: Date, required: true },
        updatedAt: { type: Date, required: true },
      },
      { collection: 'meetings', versionKey: false, minimize: false },
    );
    return schema;
  })(),
);

/**
 * What a meeting was transcribed from, while it exists: an encrypted recording on disk, or the
 * captions a platform made (sealed). One per meeting (`_id` is the meeting id), so two uploads
 * cannot both be taken.
 *
 * Bounded by design: a source is deleted when transcription ends (done or failed), and the hourly
 * sweep deletes any older than 23 hours, so the collection holds at most one day's uploads. The
 * sweep reads it by `receivedAt` (core/meetings/retention/recordings.ts); everything else reads by `_id`.
 */
export interface SourceDoc {
  _id: string;
  /** Names this one recording or captions file (certificates are issued per source). */
  sourceId: string;
  kind: 'audio' | 'captions';
  /** Audio: the encrypted file's name in the tenant's recordings folder. */
  file: string | null;
  /** Audio: the file's own AES key, sealed with the meeting's data key. */
  fileKey: string | null;
  /** Audio: bytes received so far (final once `state` is "received"). */
  bytes: number;
  contentType: string | null;
  /** Captions: the sealed WebVTT text or Meet entries. */
  captions?: string;
  captionsFormat: 'webvtt' | 'meet-entries' | null;
  state: 'uploading' | 'received';
  receivedAt: Date;
  /**
   * Set once the source is deleted: the record then holds nothing of it (no file, key or
   * captions), only what its deletion certificate will say, until that certificate is issued
   * with others in a batch (retention/source-certificates.ts) and the record goes.
   */
  owed?: OwedCertificate;
}

/** A deletion certificate to issue for a source already deleted. */
export interface OwedCertificate {
  /** The certificate's id, told to the meeting at once (its `sourceCertificateId`). */
  certificateId: string;
  /** Why the transcript made from it is kept (the certificate's `kept`). */
  why: string;
  at: Date;
}

export const MeetingSource = defineModel<SourceDoc>(
  'MeetingSource',
  new Schema<SourceDoc>(
    {
      _id: { type: String, required: true },
      sourceId: { type: String, required: true },
      kind: { type: String, required: true },
      file: { type: String, default: null },
      fileKey: { type: String, default: null },
      bytes: { type: Number, default: 0 },
      contentType: { type: String, default: null },
      captions: String,
      captionsFormat: { type: String, default: null },
      state: { type: String, required: true },
      receivedAt: { type: Date, required: true },
      owed: {
        type: new Schema<OwedCertificate>(
          {
            certificateId: { type: String, required: true },
            why: { type: String, required: true },
            at: { type: Date, required: true },
          },
          { _id: false },
        ),
        default: undefined,
      },
    },
    { collection: 'meeting_sources', versionKey: false },
  ),
);

const sealedString = { type: String, required: true };

/** Transcript segments per chunk document, unless the meeting says otherwise (`chunkSize`). */
export const CHUNK_SIZE = 100;

/**
 * Segments per chunk of a transcript stored whole (a recording or captions, transcribed at once).
 * Each chunk costs a statement to write, read and delete, and the embedded database spends about
 * a millisecond on each besides the bytes: a 300-segment transcript is one chunk, not three.
 * Live capture appends as segments come, so it keeps CHUNK_SIZE.
 */
export const WHOLE_CHUNK_SIZE = 500;

/**
 * Up to the meeting's chunk size of consecutive transcript segments, `_id` `<meetingId>:<n>`:
 * segments `n × size` on. The segments are sealed together as one field, so a chunk is one string
 * to store and to decode, and its ciphertext is bound to this document.
 */
export interface StoredChunk {
  _id: string;
  meetingId: string;
  n: number;
  /** How many segments the chunk holds. */
  count: number;
  segments: string;
}

export const MeetingChunk = defineModel<StoredChunk>(
  'MeetingChunk',
  new Schema<StoredChunk>(
    {
      _id: { type: String, required: true },
      meetingId: { type: String, required: true },
      n: { type: Number, required: true },
      count: { type: Number, required: true },
      segments: sealedString,
    },
    { collection: 'meeting_chunks', versionKey: false },
  ),
);

export interface StoredSummary {
  _id: string;
  engine: string;
  summary: string;
  decisions: string;
  openQuestions: string;
  createdAt: Date;
}

export const MeetingSummary = defineModel<StoredSummary>(
  'MeetingSummary',
  new Schema<StoredSummary>(
    {
      _id: { type: String, required: true },
      engine: { type: String, required: true },
      summary: sealedString,
      decisions: sealedString,
      openQuestions: sealedString,
      createdAt: { type: Date, required: true },
    },
    { collection: 'meeting_summaries', versionKey: false },
  ),
);

/** What people may tick off an action item; its words are in the sealed `content`. */
export interface ActionItemState {
  index: number;
  sourceSegment: number;
  done: boolean;
  doneAt: Date | null;
}

/**
 * A meeting's action items, `_id` the meeting id: their words (task, owner, due, in order)
 * sealed together as `content`, and each item's state in plaintext, so ticking one off does not
 * touch the ciphertext.
 */
export interface StoredActionItems {
  _id: string;
  items: ActionItemState[];
  content: string;
}

export const MeetingActionItems = defineModel<StoredActionItems>(
  'MeetingActionItems',
  new Schema<StoredActionItems>(
    {
      _id: { type: String, required: true },
      items: [
        {
          _id: false,
          index: { type: Number, required: true },
          sourceSegment: { type: Number, required: true },
          done: { type: Boolean, default: false },
          doneAt: { type: Date, default: null },
        },
      ],
      content: sealedString,
    },
    { collection: 'meeting_actions', versionKey: false },
  ),
);

/**
 * One meeting per booking, and one per retried create: `booking:<id>` or `key:<user>:<key>`
 * names the meeting made for it. Inserting the claim is what makes creation happen once; the
 * claim goes when its meeting is deleted, so a deleted meeting can be made again, afresh.
 */
export interface ClaimDoc {
  _id: string;
  meetingId: string;
  createdAt: Date;
}

export const MeetingClaim = defineModel<ClaimDoc>(
  'MeetingClaim',
  new Schema<ClaimDoc>(
    {
      _id: { type: String, required: true },
      meetingId: { type: String, required: true },
      createdAt: { type: Date, required: true },
    },
    { collection: 'meeting_claims', versionKey: false },
  ),
);

/**
 * A retention purge's records, kept apart from the meeting so that a batch of purges writes by
 * inserting (the embedded database reads a whole collection for every update): the plan, under
 * the meeting id, written before anything is deleted; and `<meetingId>:done`, with the
 * certificate, once the deletion is certified and audited.
 */
export interface PurgeRecord {
  _id: string;
  kind: 'plan' | 'done';
  counts?: DeletionCounts;
  startedAt?: Date;
  certificateId?: string;
  at?: Date;
}

export const MeetingPurge = defineModel<PurgeRecord>(
  'MeetingPurge',
  new Schema<PurgeRecord>(
    {
      _id: { type: String, required: true },
      kind: { type: String, required: true },
      counts: { type: Schema.Types.Mixed },
      startedAt: Date,
      certificateId: String,
      at: Date,
    },
    { collection: 'meeting_purges', versionKey: false, minimize: false },
  ),
);

export function purgeDoneId(meetingId: string): string {
  return `${meetingId}:done`;
}
