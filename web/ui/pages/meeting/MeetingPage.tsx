// One meeting: status (with progress while a recording uploads and is transcribed), the
// transcript with speakers and times, summary, decisions, action items; download as Markdown
// or JSON; delete, which shows the deletion certificate.
import { Spinner, Text, Title2 } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api } from '../../../../infra/ui/api.ts';
import { MeetingSummary } from '../../../../infra/ui/MeetingSummary.tsx';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { formatRange } from '../../../../infra/ui/time.ts';
import { WORKING, type MeetingDetail } from './meeting-detail.ts';
import {
  MeetingActions,
  MeetingDeleted,
  MeetingStatus,
  RecordingNote,
  Transcript,
  UploadRecording,
} from './parts.tsx';

/** The meeting, asked again every second while a worker has it. */
function useMeeting(id: string, deleted: boolean) {
  const [meeting, setMeeting] = useState<MeetingDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    try {
      setMeeting(await api<MeetingDetail>(`/api/meetings/${id}`));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useEffect(() => {
    void load();
  }, [id]);
  useEffect(() => {
    if (!meeting || !WORKING.includes(meeting.status) || deleted) return;
    const timer = setTimeout(() => void load(), 1000);
    return () => clearTimeout(timer);
  }, [meeting, deleted]);
  return { meeting, error, setError, load };
}

export function MeetingPage({ id }: { id: string }) {
  const [deleted, setDeleted] = useState<{ certificateId: string } | null>(null);
  const { meeting, error, setError, load } = useMeeting(id, deleted !== null);

  // Ticked off on the server first, then shown from the meeting as stored: what the page shows
  // is what a reload (or another surface) shows.
  const toggle = async (index: number, done: boolean) => {
    setError(null);
    try {
      await api(`/api/meetings/${id}/action-items/${index}`, { method: 'PATCH', body: { done } });
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  if (deleted) return <MeetingDeleted certificateId={deleted.certificateId} />;
  if (!meeting)
    return error ? (
      <Notice intent="error">{error}</Notice>
    ) : (
      <Spinner label="Loading the meeting…" />
    );

  return (
    <div className="stack">
      <Title2 as="h2">{meeting.title}</Title2>
      <Text>{formatRange(meeting.startsAt, meeting.endsAt)}</Text>
      <MeetingStatus meeting={meeting} />
      {error ? <Notice intent="error">{error}</Notice> : null}
      {meeting.status === 'scheduled' || meeting.status === 'failed' ? (
        <UploadRecording id={id} onError={setError} onUploaded={load} />
      ) : null}
      {meeting.recording ? <RecordingNote certificateId={meeting.recording.certificateId} /> : null}
      <div className="two-col">
        <div className="stack">
          <MeetingSummary
            summary={meeting.summary}
            actionItems={meeting.actionItems}
            onToggle={(index, done) => void toggle(index, done)}
          />
        </div>
        <Transcript transcript={meeting.transcript} />
      </div>
      <MeetingActions id={id} meeting={meeting} onError={setError} onDeleted={setDeleted} />
    </div>
  );
}
