// The local calendar: events kept in the tenant's own database, for the embedded default.
//
// Everyone's calendar lives in the same place here, so an event blocks its owner and every
// attendee: booking a meeting makes all invitees busy, as invitations would elsewhere.
//
// Every read and write is by exact `_id` (see local-event-model.ts): an event by its derived
// id, and busy time from the week documents of the people asked about. An event's title and
// description are stored sealed (LOCAL_EVENT_TITLES).
import type { Envelope } from '../../privacy/envelope.ts';
import { sealedTitles } from '../../privacy/sealed-titles.ts';
import type { Store } from '../../store/store.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { findByIds } from '../../store/by-id.ts';
import { serialized } from '../../store/serial.ts';
import { documentKey } from '../../store/entry-maps.ts';
import { checkRange, clipToRange, upcomingLimit } from '../busy-range.ts';
import { checkEventInput } from '../event-input.ts';
import {
  ProviderError,
  type BusyInterval,
  type CalendarProvider,
  type CreatedEvent,
  type EventInput,
  type FreeBusyRequest,
  type FreeBusyResult,
  type SeriesChange,
  type UpcomingEvent,
} from '../provider.ts';
import { changedSeries } from './local-series.ts';
import { isDuplicateKeyError } from '../../privacy/duplicate-key.ts';
import {
  LOCAL_EVENT_TITLES,
  LocalEvent,
  LocalWeek,
  eventIdOfEntry,
  localEventId,
  weekDocId,
  weeksOf,
  type LocalEventDoc,
} from './local-event-model.ts';
import { indexEvent, unindexEvent } from './local-weeks.ts';

const OBJECT_ID = /^[0-9a-f]{24}$/i;
const OPTIONAL_FIELDS = ['description', 'location', 'joinUrl'] as const;

export interface LocalCalendarOptions {
  store: Store;
  /** Seals events' titles and descriptions (core/privacy/sealed-titles.ts). */
  envelope: Envelope;
  tenant: TenantContext;
  /** The user whose calendar this is; their email is its calendar id. */
  ownerEmail: string;
}

export function localCalendarProvider(options: LocalCalendarOptions): CalendarProvider {
  return new LocalCalendar(options);
}

/**
 * One owner's local calendar. Its methods are own properties bound to it, so a caller may pass
 * `calendar.freeBusy` on by itself.
 */
class LocalCalendar implements CalendarProvider {
  readonly kind = 'local' as const;
  private readonly options: LocalCalendarOptions;
  private readonly owner: string;
  private readonly titles;

  constructor(options: LocalCalendarOptions) {
    this.options = options;
    this.titles = sealedTitles(options.envelope, LOCAL_EVENT_TITLES);
    const owner = normalize(options.ownerEmail);
    if (!owner.includes('@')) {
      throw new RangeError(`local calendar ownerEmail must be an email, got ${options.ownerEmail}`);
    }
    this.owner = owner;
  }

  freeBusy = async (request: FreeBusyRequest, signal?: AbortSignal): Promise<FreeBusyResult> => {
    checkRange(request, 'free/busy request');
    signal?.throwIfAborted();
    const ids = [...new Set(request.calendars)];
    const emails = [...new Set(ids.map(normalize))];
    const found = await this.entriesOf(emails, request);
    signal?.throwIfAborted();
    const result: FreeBusyResult = {};
    for (const id of ids) {
      const busy = [...(found.get(normalize(id))?.values() ?? [])];
      result[id] = { ok: true, busy: clipToRange(busy, request) };
    }
    return result;
  };

  createEvent = async (input: EventInput, signal?: AbortSignal): Promise<CreatedEvent> => {
    const joinUrl = checkEventInput(input, undefined, 'The local calendar');
    signal?.throwIfAborted();
    const [model, weekModel] = [await this.events(), await this.weeks()];
    const _id = localEventId(this.owner, input.requestId);
    try {
      // The id comes from the owner and the request: a retry (or a racing twin) is refused
      // here, atomically, and finds the event it made.
      const event = await model.create(
        await this.titles.seal(this.options.tenant, {
          _id,
          calendarId: this.owner,
          requestId: input.requestId,
          ...fields(input, joinUrl),
        }),
      );
      await indexEvent(weekModel, event.toObject());
      return created(_id.toHexString(), joinUrl);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const event = await model.findById(_id).lean();
      if (!event) throw error;
      // The first attempt may have stopped before its week entries were written.
      await indexEvent(weekModel, event);
      return created(_id.toHexString(), event.joinUrl);
    }
  };

