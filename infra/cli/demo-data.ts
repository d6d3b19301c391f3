// The demo organization `quorum demo` fills: four people in four time zones with working hours
// and busy time on their local calendars, a meeting held yesterday whose captions went through
// the real pipeline (encrypted transcript, summary, decisions, action items), and an upcoming
// meeting booked at the best time for three of them.
//
// Running it again changes the same records instead of adding new ones: people are found by
// email, calendar events by their fixed request ids (moved to the coming days), the meeting by
// its idempotency key, the booking by its idempotency key. Each run sets a new password.
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { localCalendarProvider } from '../../core/calendars/local/local-calendar.ts';
import { addMember, createTenantWithAdmin } from '../../core/identity/accounts.ts';
import { User, type UserDoc } from '../../core/identity/models.ts';
import { hashPassword } from '../../core/identity/passwords.ts';
import { findUserByEmail } from '../../core/identity/users.ts';
import { saveUserSettings, type UserSettings } from '../../core/identity/user-settings.ts';
import type { MeetingActor, MeetingView } from '../../core/meetings/index.ts';
import { findTimes } from '../../core/scheduling/find-times.ts';
import {
  BookingPageError,
  bookingPageInput,
} from '../../core/scheduling/booking-pages/booking-pages-service.ts';
import { verifiedTenantContext, type TenantContext } from '../../core/store/tenant-context.ts';
import type { Services } from '../server/services.ts';

export const DEMO_ORGANIZATION = 'Quorum Demo';
export const DEMO_DOMAIN = 'quorum-demo.example';

type Weekday = UserSettings['workingHours'][number]['days'][number];

interface DemoPerson {
  name: string;
  email: string;
  settings: UserSettings;
  /** Busy time on their local calendar: a weekday of the coming week, local start, minutes. */
  busy: Array<{ key: string; title: string; weekday: number; at: string; minutes: number }>;
}

const WORKWEEK: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** The admin first. Their hours overlap for about 90 minutes a day: enough to find a time. */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
  {
    name: 'Ana Lopez',
    email: `ana@${DEMO_DOMAIN}`,
    settings: {
      timeZone: 'Europe/Berlin',
      workingHours: [{ days: WORKWEEK, start: '09:00', end: '17:00' }],
      defaultLinkType: 'none',
    },
    busy: [
      { key: 'ana-focus-mon', title: 'Focus time', weekday: 1, at: '09:00', minutes: 120 },
      { key: 'ana-focus-wed', title: 'Focus time', weekday: 3, at: '09:00', minutes: 120 },
      { key: 'ana-board', title: 'Board prep', weekday: 4, at: '14:00', minutes: 90 },
    ],
  },
  {
    name: 'Raj Patel',
    email: `raj@${DEMO_DOMAIN}`,
    settings: {
      timeZone: 'Asia/Kolkata',
      workingHours: [{ days: WORKWEEK, start: '12:00', end: '20:00' }],
      defaultLinkType: 'none',
    },
    busy: [
      { key: 'raj-1on1', title: '1:1 with manager', weekday: 2, at: '18:30', minutes: 60 },
      { key: 'raj-interviews', title: 'Interviews', weekday: 4, at: '12:00', minutes: 180 },
    ],
  },
  {
    name: 'Maya Chen',
    email: `maya@${DEMO_DOMAIN}`,
    settings: {
      timeZone: 'America/New_York',
      workingHours: [
        { days: ['mon', 'tue', 'wed', 'thu'], start: '08:00', end: '16:00' },
        { days: ['fri'], start: '08:00', end: '12:00' },
      ],
      defaultLinkType: 'none',
    },
    busy: [
      { key: 'maya-customer', title: 'Customer call', weekday: 2, at: '08:00', minutes: 60 },
      { key: 'maya-standup', title: 'Team stand-up', weekday: 3, at: '09:00', minutes: 30 },
    ],
  },
  {
    name: 'Lee Wong',
    email: `lee@${DEMO_DOMAIN}`,
    settings: {
      timeZone: 'Australia/Sydney',
      workingHours: [{ days: WORKWEEK, start: '08:00', end: '16:00' }],
      defaultLinkType: 'none',
    },
    busy: [{ key: 'lee-review', title: 'Sprint review', weekday: 5, at: '10:00', minutes: 60 }],
  },
];

