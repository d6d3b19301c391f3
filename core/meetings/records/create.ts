// Creating a meeting: from a booking (one meeting per booking) or from a title and times (one
// per idempotency key), listed on its people's timelines before its record is written.
import { IANAZone } from 'luxon';
import { getUserSettings } from '../../identity/user-settings.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { MeetingError, meetingNotFound } from '../errors.ts';
import { newMeetingId } from '../ids.ts';
import type { MeetingsKit } from '../kit.ts';
import { listNewMeeting } from '../listing.ts';
import type { MeetingDoc, MeetingParticipant } from '../models.ts';
import { actorName, canSee, type MeetingActor } from './access.ts';
import { claimOrExisting } from './claims.ts';
import { fromBooking, organizerFor, type Organizer } from './organizers.ts';
import { attendeeKeyOf, participantList } from './participants.ts';
import { openTitle } from './titles.ts';
import { listItem, type MeetingListItem } from './views.ts';

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
  /**
   * The meeting already took place: it is made to upload its recording or captions (the web
   * app's "Add a meeting recording"). Its start must then not be in the future.
   */
  alreadyHappened?: boolean;
}

/** What the new meeting is, from its booking or from the input, before it is checked. */
interface Planned {
  organizer: Organizer;
  others: Array<{ email: string; name?: string | null }>;
  title: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  bookingId: string | null;
  claimId: string | null;
}

async function planned(
  kit: MeetingsKit,
  ctx: TenantContext,
  actor: MeetingActor,
  input: CreateMeetingInput,
): Promise<Planned> {
  if (input.bookingId !== undefined) {
    const { booking, organizer } = await fromBooking(kit, ctx, actor, input.bookingId);
    return {
      organizer,
      others: [...booking.attendees, ...(input.participants ?? [])],
      title: input.title ?? booking.title,
      startsAt: booking.start,
      endsAt: booking.end,
      timeZone: booking.timeZone,
      bookingId: booking._id,
      claimId: `booking:${booking._id}`,
    };
  }
  if (!input.title || !input.startsAt || !input.endsAt) {
    throw new MeetingError(
      'invalid',
      'Give either bookingId, or title, startsAt and endsAt for a meeting without a booking.',
    );
  }
  const organizer = await organizerFor(kit, ctx, actor, input.organizerEmail);
  return {
    organizer,
    others: input.participants ?? [],
    title: input.title,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    timeZone:
      input.timeZone ?? (await getUserSettings(kit.deps.store, ctx, organizer.id ?? '')).timeZone,
    bookingId: null,
    claimId: input.idempotencyKey ? `key:${actorName(actor)}:${input.idempotencyKey}` : null,
  };
}

function checkTimes(startsAt: Date, endsAt: Date, timeZone: string): void {
  if (!(endsAt > startsAt)) throw new MeetingError('invalid', 'endsAt: must be after startsAt.');
  if (!IANAZone.isValidZone(timeZone)) {
    throw new MeetingError('invalid', `timeZone: "${timeZone}" is not an IANA time zone.`);
  }
}

/** Clocks differ, and a recording may be added the moment its meeting began. */
export const START_GRACE_MS = 5 * 60_000;

/**
 * A meeting that already took place cannot start in the future. Without this, a recording that
 * "started" next March was accepted: its summary filed months ahead on every timeline, its
 * retention counted from then. Zoom and Teams only offer a recording after its meeting began.
 * Only when the caller says so: meetings are also created ahead of time (from a booking, by the
 * Zoom panel, through the API to prepare an agenda), and those may of course lie ahead.
 */
function checkHappened(startsAt: Date, now: Date): void {
  if (startsAt.getTime() <= now.getTime() + START_GRACE_MS) return;
  throw new MeetingError(
    'invalid',
    'startsAt: A recording is of a meeting that already took place, but this start is in the ' +
      'future. Choose the time the meeting actually started.',
  );
}

export async function createMeeting(
  kit: MeetingsKit,
  ctx: TenantContext,
  actor: MeetingActor,
  input: CreateMeetingInput,
): Promise<{ meeting: MeetingListItem; created: boolean }> {
  const now = kit.now();
  const plan = await planned(kit, ctx, actor, input);
  checkTimes(plan.startsAt, plan.endsAt, plan.timeZone);
  if (input.alreadyHappened) checkHappened(plan.startsAt, now);
  const participants = participantList(
    { email: plan.organizer.email, name: plan.organizer.name },
    plan.others,
  );

  const id = newMeetingId();
  if (plan.claimId !== null) {
    const existing = await claimOrExisting(kit, ctx, plan.claimId, id);
    if (existing) {
      if (!canSee(existing, actor)) throw meetingNotFound();
      return { meeting: listItem(await openTitle(kit, ctx, existing)), created: false };
    }
  }
  const description =
    input.description === undefined
      ? undefined
      : (await kit.sealed.descriptions.seal(ctx, { _id: id, description: input.description }))
          .description;
  const doc = newMeetingDoc(id, plan, participants, now, {
    language: input.language ?? null,
    ...(description === undefined ? {} : { description }),
  });
  // Sealed before anything is written: a title that cannot be sealed leaves nothing behind.
  const stored = await kit.titles.seal(ctx, doc);
  const { Meetings, lists } = await kit.models(ctx);
  // Lists first: an entry whose record never came is skipped by every reader.
  await listNewMeeting(lists, doc);
  await Meetings.create(stored);
  return { meeting: listItem(doc), created: true };
}

/** The record of a meeting just created: scheduled, with nothing from the pipeline yet. */
function newMeetingDoc(
  id: string,
  plan: Planned,
  participants: MeetingParticipant[],
  now: Date,
  extra: Pick<MeetingDoc, 'language' | 'description'>,
): MeetingDoc {
  const { organizer, title, bookingId, startsAt, endsAt, timeZone, claimId } = plan;
  const participantEmails = participants.map((p) => p.email);
  return {
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
    ...extra,
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
    // Until content arrives (captions, a recording, live audio: each moves this to its arrival)
    // the record holds at most the invite text of a meeting still to be held; it is kept until
    // the meeting is over, as a calendar keeps an invitation, since purging it would close the
    // meeting to its recording.
    retainFrom: endsAt > now ? endsAt : now,
    purge: null,
    purgedAt: null,
    deletion: null,
    createdAt: now,
    updatedAt: now,
  };
}
