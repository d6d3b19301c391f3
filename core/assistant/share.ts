// share: what a surface needs to post a meeting's summary after the meeting — the meeting, where
// it was booked from, and which action-item owners are people of the organization. The surface
// adds only its own part: where to post, how to mention a person, its card or blocks.
//
//   const shared = await assistant.share.summary(tenantId, meetingId, reader);
//   // -> { ctx, meeting, origin, owners } | null   (null: deleted since, unreadable, no summary)
//   const owners = await assistant.share.owners(ctx, meeting);
//   // -> Map<owner as the action item names them, the active person of the organization>
import { findActiveTenantUserByEmail } from '../identity/users.ts';
import type { UserDoc } from '../identity/models.ts';
import {
  MeetingError,
  type MeetingActor,
  type MeetingView,
  type MeetingsService,
} from '../meetings/index.ts';
import type { BookingDoc } from '../scheduling/booking/booking-model.ts';
import type { BookingService } from '../scheduling/booking/booking-service.ts';
import type { Store } from '../store/store.ts';
import { verifiedTenantContext, type TenantContext } from '../store/tenant-context.ts';

/** Action-item owners (as written) who are active people of the organization. */
export type Owners = Map<string, UserDoc>;

export interface SummaryToShare {
  ctx: TenantContext;
  meeting: MeetingView;
  /** The origin of the booking the meeting belongs to; null when there is none. */
  origin: BookingDoc['origin'];
  owners: Owners;
}

export class ShareSummary {
  readonly #store: Store;
  readonly #bookings: BookingService;
  readonly #meetings: MeetingsService | undefined;

  constructor(deps: {
    store: Store;
    bookings: BookingService;
    meetings: MeetingsService | undefined;
  }) {
    this.#store = deps.store;
    this.#bookings = deps.bookings;
    this.#meetings = deps.meetings;
  }

  /**
   * The meeting as `reader` (the surface's system reader) sees it tenant-wide, with its origin
   * and owners; null when there is nothing to post.
   */
  async summary(
    tenantId: string,
    meetingId: string,
    reader: MeetingActor,
  ): Promise<SummaryToShare | null> {
    if (!this.#meetings) return null;
    const ctx = verifiedTenantContext(tenantId, 'system');
    let meeting: MeetingView;
    try {
      meeting = await this.#meetings.get(ctx, reader, meetingId);
    } catch (error) {
      // Deleted since, or its content is unreadable: there is nothing to post.
      if (error instanceof MeetingError) return null;
      throw error;
    }
    if (!meeting.summary) return null;
    const booking = meeting.bookingId
      ? await this.#bookings.get(ctx, meeting.bookingId)
      : undefined;
    const owners = await this.owners(ctx, meeting);
    return { ctx, meeting, origin: booking?.origin ?? null, owners };
  }

  /**
   * Each action-item owner matched to a participant (by email or name), when that participant is
   * an active person of the organization: only they are mentioned, a guest is never looked up.
   */
  async owners(ctx: TenantContext, meeting: MeetingView): Promise<Owners> {
    const named = [...new Set(meeting.actionItems.flatMap((i) => (i.owner ? [i.owner] : [])))];
    const owners: Owners = new Map();
    for (const owner of named) {
      const wanted = owner.trim().toLowerCase();
      const participant = meeting.participants.find(
        (p) => p.email === wanted || p.name?.trim().toLowerCase() === wanted,
      );
      if (!participant) continue;
      const user = await findActiveTenantUserByEmail(this.#store, ctx.tenantId, participant.email);
      if (user) owners.set(owner, user);
    }
    return owners;
  }
}