/** What was said in yesterday's meeting: Teams-style WebVTT with speaker tags. */
export const DEMO_CAPTIONS = `WEBVTT

00:00:02.000 --> 00:00:07.500
<v Ana Lopez>Good afternoon everyone. Today we plan the launch of the new booking pages.</v>

00:00:08.000 --> 00:00:13.000
<v Maya Chen>The customer pilot went well, and the feedback on time zones was very positive.</v>

00:00:14.000 --> 00:00:19.000
<v Raj Patel>I'll finish the accessibility review of the booking form by Friday.</v>

00:00:20.000 --> 00:00:25.000
<v Ana Lopez>We decided to launch the booking pages on the first Monday of next month.</v>

00:00:26.000 --> 00:00:31.000
<v Maya Chen>I will write the announcement for the customer newsletter by next Wednesday.</v>

00:00:32.000 --> 00:00:37.000
<v Lee Wong>We agreed to keep the old scheduling links working for three more months.</v>

00:00:38.000 --> 00:00:42.000
<v Lee Wong>Who will update the help center articles before the launch?</v>

00:00:43.000 --> 00:00:47.000
<v Ana Lopez>Thanks everyone, that was a productive planning session.</v>
`;

const PAST_MEETING_KEY = 'demo-launch-planning';
const UPCOMING_BOOKING_KEY = 'demo-upcoming-sync';
const PIPELINE_WAIT_MS = 60_000;

export interface DemoPersonReport {
  name: string;
  email: string;
  role: 'admin' | 'member';
  timeZone: string;
  created: boolean;
}

export interface DemoReport {
  tenantId: string;
  organization: string;
  password: string;
  people: DemoPersonReport[];
  busyEvents: number;
  meeting: {
    id: string;
    title: string;
    startsAt: string;
    status: string;
    created: boolean;
    transcriptLines: number;
    actionItems: number;
    decisions: number;
  };
  booking: { id: string; title: string; start: string; created: boolean } | null;
  /** The public booking page guests can use, at `<base URL>/book/<slug>`. */
  bookingPage: { slug: string; title: string; created: boolean } | null;
  notes: string[];
}

/** A password zxcvbn rates strong: 16 characters from 96 random bits. */
export function demoPassword(): string {
  return randomBytes(12).toString('base64url');
}

class DemoError extends Error {}

async function ensurePeople(
  services: Services,
  password: string,
): Promise<{ ctx: TenantContext; users: UserDoc[]; reports: DemoPersonReport[] }> {
  const { store } = services;
  const Users = store.controlModel(User);
  const [admin, ...members] = DEMO_PEOPLE;
  const reports: DemoPersonReport[] = [];
  let adminDoc: UserDoc | undefined = await findUserByEmail(store, admin!.email);
  let ctx: TenantContext;
  if (adminDoc) {
    ctx = verifiedTenantContext(adminDoc.tenantId, 'session', adminDoc._id);
    await Users.updateOne(
      { _id: adminDoc._id },
      { $set: { passwordHash: await hashPassword(password) } },
    );
    reports.push(report(adminDoc, false));
  } else {
    // An operator at the console may add an organization even when this Quorum has one.
    const made = await createTenantWithAdmin(
      store,
      { organization: DEMO_ORGANIZATION, name: admin!.name, email: admin!.email, password },
      { openSignup: true },
    );
    adminDoc = made.user;
    ctx = made.ctx;
    reports.push(report(adminDoc, true));
  }
  const users: UserDoc[] = [adminDoc];
  for (const person of members) {
    let doc: UserDoc | undefined = await findUserByEmail(store, person.email);
    if (doc && doc.tenantId !== ctx.tenantId) {
      throw new DemoError(
        `${person.email} belongs to another organization here; the demo cannot use it.`,
      );
    }
    if (doc) {
      await Users.updateOne(
        { _id: doc._id },
        { $set: { passwordHash: await hashPassword(password) } },
      );
      reports.push(report(doc, false));
    } else {
      doc = await addMember(store, ctx, { name: person.name, email: person.email, password });
      reports.push(report(doc, true));
    }
    users.push(doc);
  }
  for (const [i, person] of DEMO_PEOPLE.entries()) {
    await saveUserSettings(store, ctx, users[i]!._id, person.settings);
    reports[i]!.timeZone = person.settings.timeZone;
  }
  return { ctx, users, reports };
}

