// Schedule: choose people, a duration and a window → the week as a picture (who is free when)
// and the ranked slots in the viewer's zone → book.
import {
  Button,
  Checkbox,
  Field,
  Input,
  Select,
  Spinner,
  Subtitle1,
  Text,
  Textarea,
  Title2,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../../infra/ui/api.ts';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { SlotList } from '../../../infra/ui/SlotList.tsx';
import { formatRange } from '../../../infra/ui/time.ts';
import type { FindTimesView, SlotView } from '../../../infra/ui/types.ts';
import { WeekGrid, type PersonAvailabilityView } from '../../../infra/ui/WeekGrid.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../use-api.ts';

interface Person {
  id: string;
  name: string;
  email: string;
}

/** The browser's local date (YYYY-MM-DD), as a date input wants it. */
const isoDay = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export function SchedulePage() {
  const { user } = useSession();
  const people = useApi<{ people: Person[] }>('/api/people');
  const settings = useApi<{ timeZone: string }>('/api/me/settings');
  const zone = settings.data?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const colleagues = (people.data?.people ?? []).filter((p) => p.email !== user?.email);
  const tomorrow = new Date(Date.now() + 86_400_000);
  const [chosen, setChosen] = useState<string[]>([]);
  const [guests, setGuests] = useState('');
  const [title, setTitle] = useState('');
  const [duration, setDuration] = useState('30');
  const [from, setFrom] = useState(isoDay(tomorrow));
  const [to, setTo] = useState(isoDay(new Date(tomorrow.getTime() + 6 * 86_400_000)));
  const [found, setFound] = useState<FindTimesView | null>(null);
  const [grid, setGrid] = useState<{
    window: { start: string; end: string };
    people: PersonAvailabilityView[];
  } | null>(null);
  const [picked, setPicked] = useState<SlotView | null>(null);
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [booked, setBooked] = useState<{ title: string; start: string; end: string } | null>(null);

  const guestEmails = guests
    .split(/[\s,;]+/)
    .map((g) => g.trim())
    .filter(Boolean);

  const find = (event: FormEvent) => {
    event.preventDefault();
    setBooked(null);
    void search();
  };

  /** Asks for slots and the week's free/busy; again after booking, so both show the new meeting. */
  const search = async () => {
    setBusy(true);
    setError(null);
    setPicked(null);
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
          },
        }),
        api<{ window: { start: string; end: string }; people: PersonAvailabilityView[] }>(
          '/api/scheduling/availability',
          { body: { emails, window: { start: start.toISOString(), end: gridEnd.toISOString() } } },
        ),
      ]);
      setFound(slots);
      setGrid(overview);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const book = async () => {
    if (!picked) return;
    setBusy(true);
    setError(null);
    try {
      const names = new Map(colleagues.map((c) => [c.email, c.name]));
      const result = await api<{ booking: { title: string; start: string; end: string } }>(
        '/api/bookings',
        {
          body: {
            title: title.trim() || 'Meeting',
            start: picked.start,
            end: picked.end,
            attendees: [...chosen, ...guestEmails].map((email) => ({
              email,
              ...(names.get(email) ? { name: names.get(email) } : {}),
            })),
            ...(notes.trim() ? { description: notes.trim() } : {}),
          },
        },
      );
      setBooked(result.booking);
      setPicked(null);
      await search();
    } catch (e) {
      const message = (e as Error).message;
      setError(
        e instanceof ApiError && e.code === 'slot-taken' ? `${message} Find times again.` : message,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="stack">
      <Title2 as="h2">Schedule a meeting</Title2>
      <form onSubmit={find} className="stack" aria-label="Meeting details">
        <Field label="Title">
          <Input value={title} onChange={(_, d) => setTitle(d.value)} placeholder="Project sync" />
        </Field>
        <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
          <legend>
            <Text weight="semibold">Colleagues</Text>
          </legend>
          {people.error ? <Notice intent="error">{people.error}</Notice> : null}
          {colleagues.length === 0 ? (
            <Text>No colleagues yet: an administrator adds them in Settings.</Text>
          ) : (
            <div className="row">
              {colleagues.map((c) => (
                <Checkbox
                  key={c.email}
                  label={`${c.name} (${c.email})`}
                  checked={chosen.includes(c.email)}
                  onChange={(_, d) =>
                    setChosen(
                      d.checked ? [...chosen, c.email] : chosen.filter((e) => e !== c.email),
                    )
                  }
                />
              ))}
            </div>
          )}
        </fieldset>
        <Field
          label="Guests (emails, separated by commas)"
          hint="People outside your organization: Quorum cannot see their calendars."
        >
          <Input value={guests} onChange={(_, d) => setGuests(d.value)} />
        </Field>
        <div className="row">
          <Field label="Duration">
            <Select value={duration} onChange={(_, d) => setDuration(d.value)}>
              {[15, 30, 45, 60, 90, 120].map((m) => (
                <option key={m} value={m}>
                  {m} minutes
                </option>
              ))}
            </Select>
          </Field>
          <Field label="From">
            <Input type="date" value={from} onChange={(_, d) => setFrom(d.value)} />
          </Field>
          <Field label="To">
            <Input type="date" value={to} onChange={(_, d) => setTo(d.value)} />
          </Field>
          <Button appearance="primary" type="submit" disabled={busy}>
            Find times
          </Button>
        </div>
      </form>
      {busy ? <Spinner size="tiny" label="Looking at calendars…" /> : null}
      {error ? <Notice intent="error">{error}</Notice> : null}
      {booked ? (
        <Notice intent="success" title="Booked">
          {booked.title}, {formatRange(booked.start, booked.end, zone)}. The invitation is on your
          calendar.
        </Notice>
      ) : null}
      {grid ? (
        <WeekGrid people={grid.people} window={grid.window} timeZone={zone} highlight={picked} />
      ) : null}
      {found ? (
        <div className="two-col">
          <div className="stack">
            <Subtitle1 as="h3">Best times</Subtitle1>
            <SlotList
              slots={found.slots}
              unknown={found.unknown}
              timeZone={zone}
              busy={busy}
              onPick={setPicked}
            />
          </div>
          {picked ? (
            <section aria-label="Book this time" className="stack">
              <Subtitle1 as="h3">Book {formatRange(picked.start, picked.end, zone)}</Subtitle1>
              <Field label="Notes for the invitation">
                <Textarea value={notes} onChange={(_, d) => setNotes(d.value)} />
              </Field>
              <Button appearance="primary" onClick={book} disabled={busy}>
                Book this time
              </Button>
            </section>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
