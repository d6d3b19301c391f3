// The guest's booking page parts: the free times by day, the guest's details, and the
// confirmation with the event as an .ics file.
import {
  Button,
  Field,
  Input,
  Subtitle1,
  Text,
  Textarea,
  Title1,
} from '@fluentui/react-components';
import type { FormEvent } from 'react';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { formatRange } from '../../../../infra/ui/time.ts';

export interface Slot {
  start: string;
  end: string;
}
export interface Confirmation {
  booking: { id: string; title: string; start: string; end: string; joinUrl: string | null };
  icsUrl: string;
}
export interface GuestDetails {
  name: string;
  email: string;
  notes: string;
}

export function BookedConfirmation({
  done,
  zone,
  owner,
}: {
  done: Confirmation;
  zone: string;
  owner: string;
}) {
  return (
    <div className="stack">
      <Title1 as="h1">You are booked</Title1>
      <Notice intent="success" title={done.booking.title}>
        {formatRange(done.booking.start, done.booking.end, zone)} ({zone}). {owner} has it on their
        calendar.
      </Notice>
      {done.booking.joinUrl ? (
        <Text>
          Join at <a href={done.booking.joinUrl}>{done.booking.joinUrl}</a>
        </Text>
      ) : null}
      <Button as="a" appearance="primary" href={done.icsUrl} download="quorum-booking.ics">
        Add to my calendar (.ics)
      </Button>
    </div>
  );
}

export function GuestForm({
  picked,
  zone,
  form,
  setForm,
  busy,
  onBook,
  onChooseAnother,
}: {
  picked: Slot;
  zone: string;
  form: GuestDetails;
  setForm: (form: GuestDetails) => void;
  busy: boolean;
  onBook: (event: FormEvent) => void;
  onChooseAnother: () => void;
}) {
  return (
    <form onSubmit={onBook} className="stack" aria-label="Your details">
      <Subtitle1 as="h2">{formatRange(picked.start, picked.end, zone)}</Subtitle1>
      <Field label="Your name" required>
        <Input
          // Choosing a time replaces the list: put the keyboard where the form starts.
          autoFocus
          value={form.name}
          onChange={(_, d) => setForm({ ...form, name: d.value })}
          autoComplete="name"
        />
      </Field>
      <Field label="Your email" required>
        <Input
          type="email"
          value={form.email}
          onChange={(_, d) => setForm({ ...form, email: d.value })}
          autoComplete="email"
        />
      </Field>
      <Field label="Notes (optional)">
        <Textarea value={form.notes} onChange={(_, d) => setForm({ ...form, notes: d.value })} />
      </Field>
      <div className="row">
        <Button appearance="primary" type="submit" disabled={busy}>
          Book
        </Button>
        <Button onClick={onChooseAnother}>Choose another time</Button>
      </div>
    </form>
  );
}

export function FreeTimes({
  byDay,
  days,
  zone,
  timeFmt,
  onPick,
  onMoreDays,
}: {
  byDay: Map<string, Slot[]>;
  days: number;
  zone: string;
  timeFmt: Intl.DateTimeFormat;
  onPick: (slot: Slot) => void;
  onMoreDays: () => void;
}) {
  return (
    <section aria-label="Free times" className="stack">
      <Text>Times in your time zone, {zone}.</Text>
      {[...byDay].slice(0, days).map(([day, slots]) => (
        <div key={day}>
          <Subtitle1 as="h2" style={{ fontSize: 16 }}>
            {day}
          </Subtitle1>
          <ul style={{ display: 'flex', flexWrap: 'wrap', gap: 8, listStyle: 'none', padding: 0 }}>
            {slots.map((s) => (
              <li key={s.start}>
                <Button
                  onClick={() => onPick(s)}
                  aria-label={`Choose ${day} ${timeFmt.format(new Date(s.start))}`}
                  data-slot-start={s.start}
                >
                  {timeFmt.format(new Date(s.start))}
                </Button>
              </li>
            ))}
          </ul>
        </div>
      ))}
      {byDay.size > days ? <Button onClick={onMoreDays}>Show more days</Button> : null}
    </section>
  );
}
