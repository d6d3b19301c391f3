// "Your next meeting": the web app's renderer of the assistant's `next` verb
// (GET /api/assistant/next), as Slack and Teams render the same reply in their own way.
import { Spinner, Subtitle1, Text } from '@fluentui/react-components';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { formatRange } from '../../../../infra/ui/time.ts';
import { useApi } from '../../use-api.ts';

interface NextMeetingReply {
  meeting: {
    bookingId: string;
    title: string;
    start: string;
    end: string;
    joinUrl: string | null;
  } | null;
}

/** Shown in the person's own time zone (their settings'), like the rest of Home. */
export function NextMeeting({ zone }: { zone: string | undefined }) {
  const next = useApi<NextMeetingReply>('/api/assistant/next');
  const meeting = next.data?.meeting;
  return (
    <section aria-labelledby="next-meeting" className="stack">
      <Subtitle1 as="h3" id="next-meeting">
        Your next meeting
      </Subtitle1>
      {next.error ? <Notice intent="error">{next.error}</Notice> : null}
      {!next.data ? (
        next.error ? null : (
          <Spinner size="tiny" label="Loading…" />
        )
      ) : !meeting ? (
        <Text>No upcoming meetings.</Text>
      ) : (
        <Text>
          <Text weight="semibold">{meeting.title}</Text> —{' '}
          {formatRange(meeting.start, meeting.end, zone)}
          {meeting.joinUrl ? (
            <>
              {' '}
              <a href={meeting.joinUrl}>Join {meeting.title}</a>
            </>
          ) : null}
        </Text>
      )}
    </section>
  );
}
