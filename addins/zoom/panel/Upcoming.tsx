// The panel outside a meeting (Zoom's main client): upcoming meetings and their agendas.
import { Button, Spinner, Text, Title3 } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { AgendaView } from '../../../infra/ui/AgendaView.tsx';
import { ApiError } from '../../../infra/ui/api.ts';
import { panelApi as api } from './session.ts';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { formatRange } from '../../../infra/ui/time.ts';
import type { AgendaItemView } from '../../../infra/ui/types.ts';
import type { AgendaView as AgendaAnswer, BookingView } from './types.ts';

function AgendaFor({ bookingId }: { bookingId: string }) {
  const [items, setItems] = useState<AgendaItemView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ id: string }>('/api/meetings', { body: { bookingId } })
      .then((m) => api<AgendaAnswer>(`/api/meetings/${m.id}/agenda`))
      .then((a) => setItems(a.agenda))
      .catch((e: unknown) =>
        setError(e instanceof ApiError ? e.message : 'The agenda could not be loaded.'),
      );
  }, [bookingId]);
  if (error) return <Notice intent="error">{error}</Notice>;
  return items ? <AgendaView items={items} level="h2" /> : <Spinner size="tiny" label="Agenda…" />;
}

export function Upcoming() {
  const [bookings, setBookings] = useState<BookingView[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ bookings: BookingView[] }>('/api/bookings')
      .then((r) => setBookings(r.bookings))
      .catch((e: unknown) =>
        setError(e instanceof ApiError ? e.message : 'Your meetings could not be loaded.'),
      );
  }, []);
  if (error) return <Notice intent="error">{error}</Notice>;
  if (!bookings) return <Spinner label="Loading your meetings…" />;
  return (
    <main style={{ display: 'grid', gap: 12, padding: 12 }}>
      <Title3 as="h1">Upcoming meetings</Title3>
      {bookings.length === 0 ? <Text>No upcoming meetings booked through Quorum.</Text> : null}
      <ul
        aria-label="Upcoming meetings"
        style={{ listStyle: 'none', padding: 0, display: 'grid', gap: 12 }}
      >
        {bookings.map((b) => (
          <li key={b._id}>
            <Text weight="semibold">{b.title}</Text> <Text>{formatRange(b.start, b.end)}</Text>{' '}
            <Button size="small" onClick={() => setOpen(open === b._id ? null : b._id)}>
              {open === b._id ? 'Hide agenda' : 'Agenda'}
            </Button>
            {open === b._id ? <AgendaFor bookingId={b._id} /> : null}
          </li>
        ))}
      </ul>
    </main>
  );
}
