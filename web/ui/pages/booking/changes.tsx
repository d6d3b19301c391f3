// Changing a booking from its page: move it (same length, a new start) or cancel it. Each
// refusal is shown at the control it concerns.
import { Button, Field, Input, Subtitle1, Text } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../../../infra/ui/api.ts';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { fieldErrorOf } from '../../field-error.ts';
import { localInput, type BookingView } from './booking-view.ts';

export function Reschedule({
  booking,
  onChanged,
}: {
  booking: BookingView;
  onChanged: () => Promise<void>;
}) {
  const [start, setStart] = useState(localInput(booking.start));
  const [problem, setProblem] = useState<string | null>(null);
  const [moved, setMoved] = useState(false);
  const move = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setMoved(false);
    const from = new Date(start);
    if (Number.isNaN(from.getTime())) {
      setProblem('Choose a day and a time.');
      return;
    }
    const length = new Date(booking.end).getTime() - new Date(booking.start).getTime();
    try {
      await api(`/api/bookings/${booking._id}/reschedule`, {
        body: { start: from.toISOString(), end: new Date(from.getTime() + length).toISOString() },
      });
      setMoved(true);
      await onChanged();
    } catch (e) {
      setProblem(fieldErrorOf(e)?.text ?? (e as Error).message);
    }
  };
  return (
    <form onSubmit={move} className="stack" aria-labelledby="reschedule">
      <Subtitle1 as="h3" id="reschedule">
        Reschedule
      </Subtitle1>
      <div className="row">
        <Field label="New start" validationMessage={problem ?? undefined}>
          <Input type="datetime-local" value={start} onChange={(_, d) => setStart(d.value)} />
        </Field>
        <Button type="submit">Move the meeting</Button>
      </div>
      {moved ? <Notice intent="success">Moved; everyone invited gets the new time.</Notice> : null}
    </form>
  );
}

export function CancelBooking({
  booking,
  onChanged,
  series = false,
}: {
  booking: BookingView;
  onChanged: () => Promise<void>;
  /** A repeating meeting: cancelling here cancels every meeting of it, and says so. */
  series?: boolean;
}) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = async () => {
    setError(null);
    try {
      await api(`/api/bookings/${booking._id}`, { method: 'DELETE' });
      await onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section aria-labelledby="cancel" className="stack">
      <Subtitle1 as="h3" id="cancel">
        Cancel
      </Subtitle1>
      {error ? <Notice intent="error">{error}</Notice> : null}
      {confirming ? (
        <div className="row">
          <Text>
            Cancel {booking.title}
            {series ? ', every meeting of the series,' : ''} for everyone?
          </Text>
          <Button appearance="primary" onClick={() => void cancel()}>
            Yes, cancel it
          </Button>
          <Button onClick={() => setConfirming(false)}>Keep it</Button>
        </div>
      ) : (
        <div>
          <Button onClick={() => setConfirming(true)}>
            {series ? 'Cancel the whole series' : 'Cancel the meeting'}
          </Button>
        </div>
      )}
    </section>
  );
}
