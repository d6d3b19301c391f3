// The Home page's lists: upcoming bookings, recorded meetings, and their open action items.
import { Spinner, Subtitle1, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api } from '../../../../infra/ui/api.ts';
import { actionItemText } from '../../../../infra/ui/MeetingSummary.tsx';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { formatRange } from '../../../../infra/ui/time.ts';
import type { ActionItemView } from '../../../../infra/ui/types.ts';
import { AppLink } from '../../router.tsx';
import { NewMeeting } from './NewMeeting.tsx';

export interface BookingItem {
  _id: string;
  title: string;
  start: string;
  end: string;
  joinUrl: string | null;
}
export interface MeetingItem {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  status: string;
}
interface Loaded<T> {
  data: T | null;
  error: string | null;
}

export function UpcomingMeetings({
  bookings,
  zone,
}: {
  bookings: Loaded<{ bookings: BookingItem[] }>;
  zone: string | undefined;
}) {
  return (
    <section aria-labelledby="upcoming" className="stack">
      <Subtitle1 as="h3" id="upcoming">
        Upcoming meetings
      </Subtitle1>
      {bookings.error ? <Notice intent="error">{bookings.error}</Notice> : null}
      {!bookings.data ? (
        <Spinner size="tiny" label="Loading…" />
      ) : bookings.data.bookings.length === 0 ? (
        <Text>
          Nothing booked yet. <AppLink to="/app/schedule">Find a time</AppLink>.
        </Text>
      ) : (
        <ul>
          {bookings.data.bookings.map((b) => (
            <li key={b._id}>
              <AppLink to={`/app/bookings/${b._id}`}>{b.title}</AppLink> —{' '}
              {formatRange(b.start, b.end, zone)}
              {b.joinUrl ? (
                <>
                  {' '}
                  <a href={b.joinUrl}>join</a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function RecentMeetings({
  meetings,
  zone,
}: {
  meetings: Loaded<{ meetings: MeetingItem[] }>;
  zone: string | undefined;
}) {
  return (
    <section aria-labelledby="recent" className="stack">
      <Subtitle1 as="h3" id="recent">
        Meetings and summaries
      </Subtitle1>
      {meetings.error ? <Notice intent="error">{meetings.error}</Notice> : null}
      {(meetings.data?.meetings ?? []).length === 0 ? (
        <Text>No meetings recorded yet.</Text>
      ) : (
        <ul>
          {meetings.data!.meetings.map((m) => (
            <li key={m.id}>
              <AppLink to={`/app/meetings/${m.id}`}>{m.title}</AppLink> —{' '}
              {formatRange(m.startsAt, m.endsAt, zone)} ({m.status})
            </li>
          ))}
        </ul>
      )}
      <NewMeeting />
    </section>
  );
}

/** The open action items of the five latest ready meetings, each fetched in full. */
function useOpenItems(meetings: MeetingItem[] | undefined) {
  const [openItems, setOpenItems] = useState<Array<ActionItemView & { meeting: MeetingItem }>>([]);
  const ready = (meetings ?? []).filter((m) => m.status === 'ready').slice(0, 5);
  const readyIds = ready.map((m) => m.id).join(',');
  useEffect(() => {
    let live = true;
    void Promise.all(
      ready.map(async (m) => {
        const full = await api<{ actionItems: ActionItemView[] }>(`/api/meetings/${m.id}`).catch(
          () => ({ actionItems: [] }),
        );
        return full.actionItems.filter((a) => !a.done).map((a) => ({ ...a, meeting: m }));
      }),
    ).then((lists) => live && setOpenItems(lists.flat()));
    return () => {
      live = false;
    };
  }, [readyIds]);
  return openItems;
}

export function OpenActionItems({ meetings }: { meetings: MeetingItem[] | undefined }) {
  const openItems = useOpenItems(meetings);
  return (
    <section aria-labelledby="open-items" className="stack">
      <Subtitle1 as="h3" id="open-items">
        Open action items
      </Subtitle1>
      {openItems.length === 0 ? (
        <Text>No open action items.</Text>
      ) : (
        <ul>
          {openItems.map((a) => (
            <li key={`${a.meeting.id}:${a.index}`}>
              {actionItemText(a)} ·{' '}
              <AppLink to={`/app/meetings/${a.meeting.id}`}>{a.meeting.title}</AppLink>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
