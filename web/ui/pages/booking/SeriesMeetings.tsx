// The meetings of a repeating booking, each with what can be done to it alone: move it, cancel
// it, or cancel it and every later one (the series then ends before it). Each meeting is named by
// where the rule put it (`original`), as every calendar names an occurrence.
import { Button, Field, Input, Subtitle1, Text } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../../../infra/ui/api.ts';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { formatDay, formatMoment, formatRange } from '../../../../infra/ui/time.ts';
import { fieldErrorOf } from '../../field-error.ts';
import { localInput, type BookingView, type SeriesMeeting } from './booking-view.ts';

type Change =
  | { action: 'cancel' | 'cancel-rest'; original: string }
  | { action: 'move'; original: string; start: string; end: string };

export function SeriesMeetings({
  booking,
  meetings,
  zone,
  onChanged,
}: {
  booking: BookingView;
  meetings: SeriesMeeting[];
  zone: string | undefined;
  onChanged: () => Promise<void>;
}) {
  const [done, setDone] = useState<string | null>(null);
  const change = async (body: Change, said: string) => {
    await api(`/api/bookings/${booking._id}/occurrences`, { body });
    setDone(said);
    await onChanged();
  };
  const upcoming = meetings.filter((m) => m.status !== 'cancelled').length;
  return (
    <section aria-labelledby="series-meetings" className="stack">
      <Subtitle1 as="h3" id="series-meetings">
        Meetings in this series
      </Subtitle1>
      <Text>
        {upcoming} of {meetings.length} meetings are on. Move or cancel one of them, or cancel one
        and every later one; everyone invited gets the change.
      </Text>
      {done ? <Notice intent="success">{done}</Notice> : null}
      <ol className="stack" aria-label="Meetings in this series">
        {meetings.map((m) => (
          <li key={m.original}>
            <SeriesMeetingRow booking={booking} meeting={m} zone={zone} onChange={change} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function SeriesMeetingRow({
  booking,
  meeting,
  zone,
  onChange,
}: {
  booking: BookingView;
  meeting: SeriesMeeting;
  zone: string | undefined;
  onChange: (body: Change, said: string) => Promise<void>;
}) {
  const [moving, setMoving] = useState(false);
  const [ending, setEnding] = useState(false);
  const [start, setStart] = useState(localInput(meeting.start));
  const [problem, setProblem] = useState<string | null>(null);
  const when = formatRange(meeting.start, meeting.end, zone);
  const attempt = async (body: Change, said: string) => {
    setProblem(null);
    try {
      await onChange(body, said);
      setMoving(false);
      setEnding(false);
    } catch (e) {
      setProblem(fieldErrorOf(e)?.text ?? (e as Error).message);
    }
  };
  if (meeting.status === 'cancelled') {
    return (
      <Text>
        <del>{when}</del> — cancelled
      </Text>
    );
  }
  const move = (event: FormEvent) => {
    event.preventDefault();
    const from = new Date(start);
    if (Number.isNaN(from.getTime())) {
      setProblem('Choose a day and a time.');
      return;
    }
    const length = new Date(meeting.end).getTime() - new Date(meeting.start).getTime();
    const to = { start: from.toISOString(), end: new Date(from.getTime() + length).toISOString() };
    void attempt(
      { action: 'move', original: meeting.original, ...to },
      `Moved the meeting of ${formatDay(meeting.original, zone)} to ${formatRange(to.start, to.end, zone)}.`,
    );
  };
  return (
    <div className="stack">
      <div className="row">
        <Text weight="semibold">{when}</Text>
        {meeting.status === 'moved' ? (
          <Text>(moved from {formatMoment(meeting.original, zone)})</Text>
        ) : null}
        <Button size="small" onClick={() => setMoving(!moving)} aria-expanded={moving}>
          Move…
        </Button>
        <Button
          size="small"
          onClick={() =>
            void attempt({ action: 'cancel', original: meeting.original }, `Cancelled ${when}.`)
          }
        >
          Cancel this one
        </Button>
        <Button size="small" onClick={() => setEnding(true)}>
          Cancel this and later ones
        </Button>
      </div>
      {ending ? (
        <div className="row">
          <Text>Cancel this meeting and every later one for everyone?</Text>
          <Button
            appearance="primary"
            onClick={() =>
              void attempt(
                { action: 'cancel-rest', original: meeting.original },
                meeting.original === booking.start
                  ? `Cancelled ${booking.title}: every meeting of the series.`
                  : `Cancelled ${when} and every later meeting.`,
              )
            }
          >
            Yes, cancel them
          </Button>
          <Button onClick={() => setEnding(false)}>Keep them</Button>
        </div>
      ) : null}
      {moving ? (
        <form onSubmit={move} className="row" aria-label={`Move the meeting of ${when}`}>
          <Field label="New start" validationMessage={problem ?? undefined}>
            <Input type="datetime-local" value={start} onChange={(_, d) => setStart(d.value)} />
          </Field>
          <Button type="submit">Move this one</Button>
        </form>
      ) : problem ? (
        <Notice intent="error">{problem}</Notice>
      ) : null}
    </div>
  );
}
