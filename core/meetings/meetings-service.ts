// Meetings for people and programs: create one (or link it to a booking), hand it a recording
// or the captions a platform made, read what came out (decrypted only for those who may see
// it), search, get an agenda for the next one, and delete it with a certificate.
//
// Who may see a meeting: its organizer and participants, and API keys of the tenant holding
// meetings:read (checked by the adapter). Everyone else is told it does not exist.
import { createHash, createSecretKey, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Model } from 'mongoose';
import { IANAZone } from 'luxon';
import type { AgendaItem, OpenActionItem } from '../ai/index.ts';
import { randomId } from '../identity/ids.ts';
import { User } from '../identity/models.ts';
import { getUserSettings } from '../identity/user-settings.ts';
import { isDuplicateKeyError } from '../privacy/duplicate-key.ts';
import { DecryptionFailedError } from '../privacy/errors.ts';
import { Booking } from '../scheduling/booking/booking-model.ts';
import { deleteByIds, findByIds } from '../store/by-id.ts';
import { serialized } from '../store/serial.ts';
import {
  TranscriptionError,
  type TranscriberEngine,
  type TranscriptionSource,
} from '../speech/index.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import { MeetingError, meetingNotFound } from './errors.ts';
import { isMeetingId, newMeetingId } from './ids.ts';
import type { MeetingsKit } from './kit.ts';
import type { MeetingSettings } from './settings.ts';
import type { MeetingDoc, MeetingParticipant, MeetingStatus, SourceDoc } from './models.ts';
import { readActionItems, setActionItemDone } from './action-items.ts';
import { CURRENT, DUE } from './lists.ts';
import { listNewMeeting } from './listing.ts';
import { chunkIdsOf, readTranscript } from './transcript-store.ts';
import { PROCESS_MEETING } from './job-names.ts';
import { RECORDING_SUFFIX, RecordingTooLargeError } from './recording-files.ts';
import { removeMeeting } from './removal.ts';
import { purgeCertificateId } from '../privacy/retention.ts';
import { normalizedTerms } from './search/search-index.ts';
import type { SegmentContent } from './sealed-content.ts';

export type MeetingActor =
  | { kind: 'user'; userId: string; email: string; name: string }
  | { kind: 'api-key'; keyId: string };

export function actorName(actor: MeetingActor): string {
  return actor.kind === 'user' ? `user:${actor.userId}` : `api-key:${actor.keyId}`;
}

export interface CreateMeetingInput {
  /** Take title, times and attendees from this booking; one meeting per booking. */
  bookingId?: string;
  title?: string;
  startsAt?: Date;
  endsAt?: Date;
  /** IANA zone the meeting is held in; default the organizer's. */
  timeZone?: string;
  participants?: Array<{ email: string; name?: string }>;
  /** The invite's text; its listed topics open the agenda. Stored encrypted. */
  description?: string;
  /** BCP 47 tag of the spoken language, e.g. en-US. */
  language?: string;
  /** The same key from the same caller creates one meeting, however often it is sent. */
  idempotencyKey?: string;
  /** For API keys: the member of the tenant who organizes it. */
  organizerEmail?: string;
}

export type CaptionsInput =
  | { format: 'webvtt'; text: string }
  | { format: 'meet-entries'; entries: unknown; participants?: unknown; conferenceStart?: string };

/** What the captions transcriber reads for captions given to (or stored for) a meeting. */
export function captionsSource(input: CaptionsInput): TranscriptionSource {
  return input.format === 'webvtt'
    ? { kind: 'webvtt', text: input.text }
    : {
        kind: 'meet-entries',
        entries: input.entries,
        ...(input.participants === undefined ? {} : { participants: input.participants }),
        ...(input.conferenceStart === undefined ? {} : { conferenceStart: input.conferenceStart }),
      };
}

export interface MeetingListItem {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  status: MeetingStatus;
  bookingId: string | null;
  organizerEmail: string;
}

