// Zoom meetings and Quorum meetings: Quorum creates Zoom meetings for bookings (the booking
// service's ZoomMeetings port), remembers them by Zoom meeting id, and finds the Quorum meeting
// a Zoom meeting's transcript belongs to — the one booked for it, else a new one in the
// organization of the Zoom account, organized by the Zoom host.
import type { Logger } from '../../../core/logger.ts';
import { User } from '../../../core/identity/models.ts';
import { findActiveTenantUserByEmail } from '../../../core/identity/users.ts';
import type { MeetingActor, MeetingsService } from '../../../core/meetings/index.ts';
import { isDuplicateKeyError } from '../../../core/privacy/duplicate-key.ts';
import { findByJoinUrl } from '../../../core/scheduling/booking/booking-index.ts';
import type { ZoomMeetings } from '../../../core/scheduling/booking/booking-service.ts';
import type { Store } from '../../../core/store/store.ts';
import { verifiedTenantContext, type TenantContext } from '../../../core/store/tenant-context.ts';
import type { ZoomPeople } from './people.ts';
import { ZoomMeeting, ZoomMeetingInstance } from './models.ts';
import type { ZoomApi } from '../zoom-api.ts';

/** What Zoom's meeting events say about the meeting (payload.object). */
export interface ZoomMeetingFacts {
  accountId: string;
  /** The meeting number. */
  id: string;
  uuid: string;
  hostId: string;
  hostEmail?: string;
  topic: string;
  startTime: Date;
  durationMinutes: number;
  timeZone?: string;
}

export interface ResolvedMeeting {
  ctx: TenantContext;
  actor: MeetingActor;
  meetingId: string;
  bookingId: string | null;
}

export function createZoomMeetingLinks(deps: {
  store: Store;
  people: ZoomPeople;
  api: ZoomApi;
  logger: Logger;
}): ZoomMeetings {
  const Meetings = deps.store.controlModel(ZoomMeeting);
  return {
    async create(ctx, organizerId, meeting) {
      const token = await deps.people.accessTokenFor(ctx, organizerId);
      if (!token) return undefined;
      const made = await deps.api.createMeeting(token, {
        topic: meeting.title,
        start: meeting.start,
        end: meeting.end,
        timeZone: meeting.timeZone,
      });
      try {
        await Meetings.create({
          _id: made.id,
          tenantId: ctx.tenantId,
          organizerId,
          joinUrl: made.joinUrl,
          endedAt: null,
          createdAt: new Date(),
        });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      return { joinUrl: made.joinUrl };
    },
  };
}

export function createMeetingResolver(deps: {
  store: Store;
  people: ZoomPeople;
  meetings: MeetingsService;
}) {
  const ZoomMeetings = deps.store.controlModel(ZoomMeeting);
  const Instances = deps.store.controlModel(ZoomMeetingInstance);
  const Users = deps.store.controlModel(User);

  /** Remembers which Quorum meeting a Zoom meeting instance became (for the panel). */
  async function remember(uuid: string, tenantId: string, meetingId: string) {
    try {
      await Instances.create({ _id: uuid, tenantId, meetingId, createdAt: new Date() });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /** The booking Quorum made for a Zoom meeting number, if it made one. */
  async function bookingOf(zoomMeetingId: string) {
    const made = await ZoomMeetings.findById(zoomMeetingId).lean();
    if (!made) return undefined;
    const ctx = verifiedTenantContext(made.tenantId, 'installation');
    const booking = await findByJoinUrl(deps.store, ctx, made.joinUrl);
    return { ctx, made, booking };
  }

  return {
    bookingOf,

    /** The organization a Zoom meeting's content belongs to, found without making a meeting. */
    async tenantOf(facts: Pick<ZoomMeetingFacts, 'id' | 'accountId'>) {
      const made = await ZoomMeetings.findById(facts.id).lean();
      return made?.tenantId ?? (await deps.people.tenantOfAccount(facts.accountId));
    },

    /** The Quorum meeting for a Zoom meeting, created when there is none yet. */
    async resolve(facts: ZoomMeetingFacts): Promise<ResolvedMeeting | { problem: string }> {
      const booked = await bookingOf(facts.id);
      if (booked?.booking) {
        const organizer = await Users.findById(booked.booking.organizerId).lean();
        if (!organizer || organizer.deletedAt)
          return { problem: 'the organizer of its booking left' };
        const actor: MeetingActor = {
          kind: 'user',
          userId: organizer._id,
          email: organizer.email,
          name: organizer.name,
        };
        const { meeting } = await deps.meetings.create(booked.ctx, actor, {
          bookingId: booked.booking._id,
        });
        await remember(facts.uuid, booked.ctx.tenantId, meeting.id);
        return { ctx: booked.ctx, actor, meetingId: meeting.id, bookingId: booked.booking._id };
      }
      const tenantId =
        booked?.made.tenantId ?? (await deps.people.tenantOfAccount(facts.accountId));
      if (!tenantId)
        return {
          problem: `Zoom account ${facts.accountId} is not linked to a Quorum organization`,
        };
      const ctx = verifiedTenantContext(tenantId, 'installation');
      // The host as a Quorum person: their link, else their email in this organization.
      const linked = await deps.people.personOf(facts.hostId);
      const host =
        linked?.tenantId === tenantId
          ? linked.user
          : facts.hostEmail
            ? await findActiveTenantUserByEmail(deps.store, tenantId, facts.hostEmail)
            : null;
      if (!host) return { problem: 'its Zoom host is not a member of the organization' };
      const actor: MeetingActor = {
        kind: 'user',
        userId: host._id,
        email: host.email,
        name: host.name,
      };
      const { meeting } = await deps.meetings.create(ctx, actor, {
        title: facts.topic || 'Zoom meeting',
        startsAt: facts.startTime,
        endsAt: new Date(facts.startTime.getTime() + Math.max(1, facts.durationMinutes) * 60_000),
        ...(facts.timeZone ? { timeZone: facts.timeZone } : {}),
        // One Quorum meeting per Zoom meeting instance, however often Zoom tells us about it.
        idempotencyKey: `zoom:${facts.uuid}`,
      });
      await remember(facts.uuid, tenantId, meeting.id);
      return { ctx, actor, meetingId: meeting.id, bookingId: null };
    },

    /** The Quorum meeting a Zoom meeting instance's content went to, if any. */
    async instance(uuid: string) {
      return (await Instances.findById(uuid).lean()) ?? undefined;
    },

    async markEnded(zoomMeetingId: string): Promise<void> {
      await ZoomMeetings.updateOne(
        { _id: zoomMeetingId, endedAt: null },
        { $set: { endedAt: new Date() } },
      );
    },
  };
}

export type MeetingResolver = ReturnType<typeof createMeetingResolver>;
