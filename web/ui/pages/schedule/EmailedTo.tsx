// What was emailed about a booking just made: "Invitation sent to gina@…", or, with email off,
// that the guests must be told by hand. Read from GET /api/bookings/:id/emails.
import { useEffect } from 'react';
import { useApi } from '../../use-api.ts';

interface SentView {
  emailOn: boolean;
  sendsInvitations: boolean;
  sent: Array<{ to: string; kind: string; state: string }>;
}

const KIND: Record<string, string> = {
  invitation: 'Invitation',
  update: 'Update',
  cancellation: 'Cancellation',
};

export function EmailedTo({ bookingId }: { bookingId: string }) {
  const { data, reload } = useApi<SentView>(
    `/api/bookings/${encodeURIComponent(bookingId)}/emails`,
  );
  const waiting = data?.sent.some((m) => m.state === 'queued' || m.state === 'sending') ?? false;
  // Queued messages go out within seconds: look again until they have.
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => void reload(), 2000);
    return () => clearTimeout(timer);
  }, [waiting, data, reload]);
  if (!data) return null;
  if (!data.emailOn) {
    return <p>Email is off here, so nobody was emailed: tell your guests yourself.</p>;
  }
  if (!data.sendsInvitations) return null;
  return (
    <ul>
      {data.sent.map((m) => (
        <li key={`${m.kind}:${m.to}`}>
          {KIND[m.kind] ?? 'Email'} {m.state === 'sent' ? 'sent' : 'being sent'} to {m.to}
          {m.state === 'failed' ? ' — it could not be delivered' : ''}
        </li>
      ))}
    </ul>
  );
}
