// A follow-up with the same people: the next good times (the booking's follow-up search), booked
// with the chosen meeting link and tied to this booking.
import { Button, Subtitle1 } from '@fluentui/react-components';
import { useState } from 'react';
import { api } from '../../../../infra/ui/api.ts';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { SlotList } from '../../../../infra/ui/SlotList.tsx';
import type { FindTimesView, SlotView } from '../../../../infra/ui/types.ts';
import { AppLink } from '../../router.tsx';
import { LinkTypeSelect, useDefaultLinkType } from '../schedule/LinkChoice.tsx';
import { BookedNotice } from '../schedule/BookedNotice.tsx';
import type { BookingView } from './booking-view.ts';

export function FollowUp({
  booking,
  attendees,
  zone,
}: {
  booking: BookingView;
  attendees: BookingView['attendees'];
  zone: string | undefined;
}) {
  const [times, setTimes] = useState<FindTimesView | null>(null);
  const [link, setLink] = useDefaultLinkType();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ link: boolean; text: string } | null>(null);
  const [booked, setBooked] = useState<BookingView | null>(null);
  const find = async () => {
    setBusy(true);
    setProblem(null);
    try {
      setTimes(await api<FindTimesView>(`/api/bookings/${booking._id}/followup`));
    } catch (e) {
      setProblem({ link: false, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const book = async (slot: SlotView) => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await api<{ booking: BookingView }>('/api/bookings', {
        body: {
          title: `Follow-up: ${booking.title}`.slice(0, 200),
          start: slot.start,
          end: slot.end,
          attendees: attendees.map((a) => ({
            email: a.email,
            ...(a.name ? { name: a.name } : {}),
          })),
          linkType: link,
          followUpOf: booking._id,
          idempotencyKey: `web-followup:${booking._id}:${slot.start}`.slice(0, 200),
        },
      });
      setBooked(result.booking);
    } catch (e) {
      const linkRefused = (e as { code?: string }).code === 'link-unavailable';
      setProblem({ link: linkRefused, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="follow-up" className="stack">
      <Subtitle1 as="h3" id="follow-up">
        Follow-up
      </Subtitle1>
      {booked ? (
        <BookedNotice booked={booked} zone={zone}>
          <AppLink to={`/app/bookings/${booked._id}`}>Open the follow-up</AppLink>
        </BookedNotice>
      ) : times === null ? (
        <div>
          <Button onClick={() => void find()} disabled={busy}>
            Find times for a follow-up
          </Button>
        </div>
      ) : (
        <>
          <LinkTypeSelect
            value={link}
            onChange={setLink}
            problem={problem?.link ? problem.text : null}
          />
          <SlotList
            slots={times.slots}
            unknown={times.unknown}
            {...(zone ? { timeZone: zone } : {})}
            busy={busy}
            onPick={(slot) => void book(slot)}
            pickLabel="Book follow-up"
          />
        </>
      )}
      {problem && !problem.link ? <Notice intent="error">{problem.text}</Notice> : null}
    </section>
  );
}
