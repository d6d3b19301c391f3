// "Schedule follow-up": the next good times for the same people (the booking's follow-up
// search, or a search for the meeting's known participants), booked with the link the user
// picks, confirmed here.
import { Button, Field, Select, Subtitle2, Text } from '@fluentui/react-components';
import { useState } from 'react';
import { ApiError } from '../../../infra/ui/api.ts';
import { panelApi as api } from './session.ts';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { SlotList } from '../../../infra/ui/SlotList.tsx';
import { formatRange } from '../../../infra/ui/time.ts';
import type { FindTimesView, SlotView } from '../../../infra/ui/types.ts';
import { LINK_CHOICES, type BookingView, type LinkChoice } from './types.ts';

export interface FollowUpProps {
  title: string;
  bookingId: string | null;
  /** Everyone to invite except the user, who organizes the follow-up. */
  attendees: string[];
  durationMinutes: number;
}

export function FollowUp({ title, bookingId, attendees, durationMinutes }: FollowUpProps) {
  const [times, setTimes] = useState<FindTimesView | null>(null);
  const [linkType, setLinkType] = useState<LinkChoice>('zoom');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [booked, setBooked] = useState<BookingView | null>(null);

  async function find() {
    setBusy(true);
    setError(null);
    try {
      const now = Date.now();
      setTimes(
        bookingId
          ? await api<FindTimesView>(`/api/bookings/${encodeURIComponent(bookingId)}/followup`)
          : await api<FindTimesView>('/api/scheduling/find', {
              body: {
                attendees: attendees.map((email) => ({ email })),
                durationMinutes,
                window: {
                  start: new Date(now + 3_600_000).toISOString(),
                  end: new Date(now + 14 * 86_400_000).toISOString(),
                },
                limit: 5,
              },
            }),
      );
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Quorum could not find times. Try again.');
    } finally {
      setBusy(false);
    }
  }

  async function book(slot: SlotView) {
    setBusy(true);
    setError(null);
    try {
      const { booking } = await api<{ booking: BookingView }>('/api/bookings', {
        body: {
          title: `Follow-up: ${title}`.slice(0, 200),
          start: slot.start,
          end: slot.end,
          attendees: attendees.map((email) => ({ email })),
          linkType,
          // Without a booking to name, the server keys the request by its content (with the
          // title's fingerprint): a key made here with the title in it would be stored as is.
          ...(bookingId
            ? {
                followUpOf: bookingId,
                idempotencyKey: `zoom-followup:${bookingId}:${slot.start}`.slice(0, 200),
              }
            : {}),
        },
      });
      setBooked(booking);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The follow-up could not be booked. Try again.');
      if (e instanceof ApiError && e.status === 409) await find();
    } finally {
      setBusy(false);
    }
  }

  if (booked) {
    return (
      <Notice intent="success" title="Follow-up booked">
        {booked.title}, {formatRange(booked.start, booked.end)}
        {booked.joinUrl ? (
          <>
            {' '}
            — <a href={booked.joinUrl}>join link</a>
          </>
        ) : null}
        . Invitations went to{' '}
        {booked.attendees.length === 0
          ? 'nobody else'
          : booked.attendees.map((a) => a.email).join(', ')}
        .
      </Notice>
    );
  }
  return (
    <section aria-label="Schedule follow-up">
      <Subtitle2 as="h2">Follow-up</Subtitle2>
      {times === null ? (
        <Button appearance="primary" onClick={() => void find()} disabled={busy}>
          Schedule follow-up
        </Button>
      ) : (
        <>
          <Field label="Meeting link">
            <Select
              value={linkType}
              onChange={(_e, data) => setLinkType(data.value as LinkChoice)}
              disabled={busy}
            >
              {LINK_CHOICES.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </Select>
          </Field>
          <Text>Pick a time for {attendees.length === 0 ? 'yourself' : attendees.join(', ')}:</Text>
          <SlotList
            slots={times.slots}
            unknown={times.unknown}
            {...(times.leastBurdenNote ? { leastBurdenNote: times.leastBurdenNote } : {})}
            onPick={(slot) => void book(slot)}
            busy={busy}
            pickLabel="Book follow-up"
          />
        </>
      )}
      {error ? <Notice intent="error">{error}</Notice> : null}
    </section>
  );
}
