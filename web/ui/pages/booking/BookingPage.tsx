// One upcoming meeting Quorum booked: when, who, its join link, and what can be done with it —
// move it to another time, cancel it, or book a follow-up with the same people.
import { Spinner, Text, Title2 } from '@fluentui/react-components';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { formatRange } from '../../../../infra/ui/time.ts';
import { useSession } from '../../session.tsx';
import { useApi } from '../../use-api.ts';
import { CancelBooking, Reschedule } from './changes.tsx';
import { FollowUp } from './FollowUp.tsx';
import type { BookingView, SeriesMeeting } from './booking-view.ts';
import { SeriesMeetings } from './SeriesMeetings.tsx';

export function BookingPage({ id }: { id: string }) {
  const { user } = useSession();
  const loaded = useApi<{ booking: BookingView; occurrences?: SeriesMeeting[] }>(
    `/api/bookings/${encodeURIComponent(id)}`,
  );
  const settings = useApi<{ timeZone: string }>('/api/me/settings');
  const zone = settings.data?.timeZone;
  const booking = loaded.data?.booking;
  if (!booking)
    return loaded.error ? (
      <Notice intent="error">{loaded.error}</Notice>
    ) : (
      <Spinner label="Loading the meeting…" />
    );
  const cancelled = booking.status === 'cancelled';
  const series = loaded.data?.occurrences;
  const others = booking.attendees.filter((a) => a.email !== user?.email);
  return (
    <div className="stack" style={{ maxWidth: 760 }}>
      <Title2 as="h2">{booking.title}</Title2>
      <Text>{formatRange(booking.start, booking.end, zone)}</Text>
      <Text>
        With {others.length === 0 ? 'nobody else' : others.map((a) => a.name || a.email).join(', ')}
        .
      </Text>
      {cancelled ? (
        <Notice intent="warning" title="Cancelled">
          This meeting is cancelled; the invitations were withdrawn.
        </Notice>
      ) : booking.joinUrl ? (
        <div>
          <a href={booking.joinUrl} className="join-link">
            Join {booking.title}
          </a>
        </div>
      ) : (
        <Text>No online meeting: it takes place in person.</Text>
      )}
      {cancelled ? null : (
        <>
          {/* A series is changed one meeting at a time: calendars do not move a whole series alike. */}
          {series ? (
            <SeriesMeetings
              booking={booking}
              meetings={series}
              zone={zone}
              onChanged={loaded.reload}
            />
          ) : (
            <Reschedule booking={booking} onChanged={loaded.reload} />
          )}
          <CancelBooking booking={booking} onChanged={loaded.reload} series={Boolean(series)} />
        </>
      )}
      <FollowUp booking={booking} attendees={others} zone={zone} />
    </div>
  );
}