export interface MeetingView extends MeetingListItem {
  timeZone: string;
  language: string | null;
  participants: MeetingParticipant[];
  description: string | null;
  failure: { reason: string; at: string } | null;
  source: 'audio' | 'captions' | null;
  engine: string | null;
  transcript: SegmentContent[];
  summary: {
    summary: string[];
    decisions: string[];
    openQuestions: string[];
    engine: string;
  } | null;
  actionItems: Array<{
    index: number;
    task: string;
    owner: string | null;
    due: string | null;
    done: boolean;
  }>;
  recording: { deletedAt: string; certificateId: string | null } | null;
  retention: { keptUntil: string; purgedAt: string | null; certificateId: string | null };
}

export interface SearchHit {
  meetingId: string;
  title: string;
  startsAt: string;
  /** Where the words were said (up to three places). */
  snippets: Array<{ speaker: string; startMs: number; text: string }>;
}

const CLAIM_WAIT_MS = 2_000;
const STALE_CLAIM_MS = 60_000;
const AGENDA_HISTORY = 10;
const SEARCH_RESULTS = 20;

function canSee(meeting: MeetingDoc, actor: MeetingActor): boolean {
  if (actor.kind === 'api-key') return true;
  return (
    meeting.organizerId === actor.userId ||
    meeting.participantEmails.includes(actor.email.toLowerCase())
  );
}

function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function listItem(m: MeetingDoc): MeetingListItem {
  return {
    id: m._id,
    title: m.title,
    startsAt: m.startsAt.toISOString(),
    endsAt: m.endsAt.toISOString(),
    status: m.status,
    bookingId: m.bookingId,
    organizerEmail: m.organizerEmail,
  };
}

/** Everyone invited, organizer first, each e-mail once. */
function participantList(
  organizer: MeetingParticipant,
  others: ReadonlyArray<{ email: string; name?: string | null }>,
): MeetingParticipant[] {
  const seen = new Map<string, MeetingParticipant>();
  for (const p of [organizer, ...others]) {
    const email = p.email.trim().toLowerCase();
    if (!seen.has(email)) seen.set(email, { email, name: p.name?.trim() || null });
  }
  return [...seen.values()];
}

export function attendeeKeyOf(participantEmails: readonly string[]): string {
  return createHash('sha256')
    .update([...participantEmails].sort().join('\n'))
    .digest('base64url')
    .slice(0, 32);
}

/** Decryption problems become "unreadable": shown to nobody, explained to everybody. */
async function readable<T>(what: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (!(error instanceof DecryptionFailedError)) throw error;
    const why =
      error.reason === 'not-authentic' || error.reason === 'malformed'
        ? 'it failed its integrity check (it was altered or damaged)'
        : 'its key is gone or unavailable';
    throw new MeetingError('unreadable', `The ${what} of this meeting cannot be shown: ${why}.`, {
      cause: error,
    });
  }
}

