// Booking pages: people (alone or with teammates) publish event types at a public link; a guest
// opens the link, sees the free slots, and books one. The booking goes through the booking
// service (free/busy re-checked, idempotent, on the owner's calendar) with the guest as attendee.
import { SignJWT, jwtVerify } from 'jose';
import { User, type UserDoc } from '../../identity/models.ts';
import { getUserSettings, type LinkType } from '../../identity/user-settings.ts';
import { isDuplicateKeyError } from '../../privacy/duplicate-key.ts';
import { verifiedTenantContext, type TenantContext } from '../../store/tenant-context.ts';
import type { Store } from '../../store/store.ts';
import type { Slot } from '../availability/index.ts';
import type { BookingDoc } from '../booking/booking-model.ts';
import type { BookingService } from '../booking/booking-service.ts';
import {
  emailsOf,
  findTimesAmong,
  type FindTimesRequest,
  type SchedulingDeps,
} from '../find-times.ts';
import { resolvePeople, type Person } from '../people.ts';
import { BookingPage, type BookingPageDoc } from './booking-page-model.ts';
import { listPage, ownerPages, unlistPage } from './page-owners.ts';
import { confirmationIcs } from './confirmation-ics.ts';
import { guestBookingTitle } from './guest-title.ts';
import type { BookingPageInput, GuestBookingInput } from './page-input.ts';

/** Slots a guest may pick start on the half hour (in the owner's zone). */
export const PAGE_GRANULARITY_MINUTES = 30;
const ICS_AUDIENCE = 'quorum-booking-ics';
const MANAGE_AUDIENCE = 'quorum-booking-manage';
/** The most slots a page lists; the window is cut short rather than the list made huge. */
export const MAX_PAGE_SLOTS = 400;

export {
  bookingPageInput,
  guestBookingInput,
  type BookingPageInput,
  type GuestBookingInput,
} from './page-input.ts';

