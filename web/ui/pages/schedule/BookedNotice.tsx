// The confirmation of a booking: what, when (in the person's zone), and its join link when it
// has one, so the link is there the moment the meeting is booked.
import type { ReactNode } from 'react';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { formatRange } from '../../../../infra/ui/time.ts';

export interface BookedView {
  _id: string;
  title: string;
  start: string;
  end: string;
  joinUrl: string | null;
}

export function BookedNotice({
  booked,
  zone,
  children,
}: {
  booked: BookedView;
  zone: string | undefined;
  children?: ReactNode;
}) {
  return (
    <Notice intent="success" title="Booked">
      {booked.title}, {formatRange(booked.start, booked.end, zone)}. The invitation is on your
      calendar.{' '}
      {booked.joinUrl ? (
        <>
          Join link: <a href={booked.joinUrl}>{booked.joinUrl}</a>.{' '}
        </>
      ) : (
        'No online meeting link. '
      )}
      {children}
    </Notice>
  );
}
