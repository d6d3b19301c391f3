// What the in-meeting panel shows, loaded once from Zoom and Quorum, and its meeting refreshed
// as the content is processed.
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../../infra/ui/api.ts';
import type { AgendaItemView } from '../../../infra/ui/types.ts';
import { useLiveTranscript } from './LiveTranscript.tsx';
import type { AgendaView as AgendaAnswer, BookingView, MeetingView } from './types.ts';
import { panelApi as api } from './session.ts';
import type { ZoomSdk } from './zoom-sdk.ts';

export interface Loaded {
  topic: string;
  participants: string[] | null;
  booking: BookingView | null;
  meeting: MeetingView | null;
  agenda: AgendaItemView[] | null;
}

const REFRESH_MS = 20_000;

/** The meeting Zoom is in, its booking, Quorum's meeting record and agenda (when booked). */
async function loadMeeting(sdk: ZoomSdk): Promise<Loaded> {
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
  return { topic: context.meetingTopic, participants, booking, meeting, agenda };
}

/** Slack (or Teams) when the organization connected it: the summary can be shared there too. */
export function useShareTargets(): string[] | null {
  // Null until Quorum said which platforms the organization connected.
  const [targets, setTargets] = useState<string[] | null>(null);
  useEffect(() => {
    api<{ targets: string[] }>('/api/share-targets')
      .then((r) => setTargets(r.targets))
      .catch(() => setTargets([]));
  }, []);
  return targets;
}

export function useInMeeting(sdk: ZoomSdk) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    loadMeeting(sdk)
      .then((found) => {
        if (!cancelled) setLoaded(found);
      })
      .catch((e: unknown) => {
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
  return { loaded, error, live };
}
