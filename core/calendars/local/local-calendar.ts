// The local calendar: events kept in the tenant's own database, for the embedded default.
//
// Everyone's calendar lives in the same place here, so an event blocks its owner and every
// attendee: booking a meeting makes all invitees busy, as invitations would elsewhere.
import type { Store } from '../../store/store.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { checkRange, clipToRange, upcomingLimit } from '../busy-range.ts';
import { checkEventInput } from '../event-input.ts';
import {
  ProviderError,
  type BusyInterval,
  type CalendarProvider,
  type CreatedEvent,
  type EventInput,
  type FreeBusyResult,
} from '../provider.ts';
import { isDuplicateKeyError } from '../../privacy/duplicate-key.ts';
import { LocalEvent, type LocalEventDoc } from './local-event-model.ts';

const OBJECT_ID = /^[0-9a-f]{24}$/i;
const OPTIONAL_FIELDS = ['description', 'location', 'joinUrl'] as const;

export interface LocalCalendarOptions {
  store: Store;
  tenant: TenantContext;
  /** The user whose calendar this is; their email is its calendar id. */
  ownerEmail: string;
}

export function localCalendarProvider(options: LocalCalendarOptions): CalendarProvider {
  const owner = normalize(options.ownerEmail);
  if (!owner.includes('@')) {
    throw new RangeError(`local calendar ownerEmail must be an email, got ${options.ownerEmail}`);
  }
  const events = () => options.store.tenantModel(options.tenant, LocalEvent);

  return {
    kind: 'local',

    async freeBusy(request, signal) {
      checkRange(request, 'free/busy request');
      signal?.throwIfAborted();
      const ids = [...new Set(request.calendars)];
      const wanted = new Map(ids.map((id) => [normalize(id), [] as BusyInterval[]]));
      const emails = [...wanted.keys()];
      const model = await events();
      const found = await model
        .find({
          $or: [{ calendarId: { $in: emails } }, { 'attendees.email': { $in: emails } }],
          start: { $lt: request.end },
          end: { $gt: request.start },
        })
        .lean();
      signal?.throwIfAborted();
      for (const event of found) {
        const interval: BusyInterval = {
          start: event.start.getTime(),
          end: event.end.getTime(),
          status: 'busy',
        };
        const blocked = new Set([event.calendarId, ...event.attendees.map((a) => a.email)]);
        for (const email of blocked) wanted.get(email)?.push(interval);
      }
      const result: FreeBusyResult = {};
      for (const id of ids) {
        result[id] = { ok: true, busy: clipToRange(wanted.get(normalize(id)) ?? [], request) };
      }
      return result;
    },

    async createEvent(input, signal) {
      const joinUrl = checkEventInput(input, undefined, 'The local calendar');
      signal?.throwIfAborted();
      const model = await events();
      const key = { calendarId: owner, requestId: input.requestId };
      try {
        const event = await model.create({ ...key, ...fields(input, joinUrl) });
        return created(event._id.toHexString(), joinUrl);
      } catch (error) {
        // The unique (calendarId, requestId) index refused a second event: this request already
        // made one (a retry, or two attempts racing), so that one is the answer.
        if (!isDuplicateKeyError(error)) throw error;
        const event = await model.findOne(key).lean();
        if (!event) throw error;
        return created(event._id.toHexString(), event.joinUrl);
      }
    },

    async updateEvent(providerEventId, input, signal) {
      const joinUrl = checkEventInput(input, undefined, 'The local calendar');
      signal?.throwIfAborted();
      const model = await events();
      const set = fields(input, joinUrl);
      // Optional fields the new input leaves out must go, not linger from the old version.
      const unset = Object.fromEntries(
        OPTIONAL_FIELDS.filter((name) => set[name] === undefined).map((name) => [name, 1]),
      );
      const update = await model.updateOne(
        { _id: idOf(providerEventId), calendarId: owner },
        { $set: set, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) },
      );
      if (update.matchedCount === 0) {
        throw new ProviderError(`no local event ${providerEventId} in ${owner}'s calendar`, 404);
      }
      return created(providerEventId, joinUrl);
    },

    async deleteEvent(providerEventId, signal) {
      signal?.throwIfAborted();
      if (!OBJECT_ID.test(providerEventId)) return; // never existed: nothing to delete
      await (await events()).deleteOne({ _id: providerEventId, calendarId: owner });
    },

    async upcoming(range, signal) {
      checkRange(range, 'upcoming range');
      const limit = upcomingLimit(range.limit);
      signal?.throwIfAborted();
      const model = await events();
      const found = await model
        .find({
          $or: [{ calendarId: owner }, { 'attendees.email': owner }],
          start: { $lt: range.end },
          end: { $gt: range.start },
        })
        .sort({ start: 1 })
        .limit(limit)
        .lean();
      return found.map((event) => ({
        providerEventId: event._id.toHexString(),
        title: event.title,
        start: event.start,
        end: event.end,
        attendees: event.attendees.map((a) => a.email),
        ...(event.joinUrl ? { joinUrl: event.joinUrl } : {}),
      }));
    },
  };
}

function fields(input: EventInput, joinUrl: string | undefined): Partial<LocalEventDoc> {
  return {
    title: input.title,
    start: input.start,
    end: input.end,
    timeZone: input.timeZone,
    attendees: input.attendees.map((a) => ({
      email: normalize(a.email),
      ...(a.name ? { name: a.name } : {}),
      ...(a.optional ? { optional: true } : {}),
    })),
    ...(input.description ? { description: input.description } : {}),
    ...(input.location ? { location: input.location } : {}),
    ...(joinUrl ? { joinUrl } : {}),
  };
}

function created(providerEventId: string, joinUrl: string | undefined): CreatedEvent {
  return { providerEventId, ...(joinUrl ? { joinUrl } : {}) };
}

function idOf(providerEventId: string): string {
  if (!OBJECT_ID.test(providerEventId)) {
    throw new ProviderError(`no local event ${providerEventId}: not a local event id`, 404);
  }
  return providerEventId;
}

function normalize(email: string): string {
  return email.trim().toLowerCase();
}
