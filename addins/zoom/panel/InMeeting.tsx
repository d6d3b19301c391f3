// The panel in a meeting: the agenda Quorum generated, the participants, live transcript lines,
// the summary and action items once they exist (shareable to the meeting chat), and follow-ups.
import { Button, Caption1, Spinner, Subtitle2, Title3 } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { AgendaView } from '../../../infra/ui/AgendaView.tsx';
import { ApiError } from '../../../infra/ui/api.ts';
import { MeetingSummary } from '../../../infra/ui/MeetingSummary.tsx';
import { Notice } from '../../../infra/ui/Notice.tsx';
import type { AgendaItemView } from '../../../infra/ui/types.ts';
import { FollowUp } from './FollowUp.tsx';
import { LiveTranscript, useLiveTranscript } from './LiveTranscript.tsx';
import { chatMessage } from './share.ts';
import type { AgendaView as AgendaAnswer, BookingView, MeetingView } from './types.ts';
import { panelApi as api, type PanelUser } from './session.ts';
import type { ZoomSdk } from './zoom-sdk.ts';

interface Loaded {
  topic: string;
  participants: string[] | null;
  booking: BookingView | null;
  meeting: MeetingView | null;
  agenda: AgendaItemView[] | null;
}

const REFRESH_MS = 20_000;

const platformName = (to: string) => (to === 'slack' ? 'Slack' : 'Teams');

export function InMeeting({ sdk, user }: { sdk: ZoomSdk; user: PanelUser }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shared, setShared] = useState<'idle' | 'sending' | 'sent' | 'failed'>('idle');
  // Null until Quorum said which platforms the organization connected.
  const [targets, setTargets] = useState<string[] | null>(null);
  const [sharingTo, setSharingTo] = useState<string | null>(null);
  const [elsewhere, setElsewhere] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    // Slack (or Teams) when the organization connected it: the summary can be shared there too.
    api<{ targets: string[] }>('/api/share-targets')
      .then((r) => setTargets(r.targets))
      .catch(() => setTargets([]));
  }, []);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const context = await sdk.getMeetingContext();
      const { meetingUUID } = await sdk.getMeetingUUID();
      // Zoom gives the participant list to the host (and co-hosts) only.
      const participants = await sdk
        .getMeetingParticipants()
        .then((r) => r.participants.map((p) => p.screenName))
        .catch(() => null);
      const zoomMeetingId = context.meetingID.replace(/\D/g, '');
      const found = await api<{ bookingId: string | null; meetingId: string | null }>(
        `/zoom/api/meeting?zoomMeetingId=${encodeURIComponent(zoomMeetingId)}&uuid=${encodeURIComponent(meetingUUID)}`,
      );
      let booking: BookingView | null = null;
      let meeting: MeetingView | null = null;
      let agenda: AgendaItemView[] | null = null;
      if (found.bookingId) {
        booking = (await api<{ booking: BookingView }>(`/api/bookings/${found.bookingId}`)).booking;
        const made = await api<{ id: string }>('/api/meetings', {
          body: { bookingId: found.bookingId },
        });
        meeting = await api<MeetingView>(`/api/meetings/${made.id}`);
        agenda = (await api<AgendaAnswer>(`/api/meetings/${made.id}/agenda`)).agenda;
      } else if (found.meetingId) {
        // A meeting Quorum did not book, whose transcript it received: its summary, if visible.
        meeting = await api<MeetingView>(`/api/meetings/${found.meetingId}`).catch(() => null);
      }
      if (!cancelled)
        setLoaded({ topic: context.meetingTopic, participants, booking, meeting, agenda });
    })().catch((e: unknown) => {
      if (!cancelled)
        setError(
          e instanceof ApiError ? e.message : 'This meeting could not be loaded. Reopen the app.',
        );
    });
    return () => {
      cancelled = true;
    };
  }, [sdk]);

  const meetingId = loaded?.meeting?.id ?? null;
  const refresh = useCallback(() => {
    if (!meetingId) return;
    api<MeetingView>(`/api/meetings/${meetingId}`)
      .then((meeting) => setLoaded((l) => (l ? { ...l, meeting } : l)))
      .catch(() => {});
  }, [meetingId]);
  // Action items and the summary appear as the meeting's content is processed.
  useEffect(() => {
    if (!meetingId || ['ready', 'failed'].includes(loaded?.meeting?.status ?? '')) return;
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [meetingId, loaded?.meeting?.status, refresh]);
  const live = useLiveTranscript(meetingId, refresh);

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

  async function share() {
    if (!meeting) return;
    setShared('sending');
    try {
      await sdk.sendMessageToChat({ message: chatMessage(meeting) });
      setShared('sent');
    } catch {
      setShared('failed');
    }
  }

  async function shareTo(to: string) {
    if (!meeting) return;
    setElsewhere(null);
    setSharingTo(to);
    try {
      await api(`/api/meetings/${meeting.id}/share`, { body: { to } });
      setElsewhere({ ok: true, text: `Shared to ${platformName(to)}.` });
    } catch (error) {
      setElsewhere({
        ok: false,
        text: error instanceof ApiError ? error.message : 'Sharing did not work; try again.',
      });
    } finally {
      setSharingTo(null);
    }
  }

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
      {done ? (
        <div role="group" aria-label="Share the summary" aria-busy={targets === null}>
          <Button onClick={() => void share()} disabled={shared === 'sending'}>
            Share to chat
          </Button>
          {(targets ?? []).map((to) => (
            <Button key={to} onClick={() => void shareTo(to)} disabled={sharingTo !== null}>
              Share to {platformName(to)}
            </Button>
          ))}
          {elsewhere ? (
            <Notice intent={elsewhere.ok ? 'success' : 'error'}>{elsewhere.text}</Notice>
          ) : null}
          {shared === 'sent' ? <Notice intent="success">Shared to the meeting chat.</Notice> : null}
          {shared === 'failed' ? (
            <Notice intent="error">
              Zoom did not take the message. Are you still in the meeting?
            </Notice>
          ) : null}
        </div>
      ) : null}
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