  updateEvent = async (
    providerEventId: string,
    input: EventInput,
    signal?: AbortSignal,
  ): Promise<CreatedEvent> => {
    const joinUrl = checkEventInput(input, undefined, 'The local calendar');
    signal?.throwIfAborted();
    const id = idOf(providerEventId).toLowerCase();
    const [model, weekModel] = [await this.events(), await this.weeks()];
    // One change of an event at a time, so its week entries follow its last version.
    return serialized(documentKey(model, id), async () => {
      const previous = await this.ownEvent(id);
      if (!previous) {
        throw new ProviderError(
          `no local event ${providerEventId} in ${this.owner}'s calendar`,
          404,
        );
      }
      const set = fields(input, joinUrl);
      const next: LocalEventDoc = { ...previous, ...set, updatedAt: new Date() };
      // Optional fields the new input leaves out must go, not linger from the old version.
      for (const name of OPTIONAL_FIELDS) if (set[name] === undefined) delete next[name];
      // The new times are busy before the event moves, and the old ones free only after.
      await indexEvent(weekModel, next);
      await model.replaceOne(
        { _id: previous._id },
        await this.titles.seal(this.options.tenant, next),
      );
      await unindexEvent(weekModel, previous, next);
      return created(providerEventId, joinUrl);
    });
  };

  deleteEvent = async (providerEventId: string, signal?: AbortSignal): Promise<void> => {
    signal?.throwIfAborted();
    if (!OBJECT_ID.test(providerEventId)) return; // never existed: nothing to delete
    const id = providerEventId.toLowerCase();
    const [model, weekModel] = [await this.events(), await this.weeks()];
    await serialized(documentKey(model, id), async () => {
      const event = await this.ownEvent(id);
      if (!event) return;
      // Freed first: a stop half-way leaves an event nobody sees as busy, never a phantom.
      await unindexEvent(weekModel, event);
      await model.deleteOne({ _id: event._id });
    });
  };

  changeSeries = async (
    providerEventId: string,
    _series: unknown,
    change: SeriesChange,
    signal?: AbortSignal,
  ): Promise<void> => {
    signal?.throwIfAborted();
    const id = idOf(providerEventId).toLowerCase();
    const [model, weekModel] = [await this.events(), await this.weeks()];
    await serialized(documentKey(model, id), async () => {
      const previous = await this.ownEvent(id);
      if (!previous) {
        throw new ProviderError(
          `no local event ${providerEventId} in ${this.owner}'s calendar`,
          404,
        );
      }
      // The stored rule is the series' truth here: the local calendar is the calendar.
      const next = { ...changedSeries(previous, change), updatedAt: new Date() };
      await indexEvent(weekModel, next);
      await model.replaceOne(
        { _id: previous._id },
        await this.titles.seal(this.options.tenant, next),
      );
      await unindexEvent(weekModel, previous, next);
    });
  };

  upcoming = async (
    range: { start: Date; end: Date; limit?: number },
    signal?: AbortSignal,
  ): Promise<UpcomingEvent[]> => {
    checkRange(range, 'upcoming range');
    const limit = upcomingLimit(range.limit);
    signal?.throwIfAborted();
    const found = (await this.entriesOf([this.owner], range)).get(this.owner)!;
    // Entries are occurrences: a series appears once per occurrence, at its own times.
    const soonest = [...found]
      .sort(([, a], [, b]) => a.start - b.start || a.end - b.end)
      .slice(0, limit);
    const ids = [...new Set(soonest.map(([key]) => eventIdOfEntry(key)))];
    const docs = await this.titles.openAll(
      this.options.tenant,
      await findByIds(await this.events(), ids),
    );
    const byId = new Map(docs.map((doc) => [doc._id.toHexString(), doc]));
    return soonest.flatMap(([key, entry]) => {
      const event = byId.get(eventIdOfEntry(key));
      if (!event) return [];
      return [
        {
          providerEventId: event._id.toHexString(),
          title: event.title,
          start: new Date(entry.start),
          end: new Date(entry.end),
          attendees: event.attendees.map((a) => a.email),
          ...(event.joinUrl ? { joinUrl: event.joinUrl } : {}),
        },
      ];
    });
  };

  private events() {
    return this.options.store.tenantModel(this.options.tenant, LocalEvent);
  }

  private weeks() {
    return this.options.store.tenantModel(this.options.tenant, LocalWeek);
  }

  /** Busy entries of these people in the weeks `range` touches, by person, each event once. */
  private async entriesOf(emails: string[], range: { start: Date; end: Date }) {
    const ids = new Map<string, string>();
    for (const email of emails) {
      for (const week of weeksOf(range.start, range.end)) ids.set(weekDocId(email, week), email);
    }
    const docs = await findByIds(await this.weeks(), [...ids.keys()]);
    const byEmail = new Map(emails.map((e) => [e, new Map<string, BusyInterval>()]));
    for (const doc of docs) {
      const found = byEmail.get(ids.get(doc._id)!)!;
      for (const [id, entry] of Object.entries(doc.events ?? {})) {
        const start = new Date(entry.start).getTime();
        const end = new Date(entry.end).getTime();
        if (start < range.end.getTime() && end > range.start.getTime()) {
          found.set(id, { start, end, status: 'busy' });
        }
      }
    }
    return byEmail;
  }

  /** The owner's event, read by its id; undefined when it is not this owner's. */
  private async ownEvent(providerEventId: string): Promise<LocalEventDoc | undefined> {
    const doc = await (await this.events()).findById(providerEventId).lean();
    return doc && doc.calendarId === this.owner ? doc : undefined;
  }
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
    ...(input.recurrence
      ? { recurrence: input.recurrence, exceptions: { cancelled: [], moved: [] } }
      : {}),
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