export class BookingPageError extends Error {
  override name = 'BookingPageError';
  readonly code:
    | 'not-found'
    | 'slug-taken'
    | 'not-a-colleague'
    | 'slot-unavailable'
    | 'in-progress'
    | 'invalid-link';
  constructor(code: BookingPageError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export interface PublicBookingPage {
  slug: string;
  title: string;
  description: string;
  durationMinutes: number;
  owner: string;
  hosts: string[];
  slots: Array<{ start: string; end: string }>;
}

export interface GuestBookingResult {
  /** The page's tenant and owner: the booking is theirs. */
  ctx: TenantContext;
  owner: UserDoc;
  booking: BookingDoc;
  alreadyBooked: boolean;
  /** A signed link to the confirmation's .ics (valid as long as the booking is worth keeping). */
  icsUrl: string;
}

export interface BookingPagesDeps {
  store: Store;
  scheduling: SchedulingDeps;
  bookings: BookingService;
  /** Signs the guests' .ics links. */
  linkSecret: Uint8Array;
  baseUrl: string;
  now?: () => Date;
}

export function createBookingPagesService(deps: BookingPagesDeps): BookingPagesService {
  return new BookingPagesService(deps);
}

export class BookingPagesService {
  readonly #deps: BookingPagesDeps;
  readonly #now: () => Date;

  constructor(deps: BookingPagesDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
  }

  #pages() {
    return this.#deps.store.controlModel(BookingPage);
  }

  /** Publishes a page; `input` is already validated with `bookingPageInput`. */
  async publish(ctx: TenantContext, owner: UserDoc, input: BookingPageInput) {
    const body = input;
    const hosts = [...new Set(body.hostEmails.filter((e) => e !== owner.email))];
    if (hosts.length > 0) {
      const found = await resolvePeople(this.#deps.scheduling, ctx, hosts);
      const missing = hosts.filter((h) => found.get(h)?.kind !== 'colleague');
      if (missing.length > 0) {
        throw new BookingPageError(
          'not-a-colleague',
          `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in your organization; a team page's hosts must be colleagues.`,
        );
      }
    }
    const page: BookingPageDoc = {
      _id: body.slug,
      tenantId: ctx.tenantId,
      ownerId: owner._id,
      hostEmails: hosts,
      title: body.title,
      description: body.description,
      durationMinutes: body.durationMinutes,
      windowDays: body.windowDays,
      minNoticeMinutes: body.minNoticeMinutes,
      active: true,
      createdAt: this.#now(),
    };
    try {
      // The slug is the key: a unique insert claims it atomically across the deployment.
      await this.#pages().create(page);
      await listPage(this.#deps.store, page);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      throw new BookingPageError(
        'slug-taken',
        `The link name "${body.slug}" is taken. Choose another one.`,
      );
    }
    return page;
  }

  async listMine(ctx: TenantContext, ownerId: string): Promise<BookingPageDoc[]> {
    const pages = await ownerPages(this.#deps.store, ctx.tenantId, ownerId);
    return pages
      .filter((p) => p.tenantId === ctx.tenantId && p.ownerId === ownerId && p.active)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  /** Removes the owner's page; bookings already made stay on the calendars. */
  async remove(ctx: TenantContext, ownerId: string, slug: string): Promise<boolean> {
    const page = await this.#pages().findById(String(slug)).lean();
    if (!page || page.tenantId !== ctx.tenantId || page.ownerId !== ownerId) return false;
    const result = await this.#pages().deleteOne({ _id: page._id });
    await unlistPage(this.#deps.store, page);
    return result.deletedCount === 1;
  }

  /** What a guest sees: the page and its free slots, as instants (the browser shows its zone). */
  async publicView(slug: string): Promise<PublicBookingPage> {
    const { page, owner, ctx } = await this.#open(slug);
    const start = this.#now();
    const people = await this.#peopleOf(ctx, page, owner);
    const slots = await this.#offeredSlots(people, page, owner, {
      start,
      end: new Date(start.getTime() + page.windowDays * 86_400_000),
    });
    const hosts = page.hostEmails.flatMap((e) => {
      const host = people.get(e);
      return host?.kind === 'colleague' ? [host.user] : [];
    });
    return {
      slug: page._id,
      title: page.title,
      description: page.description,
      durationMinutes: page.durationMinutes,
      owner: owner.name,
      hosts: hosts.map((h) => h.name),
      slots: slots.map((s) => ({
        start: new Date(s.start).toISOString(),
        end: new Date(s.end).toISOString(),
      })),
    };
  }

  /** A guest books one of the page's slots; the same guest and slot again books once. */
  async book(slug: string, guest: GuestBookingInput): Promise<GuestBookingResult> {
    const { page, owner, ctx } = await this.#open(slug);
    const end = new Date(guest.start.getTime() + page.durationMinutes * 60_000);
    const idempotencyKey = `page:${page._id}:${guest.email}:${guest.start.toISOString()}`;
    // The same guest and slot again (a double click, a retry): the first booking's answer.
    const earlier = await this.#deps.bookings.findByIdempotencyKey(ctx, idempotencyKey);
    if (earlier?.status === 'confirmed') {
      return {
        ctx,
        owner,
        booking: earlier,
        alreadyBooked: true,
        icsUrl: await this.icsUrl(ctx, page._id, earlier._id),
      };
    }
    // Only a time the page offers (working hours, notice, window, everyone free) is bookable.
    if (!(await this.#offers(ctx, page, owner, { start: guest.start, end }))) {
      throw new BookingPageError(
        'slot-unavailable',
        'That time is no longer free. Pick another one from the list.',
      );
    }
    const result = await this.#deps.bookings.book(ctx, {
      organizerEmail: owner.email,
      title: guestBookingTitle(page.title, guest.name),
      start: guest.start,
      end,
      attendees: [
        ...page.hostEmails.map((e) => ({ email: e, optional: false })),
        { email: guest.email, name: guest.name, optional: false },
      ],
      linkType: await this.#guestLinkType(ctx, owner),
      ...(guest.notes ? { description: `Notes from ${guest.name}: ${guest.notes}` } : {}),
      idempotencyKey,
      origin: { platform: 'booking-page', conversationId: page._id },
    });
    if (!result.ok) {
      throw new BookingPageError(
        result.reason === 'in-progress' ? 'in-progress' : 'slot-unavailable',
        result.reason === 'in-progress'
          ? 'This booking is being made; try again in a moment.'
          : 'That time was just taken. Pick another one from the list.',
      );
    }
    return {
      ctx,
      owner,
      booking: result.booking,
      alreadyBooked: result.alreadyBooked,
      icsUrl: await this.icsUrl(ctx, page._id, result.booking._id),
    };
  }

  async icsUrl(ctx: TenantContext, slug: string, bookingId: string): Promise<string> {
    const token = await this.#icsToken(ctx, slug, bookingId);
    return `${this.#deps.baseUrl}/api/public/booking-pages/${slug}/bookings/${bookingId}/ics?t=${token}`;
  }

  /** The confirmation as iCalendar text, for the holder of the signed link. */
  async ics(slug: string, bookingId: string, token: string): Promise<string> {
    const invalid = new BookingPageError(
      'invalid-link',
      'This calendar link is not valid or has expired.',
    );
    const tenantId = await this.#tenantOfIcsToken(token, slug, bookingId, invalid);
    const ctx = verifiedTenantContext(tenantId, 'system');
    const booking = await this.#deps.bookings.get(ctx, bookingId);
    if (!booking) throw invalid;
    const organizer = await this.#deps.store
      .controlModel(User)
      .findById(booking.organizerId, { name: 1, email: 1 })
      .lean();
    // Booking pages list the hosts first and the guest last (see `book`).
    const guest = booking.attendees[booking.attendees.length - 1]!;
    return confirmationIcs({
      uid: `${booking._id}@quorum`,
      title: booking.title,
      start: booking.start,
      end: booking.end,
      organizer: {
        email: booking.organizerEmail,
        name: organizer?.name ?? booking.organizerEmail,
      },
      guest: { email: guest.email, name: guest.name ?? guest.email },
      description: '',
      joinUrl: booking.joinUrl,
      stamp: booking.createdAt,
    });
  }

  /** The page and its tenant, found by the slug alone (the guest has nothing else). */
  async #open(slug: string) {
    const page = await this.#pages().findById(String(slug).toLowerCase()).lean();
    const notFound = new BookingPageError(
      'not-found',
      'This booking page does not exist or is no longer published. Ask for a new link.',
    );
    if (!page || !page.active) throw notFound;
    const owner = await this.#deps.store.controlModel(User).findById(page.ownerId).lean();
    if (!owner || owner.tenantId !== page.tenantId || owner.deletedAt) throw notFound;
    // The tenant comes from Quorum's own record of the page, never from the request.
    const ctx = verifiedTenantContext(page.tenantId, 'system');
    return { page, owner, ctx };
  }

  /** The owner and hosts: colleagues with their calendars, or guests (a host who left). */
  #peopleOf(ctx: TenantContext, page: BookingPageDoc, owner: UserDoc) {
    return resolvePeople(this.#deps.scheduling, ctx, emailsOf(slotRequest(page, owner)));
  }

  /** Whether the page offers exactly this slot now (inside its window, everyone free). */
  async #offers(
    ctx: TenantContext,
    page: BookingPageDoc,
    owner: UserDoc,
    slot: { start: Date; end: Date },
  ): Promise<boolean> {
    const latest = this.#now().getTime() + page.windowDays * 86_400_000;
    return (
      slot.start.getTime() <= latest &&
      (await this.#offeredSlots(await this.#peopleOf(ctx, page, owner), page, owner, slot)).some(
        (s) => s.start === slot.start.getTime(),
      )
    );
  }

