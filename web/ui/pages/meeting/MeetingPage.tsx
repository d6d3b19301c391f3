// One meeting: status (with progress while a recording uploads and is transcribed), the
// transcript with speakers and times, summary, decisions, action items; download as Markdown
// or JSON; delete, which shows the deletion certificate.
import {
  Badge,
  Button,
  Field,
  ProgressBar,
  Spinner,
  Subtitle1,
  Text,
  Title2,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../../infra/ui/api.ts';
import { MeetingSummary } from '../../../infra/ui/MeetingSummary.tsx';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { formatRange } from '../../../infra/ui/time.ts';
import { downloadText, uploadWithProgress } from '../../../infra/ui/transfer.ts';
import type { ActionItemView, SummaryView } from '../../../infra/ui/types.ts';
import { AppLink } from '../router.tsx';

export interface MeetingDetail {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  status: 'scheduled' | 'queued' | 'transcribing' | 'summarizing' | 'ready' | 'failed';
  timeZone: string;
  participants: Array<{ email: string; name?: string | null }>;
  failure: { reason: string; at: string } | null;
  engine: string | null;
  transcript: Array<{
    index: number;
    speaker: string;
    startMs: number;
    endMs: number;
    text: string;
  }>;
  summary: SummaryView | null;
  actionItems: ActionItemView[];
  recording: { deletedAt: string; certificateId: string | null } | null;
}

const WORKING = ['queued', 'transcribing', 'summarizing'];
const STEP: Record<string, { label: string; value: number }> = {
  scheduled: { label: 'Waiting for a recording', value: 0 },
  queued: { label: 'Queued for transcription', value: 0.2 },
  transcribing: { label: 'Transcribing', value: 0.5 },
  summarizing: { label: 'Summarizing', value: 0.85 },
  ready: { label: 'Ready', value: 1 },
  failed: { label: 'Failed', value: 1 },
};

export function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** The meeting as Markdown: what someone would paste into notes. */
export function meetingMarkdown(m: MeetingDetail): string {
  const lines = [`# ${m.title}`, '', `${m.startsAt} – ${m.endsAt}`, ''];
  if (m.summary) {
    lines.push('## Summary', '', ...m.summary.summary.map((s) => `- ${s}`), '');
    if (m.summary.decisions.length)
      lines.push('## Decisions', '', ...m.summary.decisions.map((s) => `- ${s}`), '');
  }
  if (m.actionItems.length)
    lines.push(
      '## Action items',
      '',
      ...m.actionItems.map(
        (a) =>
          `- [${a.done ? 'x' : ' '}] ${a.task}${a.owner ? ` — ${a.owner}` : ''}${a.due ? ` (due ${a.due})` : ''}`,
      ),
      '',
    );
  if (m.transcript.length)
    lines.push(
      '## Transcript',
      '',
      ...m.transcript.map((t) => `**${t.speaker}** [${clock(t.startMs)}]: ${t.text}  `),
      '',
    );
  return lines.join('\n');
}

export function MeetingPage({ id }: { id: string }) {
  const [meeting, setMeeting] = useState<MeetingDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [upload, setUpload] = useState<number | null>(null);
  const [deleted, setDeleted] = useState<{ certificateId: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const file = useRef<HTMLInputElement>(null);

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
  // While a worker has it, ask again every second.
  useEffect(() => {
    if (!meeting || !WORKING.includes(meeting.status) || deleted) return;
    const timer = setTimeout(() => void load(), 1000);
    return () => clearTimeout(timer);
  }, [meeting, deleted]);

  const send = async () => {
    const chosen = file.current?.files?.[0];
    if (!chosen) {
      setError('Choose a recording first (an audio or video file).');
      return;
    }
    setError(null);
    setUpload(0);
    try {
      await uploadWithProgress(`/api/meetings/${id}/audio`, chosen, setUpload);
      await load();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setUpload(null);
    }
  };

  const remove = async () => {
    setError(null);
    try {
      const result = await api<{ certificateId: string }>(`/api/meetings/${id}`, {
        method: 'DELETE',
      });
      setDeleted(result);
      setConfirming(false);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  if (deleted)
    return (
      <div className="stack">
        <Title2 as="h2">Meeting deleted</Title2>
        <Notice intent="success" title="Deleted, with proof">
          The meeting&apos;s transcript, summary and keys are gone. Deletion certificate:{' '}
          <code data-testid="certificate-id">{deleted.certificateId}</code>.
        </Notice>
        <div className="row">
          <Button
            as="a"
            href={`/api/certificates/${deleted.certificateId}`}
            download={`certificate-${deleted.certificateId}.json`}
          >
            Download the certificate
          </Button>
          <AppLink to={`/verify?certificate=${deleted.certificateId}`}>
            Check this certificate
          </AppLink>
        </div>
      </div>
    );
  if (!meeting)
    return error ? (
      <Notice intent="error">{error}</Notice>
    ) : (
      <Spinner label="Loading the meeting…" />
    );

  const step = STEP[meeting.status]!;
  return (
    <div className="stack">
      <Title2 as="h2">{meeting.title}</Title2>
      <Text>{formatRange(meeting.startsAt, meeting.endsAt)}</Text>
      <section aria-label="Status" className="stack">
        <div className="row">
          <Text weight="semibold">Status:</Text>
          <Badge
            appearance="filled"
            color={
              meeting.status === 'ready'
                ? 'success'
                : meeting.status === 'failed'
                  ? 'danger'
                  : 'informative'
            }
            data-testid="meeting-status"
          >
            {step.label}
          </Badge>
          {meeting.engine ? <Text>engine: {meeting.engine}</Text> : null}
        </div>
        {WORKING.includes(meeting.status) ? (
          <Field label={step.label} validationState="none">
            <ProgressBar value={step.value} />
          </Field>
        ) : null}
        {meeting.failure ? (
          <Notice intent="error" title="Processing failed">
            {meeting.failure.reason}
          </Notice>
        ) : null}
      </section>
      {error ? <Notice intent="error">{error}</Notice> : null}
      {meeting.status === 'scheduled' || meeting.status === 'failed' ? (
        <section aria-label="Upload a recording" className="stack">
          <Subtitle1 as="h3">Upload a recording</Subtitle1>
          <div className="row">
            <label htmlFor="recording">
              <Text>Recording (audio or video)</Text>
            </label>
            <input id="recording" ref={file} type="file" accept="audio/*,video/*" />
            <Button appearance="primary" onClick={send} disabled={upload !== null}>
              Upload
            </Button>
          </div>
          {upload !== null ? (
            <Field label={`Uploading… ${Math.round(upload * 100)}%`}>
              <ProgressBar value={upload} />
            </Field>
          ) : null}
        </section>
      ) : null}
      {meeting.recording ? (
        <Text>
          The recording was deleted after transcription
          {meeting.recording.certificateId ? (
            <>
              {' '}
              (certificate{' '}
              <AppLink to={`/verify?certificate=${meeting.recording.certificateId}`}>
                {meeting.recording.certificateId}
              </AppLink>
              )
            </>
          ) : null}
          .
        </Text>
      ) : null}
      <div className="two-col">
        <div className="stack">
          <MeetingSummary summary={meeting.summary} actionItems={meeting.actionItems} />
        </div>
        <section aria-labelledby="transcript" className="stack">
          <Subtitle1 as="h3" id="transcript">
            Transcript
          </Subtitle1>
          {meeting.transcript.length === 0 ? (
            <Text>No transcript yet.</Text>
          ) : (
            <ol style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="transcript">
              {meeting.transcript.map((t) => (
                <li key={t.index} style={{ marginBottom: 8 }}>
                  <Text weight="semibold">{t.speaker}</Text>{' '}
                  <time style={{ color: '#424242' }}>{clock(t.startMs)}</time>
                  <div>{t.text}</div>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
      <div className="row">
        <Button
          onClick={() =>
            downloadText(`${meeting.title}.md`, meetingMarkdown(meeting), 'text/markdown')
          }
        >
          Download Markdown
        </Button>
        <Button
          onClick={() =>
            downloadText(
              `${meeting.title}.json`,
              JSON.stringify(meeting, null, 2),
              'application/json',
            )
          }
        >
          Download JSON
        </Button>
        {confirming ? (
          <>
            <Text>Delete this meeting and everything said in it? This cannot be undone.</Text>
            <Button appearance="primary" onClick={remove}>
              Yes, delete it
            </Button>
            <Button onClick={() => setConfirming(false)}>Keep it</Button>
          </>
        ) : (
          <Button onClick={() => setConfirming(true)}>Delete meeting</Button>
        )}
      </div>
    </div>
  );
}