export function createMeetingsService(kit: MeetingsKit) {
  const { store } = kit.deps;

  async function load(ctx: TenantContext, id: string): Promise<MeetingDoc | null> {
    if (!isMeetingId(id)) return null;
    const { Meetings } = await kit.models(ctx);
    const meeting = await Meetings.findById(id).lean();
    return meeting && !meeting.deletion ? meeting : null;
  }

  async function visible(ctx: TenantContext, actor: MeetingActor, id: string) {
    const meeting = await load(ctx, id);
    if (!meeting || !canSee(meeting, actor)) throw meetingNotFound();
    return meeting;
  }

  /** Takes `claimId` for a new meeting, or returns the meeting that already holds it. */
  async function claimOrExisting(
    ctx: TenantContext,
    claimId: string,
    meetingId: string,
  ): Promise<MeetingDoc | null> {
    const { Claims, Meetings } = await kit.models(ctx);
    const deadline = Date.now() + CLAIM_WAIT_MS;
    for (;;) {
      try {
        await Claims.create({ _id: claimId, meetingId, createdAt: kit.now() });
        return null;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const claim = await Claims.findById(claimId).lean();
      if (!claim) continue;
      const holder = await Meetings.findById(claim.meetingId).lean();
      if (holder && !holder.deletion) return holder;
      // Its creator died between claim and record: give the claim up after a while.
      if (!holder && claim.createdAt.getTime() < kit.now().getTime() - STALE_CLAIM_MS) {
        await Claims.deleteOne({ _id: claimId });
        continue;
      }
      if (Date.now() > deadline) {
        throw new MeetingError('conflict', 'That meeting is being created or deleted; try again.');
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function organizerFor(ctx: TenantContext, actor: MeetingActor, email?: string) {
    if (actor.kind === 'user' && (email === undefined || sameEmail(email, actor.email))) {
      return { id: actor.userId, email: actor.email, name: actor.name };
    }
    if (email === undefined) {
      throw new MeetingError('invalid', 'organizerEmail: say which member organizes the meeting.');
    }
    if (actor.kind === 'user') {
      throw new MeetingError(
        'invalid',
        'organizerEmail: you can only create meetings you organize.',
      );
    }
    const user = await store
      .controlModel(User)
      .findOne({ tenantId: ctx.tenantId, email: email.toLowerCase(), deletedAt: null })
      .lean();
    if (!user) {
      throw new MeetingError(
        'invalid',
        `organizerEmail: ${email} is not a member of this organization.`,
      );
    }
    return { id: user._id, email: user.email, name: user.name };
  }

  async function fromBooking(ctx: TenantContext, actor: MeetingActor, bookingId: string) {
    const Bookings = await store.tenantModel(ctx, Booking);
    const booking = await Bookings.findById(bookingId).lean();
    const mine =
      booking !== null &&
      (actor.kind === 'api-key' ||
        booking.organizerId === actor.userId ||
        booking.attendees.some((a) => sameEmail(a.email, actor.email)));
    if (!booking || !mine) throw new MeetingError('not-found', 'That booking was not found.');
    if (booking.status === 'cancelled') {
      throw new MeetingError(
        'conflict',
        'That booking was cancelled; it has no meeting to record.',
      );
    }
    const organizer = await store.controlModel(User).findById(booking.organizerId).lean();
    return {
      booking,
      organizer: {
        id: booking.organizerId,
        email: booking.organizerEmail,
        name: organizer?.name ?? null,
      },
    };
  }

  function checkTimes(startsAt: Date, endsAt: Date, timeZone: string): void {
    if (!(endsAt > startsAt)) throw new MeetingError('invalid', 'endsAt: must be after startsAt.');
    if (!IANAZone.isValidZone(timeZone)) {
      throw new MeetingError('invalid', `timeZone: "${timeZone}" is not an IANA time zone.`);
    }
  }

  /** The meeting takes a new source: what an earlier one left is reset. */
  async function takeSource(
    Meetings: Model<MeetingDoc>,
    id: string,
    taken: Pick<MeetingDoc, 'status' | 'source' | 'sourceId' | 'engine' | 'nextAttemptAt'>,
  ): Promise<void> {
    await Meetings.updateOne(
      { _id: id },
      {
        $set: {
          ...taken,
          attempts: 0,
          failure: null,
          transcribedAt: null,
          segmentCount: null,
          sourceDeletedAt: null,
          sourceCertificateId: null,
          updatedAt: kit.now(),
        },
      },
    );
  }

  async function queueMeeting(
    ctx: TenantContext,
    meetingId: string,
    source: { kind: 'audio' | 'captions'; sourceId: string },
    engine: MeetingDoc['engine'],
  ): Promise<void> {
    const { Meetings, lists } = await kit.models(ctx);
    // Listed before it is due, so the pipeline's sweep finds it whatever happens next.
    await lists.addDue(DUE.pipeline, CURRENT, [meetingId]);
    await takeSource(Meetings, meetingId, {
      status: 'queued',
      source: source.kind,
      sourceId: source.sourceId,
      engine,
      nextAttemptAt: kit.now(),
    });
    await kit.deps.queue.now(PROCESS_MEETING, { tenantId: ctx.tenantId, meetingId });
  }

  function mayTakeSource(meeting: MeetingDoc): void {
    if (meeting.purgedAt) {
      throw new MeetingError(
        'conflict',
        "This meeting's content was deleted after the retention period; it takes no new recording.",
      );
    }
    const retry = meeting.status === 'failed' && meeting.transcribedAt === null;
    if (meeting.status !== 'scheduled' && !retry) {
      throw new MeetingError(
        'conflict',
        `This meeting already has a recording or captions (it is ${meeting.status}); ` +
          'delete it and create a new one to start over.',
      );
    }
  }

  async function insertSource(ctx: TenantContext, doc: SourceDoc): Promise<void> {
    const { Sources } = await kit.models(ctx);
    try {
      await Sources.create(doc);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      throw new MeetingError(
        'conflict',
        'A recording or captions for this meeting are already being received.',
      );
    }
  }

  function openTranscript(ctx: TenantContext, meeting: MeetingDoc) {
    return readable('transcript', () => readTranscript(kit, ctx, meeting));
  }

  function openActionItems(ctx: TenantContext, meetingId: string) {
    return readable('action items', () => readActionItems(kit, ctx, meetingId));
  }

  /**
   * Meetings from these timelines started before `before`, newest first, up to `limit` of
   * those `accept` keeps: the timelines give ids, the records are read by id.
   */
  async function fromTimelines(
    ctx: TenantContext,
    owners: readonly string[],
    before: Date | undefined,
    limit: number,
    accept: (meeting: MeetingDoc) => boolean,
  ): Promise<MeetingDoc[]> {
    const { Meetings, lists } = await kit.models(ctx);
    for (let enough = limit; ; enough *= 2) {
      const ids = await lists.newest(owners, before, enough);
      const kept: MeetingDoc[] = [];
      // Read in pages of the limit: most pages are all kept.
      for (let i = 0; i < ids.length && kept.length < limit; i += limit) {
        const page = await findByIds(Meetings, ids.slice(i, i + limit), { description: 0 });
        kept.push(
          ...page.filter((m) => !m.deletion && (!before || m.startsAt < before) && accept(m)),
        );
      }
      if (kept.length >= limit || ids.length < enough) {
        return kept.sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime()).slice(0, limit);
      }
    }
  }

  async function openDescription(ctx: TenantContext, meeting: MeetingDoc) {
    if (meeting.description === undefined) return null;
    const opened = await readable('invite description', () =>
      kit.sealed.descriptions.open(ctx, { _id: meeting._id, description: meeting.description }),
    );
    return opened.description ?? null;
  }

  return {
    /** Engines that can transcribe a recording here: what the tenant setting may choose. */
    recordingEngines(): string[] {
      return kit.deps.transcribers.filter((t) => t.accepts.has('audio-file')).map((t) => t.engine);
    },

    /** For watchers of live audio: refuses (not found) anyone who may not see the meeting. */
    async mayWatch(
      ctx: TenantContext,
      actor: MeetingActor,
      id: string,
    ): Promise<{ status: MeetingStatus; segmentCount: number | null }> {
      const meeting = await visible(ctx, actor, id);
      return { status: meeting.status, segmentCount: meeting.segmentCount };
    },

    /**
     * Takes live audio as the meeting's source: the meeting must take a source now (as for an
     * upload), and is marked transcribing with no retry due, so the pipeline's sweep leaves it
     * to the capture.
     */
    async takeLiveAudio(
      ctx: TenantContext,
      actor: MeetingActor,
      id: string,
      engine: TranscriberEngine,
    ): Promise<{ language: string | null; endsAt: Date; retainFrom: Date }> {
      const { Meetings, Chunks } = await kit.models(ctx);
      // Read, check and write in order with any other taking of this meeting here (a
      // meeting's live audio is routed to one node, see live.ts).
      const meeting = await serialized(`${Meetings.db.name}/meetings/${id}`, async () => {
        const current = await visible(ctx, actor, id);
        mayTakeSource(current);
        // Transcribing, with no retry due: the capture drives it.
        await takeSource(Meetings, id, {
          status: 'transcribing',
          source: 'audio',
          sourceId: randomId(12),
          engine,
          nextAttemptAt: null,
        });
        return current;
      });
      // Chunks of an earlier, failed capture.
      await deleteByIds(Chunks, chunkIdsOf(meeting));
      return { language: meeting.language, endsAt: meeting.endsAt, retainFrom: meeting.retainFrom };
    },

    /** What a tenant that chose nothing gets here: the best engines configured. */
    settingsDefaults(): MeetingSettings {
      return { ...kit.defaults };
    },

    summaryEngines(): string[] {
      return [kit.deps.summarizer, ...(kit.deps.summarizers ?? [])].map((s) => s.engine);
    },

    async create(
      ctx: TenantContext,
      actor: MeetingActor,
      input: CreateMeetingInput,
    ): Promise<{ meeting: MeetingListItem; created: boolean }> {
      const now = kit.now();
      let organizer: { id: string | null; email: string; name: string | null };
      let others: Array<{ email: string; name?: string | null }>;
      let title: string;
      let startsAt: Date;
      let endsAt: Date;
      let timeZone: string;
      let bookingId: string | null = null;
      let claimId: string | null = null;
      if (input.bookingId !== undefined) {
        const { booking, organizer: bookingOrganizer } = await fromBooking(
          ctx,
          actor,
          input.bookingId,
        );
        organizer = bookingOrganizer;
        others = [...booking.attendees, ...(input.participants ?? [])];
        title = input.title ?? booking.title;
        startsAt = booking.start;
        endsAt = booking.end;
        timeZone = booking.timeZone;
        bookingId = booking._id;
        claimId = `booking:${booking._id}`;
      } else {
        if (!input.title || !input.startsAt || !input.endsAt) {
          throw new MeetingError(
            'invalid',
            'Give either bookingId, or title, startsAt and endsAt for a meeting without a booking.',
          );
        }
        organizer = await organizerFor(ctx, actor, input.organizerEmail);
        others = input.participants ?? [];
        title = input.title;
        startsAt = input.startsAt;
        endsAt = input.endsAt;
        timeZone =
          input.timeZone ?? (await getUserSettings(store, ctx, organizer.id ?? '')).timeZone;
        if (input.idempotencyKey) {
          claimId = `key:${actorName(actor)}:${input.idempotencyKey}`;
        }
      }
      checkTimes(startsAt, endsAt, timeZone);
      const participants = participantList(
        { email: organizer.email, name: organizer.name },
        others,
      );
      const participantEmails = participants.map((p) => p.email);

      const id = newMeetingId();
      if (claimId !== null) {
        const existing = await claimOrExisting(ctx, claimId, id);
        if (existing) {
          if (!canSee(existing, actor)) throw meetingNotFound();
          return { meeting: listItem(existing), created: false };
        }
      }
      const description =
        input.description === undefined
          ? undefined
          : (await kit.sealed.descriptions.seal(ctx, { _id: id, description: input.description }))
              .description;
      const doc: MeetingDoc = {
        _id: id,
        title,
        organizerId: organizer.id,
        organizerEmail: organizer.email.toLowerCase(),
        participants,
        participantEmails,
        attendeeKey: attendeeKeyOf(participantEmails),
        bookingId,
        startsAt,
        endsAt,
        timeZone,
        language: input.language ?? null,
        ...(description === undefined ? {} : { description }),
        status: 'scheduled',
        failure: null,
        source: null,
        sourceId: null,
        engine: null,
        attempts: 0,
        nextAttemptAt: null,
        segmentCount: null,
        chunkCount: 0,
        actionItemCount: null,
        claimIds: claimId === null ? [] : [claimId],
        transcribedAt: null,
        sourceDeletedAt: null,
        sourceCertificateId: null,
        summarizedAt: null,
        publishedAt: null,
        retainFrom: endsAt > now ? endsAt : now,
        purge: null,
        purgedAt: null,
        deletion: null,
        createdAt: now,
        updatedAt: now,
      };
      const { Meetings, lists } = await kit.models(ctx);
      // Lists first: an entry whose record never came is skipped by every reader.
      await listNewMeeting(lists, doc);
      await Meetings.create(doc);
      return { meeting: listItem(doc), created: true };
    },

    /** The meetings a person organizes or is invited to, newest first. */
    async listMine(
      ctx: TenantContext,
      person: { userId: string; email: string },
      options: { limit?: number; before?: Date } = {},
    ): Promise<MeetingListItem[]> {
      const email = person.email.toLowerCase();
      const found = await fromTimelines(
        ctx,
        [`u:${person.userId}`, `e:${email}`],
        options.before,
        options.limit ?? 50,
        (m) => m.organizerId === person.userId || m.participantEmails.includes(email),
      );
      return found.map(listItem);
    },

    /**
     * The latest meeting before `before` with exactly these participants (the organizer
     * included), that this person may see: what an invite with the same people follows on from.
     */
    async previousWith(
      ctx: TenantContext,
      actor: MeetingActor,
      participantEmails: readonly string[],
      before: Date,
    ): Promise<MeetingView | null> {
      const emails = [...new Set(participantEmails.map((e) => e.trim().toLowerCase()))];
      const attendeeKey = attendeeKeyOf(emails);
      const candidates = await fromTimelines(
        ctx,
        [`a:${attendeeKey}`],
        before,
        AGENDA_HISTORY,
        (m) => m.attendeeKey === attendeeKey,
      );
      const found = candidates.find((m) => canSee(m, actor));
      return found ? this.get(ctx, actor, found._id) : null;
    },

    async get(ctx: TenantContext, actor: MeetingActor, id: string): Promise<MeetingView> {
      const meeting = await visible(ctx, actor, id);
      const { Summaries } = await kit.models(ctx);
      // Purged content is gone: nothing to read.
      const content = meeting.purgedAt === null;
      const [transcript, actionItems, storedSummary, description, settings] = await Promise.all([
        // Segments of an attempt still running (or cut short) are not the transcript yet.
        content && meeting.transcribedAt !== null ? openTranscript(ctx, meeting) : [],
        content ? openActionItems(ctx, id) : [],
        content ? Summaries.findById(id).lean() : null,
        openDescription(ctx, meeting),
        kit.settings(ctx),
      ]);
      const summary = storedSummary
        ? await readable('summary', () => kit.sealed.summaries.open(ctx, storedSummary))
        : null;
      const keptUntil = new Date(
        meeting.retainFrom.getTime() + settings.retentionDays * 86_400_000,
      );
      return {
        ...listItem(meeting),
        timeZone: meeting.timeZone,
        language: meeting.language,
        participants: meeting.participants,
        description,
        failure: meeting.failure
          ? { reason: meeting.failure.reason, at: meeting.failure.at.toISOString() }
          : null,
        source: meeting.source,
        engine: meeting.engine,
        transcript: transcript.map(({ index, speaker, startMs, endMs, text, confidence }) => ({
          index,
          speaker,
          startMs,
          endMs,
          text,
          confidence,
        })),
        summary: summary
          ? {
              summary: summary.summary,
              decisions: summary.decisions,
              openQuestions: summary.openQuestions,
              engine: summary.engine,
            }
          : null,
        actionItems: actionItems.map(({ index, task, owner, due, done }) => ({
          index,
          task,
          owner,
          due,
          done,
        })),
        recording: meeting.sourceDeletedAt
          ? {
              deletedAt: meeting.sourceDeletedAt.toISOString(),
              certificateId: meeting.sourceCertificateId,
            }
          : null,
        retention: {
          keptUntil: keptUntil.toISOString(),
          purgedAt: meeting.purgedAt?.toISOString() ?? null,
          certificateId: await purgeCertificateId(kit, ctx, meeting),
        },
      };
    },

    /** Validates captions now (a bad file is refused at once), transcribes them in a job. */
    async addCaptions(
      ctx: TenantContext,
      actor: MeetingActor,
      id: string,
      input: CaptionsInput,
    ): Promise<{ status: MeetingStatus; cues: number }> {
      const meeting = await visible(ctx, actor, id);
      mayTakeSource(meeting);
      const captions = kit.transcriber('captions');
      if (!captions) throw new MeetingError('invalid', 'This deployment cannot read captions.');
      const source = captionsSource(input);
      let cues: number;
      try {
        cues = (await captions.transcribe(source)).length;
      } catch (error) {
        if (error instanceof TranscriptionError) {
          throw new MeetingError('invalid', error.message, { cause: error });
        }
        throw error;
      }
      if (cues === 0) {
        throw new MeetingError(
          'invalid',
          'The captions hold no spoken text; nothing to transcribe.',
        );
      }
      const sealed = await kit.sealed.captions.seal(ctx, { _id: id, captions: input });
      const sourceId = randomId(12);
      await insertSource(ctx, {
        _id: id,
        sourceId,
        kind: 'captions',
        file: null,
        fileKey: null,
        bytes: 0,
        contentType: null,
        captions: sealed.captions,
        captionsFormat: input.format,
        state: 'received',
        receivedAt: kit.now(),
      });
      await queueMeeting(ctx, id, { kind: 'captions', sourceId }, 'captions');
      return { status: 'queued', cues };
    },

    /**
     * Streams a recording into an encrypted file (never whole in memory). Refuses it before
     * reading when its declared size is over the tenant's limit, and stops reading the moment
     * it grows past it (RecordingTooLargeError either way; nothing is kept).
     */
    async addRecording(
      ctx: TenantContext,
      actor: MeetingActor,
      id: string,
      body: Readable,
      info: { contentType: string | null; declaredBytes?: number },
    ): Promise<{ status: MeetingStatus; bytes: number; engine: string }> {
      const meeting = await visible(ctx, actor, id);
      mayTakeSource(meeting);
      const settings = await kit.settings(ctx);
      const engine = settings.transcriptionEngine;
      const transcriber = kit.transcriber(engine);
      if (!transcriber?.accepts.has('audio-file')) {
        throw new MeetingError(
          'invalid',
          `Your organization transcribes with ${engine}, which this deployment does not have; ` +
            'an administrator can choose another engine in the settings.',
        );
      }
      const limit = settings.recordingLimitMb * 1024 * 1024;
      if (info.declaredBytes !== undefined && info.declaredBytes > limit) {
        throw new RecordingTooLargeError(limit);
      }
      const sourceId = randomId(12);
      const file = `${id}.${sourceId}${RECORDING_SUFFIX}`;
      const fileKey = randomBytes(32);
      try {
        // Fail-closed: without the meeting key the upload is refused before a byte is stored.
        const { fileKey: sealedKey } = await kit.sealed.audioKeys.seal(ctx, {
          _id: id,
          fileKey: fileKey.toString('base64'),
        });
        await insertSource(ctx, {
          _id: id,
          sourceId,
          kind: 'audio',
          file,
          fileKey: sealedKey,
          bytes: 0,
          contentType: info.contentType,
          captionsFormat: null,
          state: 'uploading',
          receivedAt: kit.now(),
        });
        const { Sources } = await kit.models(ctx);
        let bytes: number;
        try {
          bytes = await kit.files.write(
            body,
            { tenantId: ctx.tenantId, file },
            createSecretKey(fileKey),
            limit,
          );
          if (bytes === 0) throw new MeetingError('invalid', 'The recording is empty.');
        } catch (error) {
          await kit.files.remove(ctx.tenantId, file);
          await Sources.deleteOne({ _id: id });
          throw error;
        }
        await Sources.updateOne({ _id: id }, { $set: { state: 'received', bytes } });
        await queueMeeting(ctx, id, { kind: 'audio', sourceId }, engine);
        return { status: 'queued', bytes, engine };
      } finally {
        fileKey.fill(0);
      }
    },

    /** Organizer (or an API key) only. Resolves to the deletion certificate's id. */
    async delete(ctx: TenantContext, actor: MeetingActor, id: string): Promise<string> {
      if (!isMeetingId(id)) throw meetingNotFound();
      const { Meetings } = await kit.models(ctx);
      // A deletion that was cut short is visible to its organizer, so it can be finished.
      const meeting = await Meetings.findById(id).lean();
      if (!meeting || !canSee(meeting, actor)) throw meetingNotFound();
      if (actor.kind === 'user' && meeting.organizerId !== actor.userId) {
        throw new MeetingError('forbidden', 'Only the organizer can delete this meeting.');
      }
      return removeMeeting(kit, ctx, meeting, actorName(actor));
    },

    async setActionItemDone(
      ctx: TenantContext,
      actor: MeetingActor,
      id: string,
      index: number,
      done: boolean,
    ): Promise<void> {
      await visible(ctx, actor, id);
      if (!(await setActionItemDone(kit, ctx, id, index, done))) {
        throw new MeetingError('not-found', `This meeting has no action item ${index}.`);
      }
    },

    /**
     * An agenda from the meeting's invite and the open action items of the earlier meetings of
     * the same people (the same set of participants).
     */
    async agenda(
      ctx: TenantContext,
      actor: MeetingActor,
      id: string,
    ): Promise<{ agenda: AgendaItem[]; fromMeetings: string[] }> {
      const meeting = await visible(ctx, actor, id);
      const earlier = await fromTimelines(
        ctx,
        [`a:${meeting.attendeeKey}`],
        meeting.startsAt,
        AGENDA_HISTORY,
        (m) => m.attendeeKey === meeting.attendeeKey && m.summarizedAt !== null && !m.purgedAt,
      );
      // Newest meeting first, as found; each meeting's items in order.
      const perMeeting = await Promise.all(earlier.map((m) => openActionItems(ctx, m._id)));
      const items = perMeeting.flat().filter((item) => !item.done);
      const open: OpenActionItem[] = items.map(({ task, owner, due }) => ({ task, owner, due }));
      const fromMeetings = [...new Set(items.map((item) => item.meetingId))];
      const agenda = await kit.deps.summarizer.agendaFor(
        {
          title: meeting.title,
          ...(meeting.description === undefined
            ? {}
            : { description: (await openDescription(ctx, meeting)) ?? '' }),
          attendees: meeting.participants.map((p) => ({
            name: p.name ?? p.email,
            email: p.email,
          })),
        },
        open,
      );
      return { agenda, fromMeetings };
    },

    /**
     * Meetings of this person holding every word of `query`, through the blind index; only the
     * meetings found are decrypted, to show where the words were said.
     */
    async search(
      ctx: TenantContext,
      person: { userId: string; email: string },
      query: string,
    ): Promise<{ terms: string[]; results: SearchHit[] }> {
      const terms = normalizedTerms(query);
      if (terms.length === 0) {
        throw new MeetingError(
          'invalid',
          'q: give at least one word to search for (common words such as "the" are not indexed).',
        );
      }
      const { Meetings } = await kit.models(ctx);
      const email = person.email.toLowerCase();
      const mine = new Map<string, MeetingDoc>();
      // The index walks months newest first and stops once enough of this person's meetings
      // were kept; only the candidates' records are read, by id.
      const ids = await kit.search.find(ctx, terms, {
        limit: SEARCH_RESULTS,
        keep: async (candidates) => {
          const kept = (await findByIds(Meetings, candidates, { description: 0 })).filter(
            (m) =>
              (m.organizerId === person.userId || m.participantEmails.includes(email)) &&
              !m.deletion &&
              !m.purgedAt,
          );
          for (const m of kept) mine.set(m._id, m);
          return kept.map((m) => m._id);
        },
      });
      const meetings = ids
        .flatMap((id) => (mine.has(id) ? [mine.get(id)!] : []))
        .sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime())
        .slice(0, SEARCH_RESULTS);
      // The transcripts of the meetings found, read by chunk ids; decrypted only as far as needed.
      const transcripts = await Promise.all(meetings.map((m) => openTranscript(ctx, m)));
      const results: SearchHit[] = [];
      for (const [position, meeting] of meetings.entries()) {
        const snippets: SearchHit['snippets'] = [];
        for (const segment of transcripts[position]!) {
          if (snippets.length >= 3) break;
          const words = new Set(normalizedTerms(segment.text));
          if (terms.some((t) => words.has(t))) {
            snippets.push({
              speaker: segment.speaker,
              startMs: segment.startMs,
              text: segment.text,
            });
          }
        }
        results.push({
          meetingId: meeting._id,
          title: meeting.title,
          startsAt: meeting.startsAt.toISOString(),
          snippets,
        });
      }
      return { terms, results };
    },
  };
}

export type MeetingsService = ReturnType<typeof createMeetingsService>;
