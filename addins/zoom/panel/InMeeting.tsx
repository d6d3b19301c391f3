// The panel in a meeting: the agenda Quorum generated, the participants, live transcript lines,
// the summary and action items once they exist (shareable to the meeting chat), and follow-ups.
import { Caption1, Spinner, Subtitle2, Title3 } from '@fluentui/react-components';
import { AgendaView } from '../../../infra/ui/AgendaView.tsx';
import { MeetingSummary } from '../../../infra/ui/MeetingSummary.tsx';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { FollowUp } from './FollowUp.tsx';
import { LiveTranscript } from './LiveTranscript.tsx';
import type { PanelUser } from './session.ts';
import { ShareSummary } from './ShareSummary.tsx';
import { useInMeeting, useShareTargets } from './use-in-meeting.ts';
import type { ZoomSdk } from './zoom-sdk.ts';

export function InMeeting({ sdk, user }: { sdk: ZoomSdk; user: PanelUser }) {
  const targets = useShareTargets();
  const { loaded, error, live } = useInMeeting(sdk);

  if (error) return <Notice intent="error">{error}</Notice>;
  if (!loaded) return <Spinner label="Loading this meeting…" />;
  const { booking, meeting, agenda, participants } = loaded;
  const everyone = booking
    ? [booking.organizerEmail, ...booking.attendees.map((a) => a.email)]
    : [];
  const others = [...new Set(everyone.map((e) => e.toLowerCase()))].filter(
    (e) => e !== user.email.toLowerCase(),
  );
  const done = meeting && (meeting.summary !== null || meeting.actionItems.length > 0);

  return (
    <main style={{ display: 'grid', gap: 16, padding: 12 }}>
      <Title3 as="h1">{booking?.title ?? loaded.topic}</Title3>
      {booking ? null : (
        <Notice intent="info">
          Quorum did not book this meeting, so it has no agenda here. Its transcript and summary
          arrive after it ends when your Zoom account is linked.
        </Notice>
      )}
      {agenda ? <AgendaView items={agenda} level="h2" /> : null}
      <section aria-label="Participants">
        <Subtitle2 as="h2">Participants</Subtitle2>
        {participants ? (
          <ul>
            {participants.map((name, i) => (
              <li key={`${name}-${i}`}>{name}</li>
            ))}
          </ul>
        ) : (
          <Caption1>Zoom shows the participant list to the host only.</Caption1>
        )}
        {booking ? <Caption1>Invited: {everyone.join(', ')}</Caption1> : null}
      </section>
      <LiveTranscript {...live} />
      {meeting ? (
        <MeetingSummary summary={meeting.summary} actionItems={meeting.actionItems} level="h2" />
      ) : null}
      {meeting && done ? <ShareSummary sdk={sdk} meeting={meeting} targets={targets} /> : null}
      <FollowUp
        title={booking?.title ?? loaded.topic}
        bookingId={booking?._id ?? null}
        attendees={others}
        durationMinutes={
          booking ? Math.round((Date.parse(booking.end) - Date.parse(booking.start)) / 60_000) : 30
        }
      />
    </main>
  );
}
