// What a guest sees at /book/:slug: the free times in their own time zone, a short form, and a
// confirmation with the event as an .ics file.
import { Spinner, Text, Title1 } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../../../infra/ui/api.ts';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { formatDay } from '../../../../infra/ui/time.ts';
import { viewerTimeZone } from '../../../../infra/ui/time.ts';
import { useApi } from '../../use-api.ts';
import { BookedConfirmation, FreeTimes, GuestForm, type Confirmation } from './parts.tsx';

interface PublicPage {
  slug: string;
  title: string;
  description: string;
  durationMinutes: number;
  owner: string;
  hosts: string[];
  slots: Array<{ start: string; end: string }>;
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
  const timeFmt = new Intl.DateTimeFormat(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: zone,
  });
  for (const s of p.slots) {
    const day = formatDay(s.start, zone);
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

  if (done) return <BookedConfirmation done={done} zone={zone} owner={p.owner} />;

  return (
    <div className="stack">
      <Title1 as="h1">{p.title}</Title1>
      <Text>
        {p.durationMinutes} minutes with {[p.owner, ...p.hosts].join(', ')}.
      </Text>
      {p.description ? <Text>{p.description}</Text> : null}
      {error ? <Notice intent="error">{error}</Notice> : null}
      {picked ? (
        <GuestForm
          picked={picked}
          zone={zone}
          form={form}
          setForm={setForm}
          busy={busy}
          onBook={book}
          onChooseAnother={() => setPicked(null)}
        />
      ) : p.slots.length === 0 ? (
        <Notice intent="warning" title="No free times">
          There are no free times in the coming days. Try again later.
        </Notice>
      ) : (
        <FreeTimes
          byDay={byDay}
          days={days}
          zone={zone}
          timeFmt={timeFmt}
          onPick={setPicked}
          onMoreDays={() => setDays(days + 5)}
        />
      )}
    </div>
  );
}