function report(user: UserDoc, created: boolean): DemoPersonReport {
  return { name: user.name, email: user.email, role: user.role, timeZone: 'UTC', created };
}

/** The next date (after today) that falls on `weekday` (1 = Monday … 7 = Sunday) in `zone`. */
function nextWeekday(now: Date, zone: string, weekday: number, at: string): DateTime {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const ahead = (weekday - today.weekday + 7) % 7 || 7;
  const [hour, minute] = at.split(':').map(Number);
  return today.plus({ days: ahead }).set({ hour: hour!, minute: minute! });
}

/** Puts each person's busy events on their local calendar, in the coming week. */
async function ensureBusyEvents(
  services: Services,
  ctx: TenantContext,
  now: Date,
): Promise<number> {
  let count = 0;
  for (const person of DEMO_PEOPLE) {
    const calendar = localCalendarProvider({
      store: services.store,
      envelope: services.envelope,
      tenant: ctx,
      ownerEmail: person.email,
    });
    for (const busy of person.busy) {
      const start = nextWeekday(now, person.settings.timeZone, busy.weekday, busy.at);
      const input = {
        title: busy.title,
        start: start.toJSDate(),
        end: start.plus({ minutes: busy.minutes }).toJSDate(),
        timeZone: person.settings.timeZone,
        attendees: [],
        onlineMeeting: 'none' as const,
        requestId: `demo:${busy.key}`,
      };
      // The same request id finds last run's event; it moves to this run's coming week.
      const { providerEventId } = await calendar.createEvent(input);
      await calendar.updateEvent(providerEventId, input);
      count += 1;
    }
  }
  return count;
}

/** The last weekday before today, in Berlin: when the demo meeting was held. */
function lastWorkday(now: Date, zone: string): DateTime {
  let day = DateTime.fromJSDate(now, { zone }).startOf('day').minus({ days: 1 });
  while (day.weekday > 5) day = day.minus({ days: 1 });
  return day;
}

async function ensurePastMeeting(
  services: Services,
  ctx: TenantContext,
  admin: UserDoc,
  now: Date,
): Promise<{ view: MeetingView; created: boolean }> {
  const { service, pipeline } = services.meetings;
  const actor: MeetingActor = {
    kind: 'user',
    userId: admin._id,
    email: admin.email,
    name: admin.name,
  };
  const zone = DEMO_PEOPLE[0]!.settings.timeZone;
  // 15:00 in Berlin is 09:00 in New York and 19:30 in Kolkata.
  const start = lastWorkday(now, zone).set({ hour: 15 });
  const { meeting, created } = await service.create(ctx, actor, {
    title: 'Launch planning: booking pages',
    startsAt: start.toJSDate(),
    endsAt: start.plus({ minutes: 45 }).toJSDate(),
    timeZone: zone,
    participants: DEMO_PEOPLE.slice(1).map((p) => ({ email: p.email, name: p.name })),
    description: '- Pilot feedback\n- Launch date\n- Announcement',
    language: 'en-US',
    idempotencyKey: PAST_MEETING_KEY,
  });
  if (meeting.status === 'scheduled') {
    await service.addCaptions(ctx, actor, meeting.id, { format: 'webvtt', text: DEMO_CAPTIONS });
  }
  // Run the pipeline here, so the demo is complete without a worker; when a running Quorum's
  // worker has taken the meeting first, wait for it to finish instead.
  const deadline = Date.now() + PIPELINE_WAIT_MS;
  for (;;) {
    const view = await service.get(ctx, actor, meeting.id);
    if (view.status === 'ready' || view.status === 'failed') return { view, created };
    if (Date.now() > deadline) {
      throw new DemoError(
        `The demo meeting is still ${view.status} after ${PIPELINE_WAIT_MS / 1000} s; ` +
          'run `quorum demo` again in a minute.',
      );
    }
    const outcome = await pipeline.process(ctx.tenantId, meeting.id);
    if (outcome === 'busy' || outcome === 'retry') await new Promise((r) => setTimeout(r, 500));
  }
}

