// What a guest sees at /book/:slug: the free times in their own time zone, a short form, and a
// confirmation with the event as an .ics file.
import {
  Button,
  Field,
  Input,
  Spinner,
  Subtitle1,
  Text,
  Textarea,
  Title1,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../../infra/ui/api.ts';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { formatRange, viewerTimeZone } from '../../../infra/ui/time.ts';
import { useApi } from '../use-api.ts';

interface PublicPage {
  slug: string;
  title: string;
  description: string;
  durationMinutes: number;
  owner: string;
  hosts: string[];
  slots: Array<{ start: string; end: string }>;
}
interface Confirmation {
  booking: { id: string; title: string; start: string; end: string; joinUrl: string | null };
  icsUrl: string;
}

export function PublicBookingPage({ slug }: { slug: string }) {
  const page = useApi<PublicPage>(`/api/public/booking-pages/${encodeURIComponent(slug)}`);
  const zone = viewerTimeZone();
  const [picked, setPicked] = useState<{ start: string; end: string } | null>(null);
  const [form, setForm] = useState({ name: '', email: '', notes: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Confirmation | null>(null);
  const [days, setDays] = useState(5);

  if (page.error) return <Notice intent="error">{page.error}</Notice>;
  if (!page.data) return <Spinner label="Loading free times…" />;
  const p = page.data;
  const byDay = new Map<string, PublicPage['slots']>();
  const dayFmt = new Intl.DateTimeFormat(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: zone,
  });
  const timeFmt = new Intl.DateTimeFormat(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: zone,
  });
  for (const s of p.slots) {
    const day = dayFmt.format(new Date(s.start));
    byDay.set(day, [...(byDay.get(day) ?? []), s]);
  }

  const book = async (event: FormEvent) => {
    event.preventDefault();
    if (!picked) return;
    setBusy(true);
    setError(null);
    try {
      setDone(
        await api<Confirmation>(`/api/public/booking-pages/${encodeURIComponent(slug)}/bookings`, {
          body: { ...form, start: picked.start },
        }),
      );
    } catch (e) {
      setError((e as Error).message);
      void page.reload();
    } finally {
      setBusy(false);
    }
  };

  if (done)
    return (
      <div className="stack">
        <Title1 as="h1">You are booked</Title1>
        <Notice intent="success" title={done.booking.title}>
          {formatRange(done.booking.start, done.booking.end, zone)} ({zone}). {p.owner} has it on
          their calendar.
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

  return (
    <div className="stack">
      <Title1 as="h1">{p.title}</Title1>
      <Text>
        {p.durationMinutes} minutes with {[p.owner, ...p.hosts].join(', ')}.
      </Text>
      {p.description ? <Text>{p.description}</Text> : null}
      {error ? <Notice intent="error">{error}</Notice> : null}
      {picked ? (
        <form onSubmit={book} className="stack" aria-label="Your details">
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
            <Textarea
              value={form.notes}
              onChange={(_, d) => setForm({ ...form, notes: d.value })}
            />
          </Field>
          <div className="row">
            <Button appearance="primary" type="submit" disabled={busy}>
              Book
            </Button>
            <Button onClick={() => setPicked(null)}>Choose another time</Button>
          </div>
        </form>
      ) : p.slots.length === 0 ? (
        <Notice intent="warning" title="No free times">
          There are no free times in the coming days. Try again later.
        </Notice>
      ) : (
        <section aria-label="Free times" className="stack">
          <Text>Times in your time zone, {zone}.</Text>
          {[...byDay].slice(0, days).map(([day, slots]) => (
            <div key={day}>
              <Subtitle1 as="h2" style={{ fontSize: 16 }}>
                {day}
              </Subtitle1>
              <ul
                style={{ display: 'flex', flexWrap: 'wrap', gap: 8, listStyle: 'none', padding: 0 }}
              >
                {slots.map((s) => (
                  <li key={s.start}>
                    <Button
                      onClick={() => setPicked(s)}
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
          {byDay.size > days ? (
            <Button onClick={() => setDays(days + 5)}>Show more days</Button>
          ) : null}
        </section>
      )}
    </div>
  );
}
