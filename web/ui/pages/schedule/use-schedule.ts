// The Schedule page's state: what the person filled in, and searching and booking with it.
import { useState } from 'react';
import { api, ApiError } from '../../../../infra/ui/api.ts';
import type { FindTimesView, SlotView } from '../../../../infra/ui/types.ts';
import type { PersonAvailabilityView } from '../../../../infra/ui/WeekGrid.tsx';
import { fieldErrorOf } from '../../field-error.ts';
import type { BookedView } from './BookedNotice.tsx';
import { useDefaultLinkType } from './LinkChoice.tsx';
import { recurrenceOf, type Repeat } from './RepeatControl.tsx';
import { useRotation } from './use-rotation.ts';

export interface Person {
  id: string;
  name: string;
  email: string;
}

/** The browser's local date (YYYY-MM-DD), as a date input wants it. */
const isoDay = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export function useScheduleForm() {
  const tomorrow = new Date(Date.now() + 86_400_000);
  const [chosen, setChosen] = useState<string[]>([]);
  const [guests, setGuests] = useState('');
  const [title, setTitle] = useState('');
  const [duration, setDuration] = useState('30');
  const [from, setFrom] = useState(isoDay(tomorrow));
  const [to, setTo] = useState(isoDay(new Date(tomorrow.getTime() + 6 * 86_400_000)));
  const [notes, setNotes] = useState('');
  const [link, setLink, defaultLink] = useDefaultLinkType();
  const [repeat, setRepeat] = useState<Repeat>('none');
  const [repeatCount, setRepeatCount] = useState('8');
  /** Why the days chosen cannot be searched (e.g. they are over), shown at the "To" field. */
  const [toError, setToError] = useState<string | null>(null);
  const guestEmails = guests
    .split(/[\s,;]+/)
    .map((g) => g.trim())
    .filter(Boolean);
  /** After a booking: the next meeting starts from an empty form (days and length kept). */
  const reset = () => {
    setChosen([]);
    setGuests('');
    setTitle('');
    setNotes('');
    setLink(defaultLink);
    setRepeat('none');
  };
  return {
    reset,
    link,
    setLink,
    chosen,
    setChosen,
    guests,
    setGuests,
    title,
    setTitle,
    duration,
    setDuration,
    from,
    setFrom,
    to,
    setTo,
    notes,
    setNotes,
    repeat,
    setRepeat,
    repeatCount,
    setRepeatCount,
    toError,
    setToError,
    guestEmails,
  };
}
export type ScheduleForm = ReturnType<typeof useScheduleForm>;

export function useSchedule(form: ScheduleForm, colleagues: Person[]) {
  const { chosen, guestEmails, duration, from, to, title, notes, link, setToError } = form;
  const recurrence = recurrenceOf(form);
  const [found, setFound] = useState<FindTimesView | null>(null);
  const [grid, setGrid] = useState<{
    window: { start: string; end: string };
    people: PersonAvailabilityView[];
  } | null>(null);
  const [picked, setPicked] = useState<SlotView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Why the chosen meeting link cannot be made (what to connect), shown at that field. */
  const [linkError, setLinkError] = useState<string | null>(null);
  const [booked, setBooked] = useState<BookedView | null>(null);
  const rotation = useRotation();
  const names = new Map(colleagues.map((c) => [c.email, c.name]));
  const attendeesOf = () =>
    [...chosen, ...guestEmails].map((email) => ({
      email,
      ...(names.get(email) ? { name: names.get(email) } : {}),
    }));

  /** Asks for slots and the week's free/busy; again after booking, so both show the new meeting. */
  const search = async () => {
    setBusy(true);
    setError(null);
    setToError(null);
    setPicked(null);
    rotation.setPlan(null);
    try {
      const bad = guestEmails.find((g) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(g));
      if (bad) throw new Error(`"${bad}" is not an email address. Separate guests with commas.`);
      // The window's days, from the viewer's midnight (the browser's) to the end of the last day.
      const start = new Date(`${from}T00:00:00`);
      const end = new Date(`${to}T00:00:00`);
      end.setDate(end.getDate() + 1);
      if (!(end > start)) throw new Error('The last day must not be before the first day.');
      const emails = [...chosen, ...guestEmails];
      const gridEnd = new Date(Math.min(end.getTime(), start.getTime() + 7 * 86_400_000));
      const [slots, overview] = await Promise.all([
        api<FindTimesView>('/api/scheduling/find', {
          body: {
            attendees: emails.map((email) => ({ email })),
            durationMinutes: Number(duration),
            window: { start: start.toISOString(), end: end.toISOString() },
            limit: 8,
            ...(recurrence ? { recurrence } : {}),
          },
        }),
        api<{ window: { start: string; end: string }; people: PersonAvailabilityView[] }>(
          '/api/scheduling/availability',
          { body: { emails, window: { start: start.toISOString(), end: gridEnd.toISOString() } } },
        ),
      ]);
      setFound(slots);
      setGrid(overview);
      // A weekly series with no time inside everyone's hours: offer times that take turns too.
      if (recurrence?.interval === 1 && (slots.leastBurden || slots.slots.length === 0)) {
        await rotation.ask({
          attendees: attendeesOf(),
          durationMinutes: Number(duration),
          window: { start: start.toISOString(), end: end.toISOString() },
          count: recurrence.count,
        });
      }
    } catch (e) {
      const problem = fieldErrorOf(e);
      if (problem?.field === 'window.end') {
        // Nothing was searched: an earlier answer must not stand beside the refusal.
        setFound(null);
        setGrid(null);
        setToError(problem.text);
      } else setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const book = async () => {
    if (!picked) return;
    setBusy(true);
    setError(null);
    setLinkError(null);
    try {
      const result = await api<{ booking: BookedView }>('/api/bookings', {
        body: {
          title: title.trim() || 'Meeting',
          start: picked.start,
          end: picked.end,
          attendees: attendeesOf(),
          linkType: link,
          ...(notes.trim() ? { description: notes.trim() } : {}),
          ...(recurrence ? { recurrence } : {}),
        },
      });
      setBooked(result.booking);
      setPicked(null);
      // The week is asked again with the same people, so it shows the new meeting; then the
      // form is emptied and the old suggestions go, so nothing is booked twice by mistake.
      await search();
      setFound(null);
      form.reset();
    } catch (e) {
      const message = (e as Error).message;
      if (e instanceof ApiError && e.code === 'link-unavailable') setLinkError(message);
      else
        setError(
          e instanceof ApiError && e.code === 'slot-taken'
            ? `${message} Find times again.`
            : message,
        );
    } finally {
      setBusy(false);
    }
  };

  /** Books the rotation shown; then, as after one booking, the week again and an empty form. */
  const bookRotation = async () => {
    setBusy(true);
    setError(null);
    setLinkError(null);
    setBooked(null);
    try {
      await rotation.book({
        title: title.trim() || 'Meeting',
        linkType: link,
        ...(notes.trim() ? { description: notes.trim() } : {}),
      });
      await search();
      setFound(null);
      rotation.setPlan(null);
      form.reset();
    } catch (e) {
      const message = (e as Error).message;
      if (e instanceof ApiError && e.code === 'link-unavailable') setLinkError(message);
      else setError(message);
    } finally {
      setBusy(false);
    }
  };

  return {
    rotation,
    bookRotation,
    found,
    grid,
    picked,
    setPicked,
    busy,
    error,
    linkError,
    booked,
    setBooked,
    search,
    book,
  };
}