async function ensureUpcomingBooking(
  services: Services,
  ctx: TenantContext,
  users: UserDoc[],
  now: Date,
): Promise<DemoReport['booking'] | string> {
  const [organizer, ...others] = users.slice(0, 3);
  const attendees = others.map((u) => ({ email: u.email, name: u.name, optional: false }));
  const found = await findTimes({ store: services.store, calendarFor: services.calendarFor }, ctx, {
    organizerEmail: organizer!.email,
    attendees: attendees.map((a) => ({ email: a.email })),
    durationMinutes: 30,
    window: { start: now, end: new Date(now.getTime() + 14 * 86_400_000) },
    minNoticeMinutes: 24 * 60,
    limit: 1,
    now,
  });
  const slot = found.slots[0];
  if (!slot) return 'no common free time in the next two weeks, so no upcoming meeting was booked';
  const result = await services.bookings.book(ctx, {
    organizerEmail: organizer!.email,
    title: 'Booking pages: launch check-in',
    start: new Date(slot.start),
    end: new Date(slot.end),
    attendees,
    linkType: 'none',
    description: 'Open action items from the launch planning.',
    idempotencyKey: UPCOMING_BOOKING_KEY,
  });
  if (!result.ok) return `the upcoming meeting was not booked: ${result.message}`;
  return {
    id: result.booking._id,
    title: result.booking.title,
    start: result.booking.start.toISOString(),
    created: !result.alreadyBooked,
  };
}

const DEMO_PAGE_SLUG = 'demo-intro-call';

/** Ana's public page for a 30-minute intro call; one per demo, reused on later runs. */
async function ensureBookingPage(
  services: Services,
  ctx: TenantContext,
  owner: UserDoc,
): Promise<DemoReport['bookingPage'] | string> {
  const existing = await services.bookingPages.listMine(ctx, owner._id);
  const mine = existing.find((p) => p._id === DEMO_PAGE_SLUG);
  if (mine) return { slug: mine._id, title: mine.title, created: false };
  try {
    const page = await services.bookingPages.publish(
      ctx,
      owner,
      bookingPageInput.parse({
        slug: DEMO_PAGE_SLUG,
        title: 'Intro call with Ana',
        description: 'Thirty minutes to get to know each other.',
        durationMinutes: 30,
      }),
    );
    return { slug: page._id, title: page.title, created: true };
  } catch (error) {
    if (error instanceof BookingPageError) return `no booking page: ${error.message}`;
    throw error;
  }
}

export async function seedDemo(
  services: Services,
  options: { password: string; now?: Date },
): Promise<DemoReport> {
  const now = options.now ?? new Date();
  const { ctx, users, reports } = await ensurePeople(services, options.password);
  const busyEvents = await ensureBusyEvents(services, ctx, now);
  const { view, created } = await ensurePastMeeting(services, ctx, users[0]!, now);
  const notes: string[] = [];
  if (view.status === 'failed') {
    notes.push(`the demo meeting failed in the pipeline: ${view.failure?.reason ?? 'unknown'}`);
  }
  const booking = await ensureUpcomingBooking(services, ctx, users, now);
  if (typeof booking === 'string') notes.push(booking);
  const bookingPage = await ensureBookingPage(services, ctx, users[0]!);
  if (typeof bookingPage === 'string') notes.push(bookingPage);
  return {
    tenantId: ctx.tenantId,
    organization: DEMO_ORGANIZATION,
    password: options.password,
    people: reports,
    busyEvents,
    meeting: {
      id: view.id,
      title: view.title,
      startsAt: view.startsAt,
      status: view.status,
      created,
      transcriptLines: view.transcript.length,
      actionItems: view.actionItems.length,
      decisions: view.summary?.decisions.length ?? 0,
    },
    booking: typeof booking === 'string' ? null : booking,
    bookingPage: typeof bookingPage === 'string' ? null : bookingPage,
    notes,
  };
}

export { DemoError };