  async #offeredSlots(
    people: Map<string, Person>,
    page: BookingPageDoc,
    owner: UserDoc,
    window: { start: Date; end: Date },
  ): Promise<Slot[]> {
    const result = await findTimesAmong(
      this.#deps.scheduling,
      {
        ...slotRequest(page, owner),
        durationMinutes: page.durationMinutes,
        window,
        granularityMinutes: PAGE_GRANULARITY_MINUTES,
        minNoticeMinutes: page.minNoticeMinutes,
        // Every candidate, so the cut below keeps the earliest rather than the best-ranked.
        limit: Number.MAX_SAFE_INTEGER,
        now: this.#now(),
      },
      people,
    );
    // Every host must be readable: a slot where a host's calendar is unknown is not offered.
    const blind = result.unknown.filter((u) => u.reason !== 'guest');
    if (blind.length > 0) return [];
    return result.slots.sort((a, b) => a.start - b.start).slice(0, MAX_PAGE_SLOTS);
  }

  /**
   * The owner's default link when their calendar makes it itself (Teams on Microsoft 365, Meet
   * on Google); otherwise none — a link the calendar cannot make would fail every guest.
   */
  async #guestLinkType(ctx: TenantContext, owner: UserDoc): Promise<LinkType> {
    const settings = await getUserSettings(this.#deps.store, ctx, owner._id);
    const calendar = await this.#deps.scheduling.calendarFor(ctx, owner);
    const native: Record<string, LinkType> = { microsoft: 'teams', google: 'meet' };
    return native[calendar.provider.kind] === settings.defaultLinkType
      ? settings.defaultLinkType
      : 'none';
  }

  /** The page owner's account (the organizer of its bookings), if it still exists. */
  async ownerOf(ctx: TenantContext, userId: string): Promise<UserDoc | undefined> {
    const owner = await this.#deps.store.controlModel(User).findById(userId).lean();
    return owner && owner.tenantId === ctx.tenantId && !owner.deletedAt ? owner : undefined;
  }

  /** The guest's signed link to cancel the booking or pick another time (emailed to them). */
  async manageUrl(ctx: TenantContext, slug: string, bookingId: string): Promise<string> {
    const token = await this.#icsToken(ctx, slug, bookingId, MANAGE_AUDIENCE);
    return `${this.#deps.baseUrl}/api/public/booking-pages/${slug}/bookings/${bookingId}/manage?t=${token}`;
  }

  /**
   * The guest cancels through their signed link. The booking is the owner's, so it is cancelled
   * as theirs (the booking service lets only the organizer cancel); the link is the guest's
   * authority. Cancelling again changes nothing.
   */
  async cancelAsGuest(slug: string, bookingId: string, token: string) {
    const invalid = new BookingPageError(
      'invalid-link',
      'This link is not valid or has expired. Ask the organizer to change the meeting.',
    );
    const tenantId = await this.#tenantOfIcsToken(token, slug, bookingId, invalid, MANAGE_AUDIENCE);
    const ctx = verifiedTenantContext(tenantId, 'system');
    const booking = await this.#deps.bookings.get(ctx, bookingId);
    if (!booking) throw invalid;
    const wasConfirmed = booking.status === 'confirmed';
    const cancelled = await this.#deps.bookings.cancel(ctx, bookingId, booking.organizerId);
    return { ctx, booking: cancelled, wasConfirmed, pageUrl: `${this.#deps.baseUrl}/book/${slug}` };
  }

  async #icsToken(ctx: TenantContext, slug: string, bookingId: string, audience = ICS_AUDIENCE) {
    return new SignJWT({ tid: ctx.tenantId, slug })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(bookingId)
      .setAudience(audience)
      .setExpirationTime('120d')
      .sign(this.#deps.linkSecret);
  }

  /** The tenant named by a valid .ics link for this page and booking; else `invalid`. */
  async #tenantOfIcsToken(
    token: string,
    slug: string,
    bookingId: string,
    invalid: BookingPageError,
    audience = ICS_AUDIENCE,
  ): Promise<string> {
    try {
      const { payload } = await jwtVerify(token, this.#deps.linkSecret, {
        audience,
        algorithms: ['HS256'],
      });
      if (payload.sub !== bookingId || payload.slug !== slug || typeof payload.tid !== 'string')
        throw invalid;
      return payload.tid;
    } catch {
      throw invalid;
    }
  }
}

function slotRequest(page: BookingPageDoc, owner: UserDoc) {
  return {
    organizerEmail: owner.email,
    attendees: page.hostEmails.map((e) => ({ email: e })),
  } satisfies Pick<FindTimesRequest, 'organizerEmail' | 'attendees'>;
}
