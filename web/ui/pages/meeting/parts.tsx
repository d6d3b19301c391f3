// The meeting page's parts: status, upload, the deleted recording's note, transcript, the
// download and delete buttons, and what the page shows once the meeting is deleted.
import {
  Badge,
  Button,
  Field,
  ProgressBar,
  Subtitle1,
  Text,
  Title2,
  tokens,
} from '@fluentui/react-components';
import { useRef, useState } from 'react';
import { api, ApiError } from '../../../../infra/ui/api.ts';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { downloadText, uploadWithProgress } from '../../../../infra/ui/transfer.ts';
import { plainError } from '../../field-error.ts';
import { AppLink } from '../../router.tsx';
import { clock, meetingMarkdown, STEP, WORKING, type MeetingDetail } from './meeting-detail.ts';

export function MeetingDeleted({ certificateId }: { certificateId: string }) {
  return (
    <div className="stack">
      <Title2 as="h2">Meeting deleted</Title2>
      <Notice intent="success" title="Deleted, with proof">
        The meeting&apos;s transcript, summary and keys are gone. Deletion certificate:{' '}
        <code data-testid="certificate-id">{certificateId}</code>.
      </Notice>
      <div className="row">
        <Button
          as="a"
          href={`/api/certificates/${certificateId}`}
          download={`certificate-${certificateId}.json`}
        >
          Download the certificate
        </Button>
        <AppLink to={`/verify?certificate=${certificateId}`}>Check this certificate</AppLink>
      </div>
    </div>
  );
}

export function MeetingStatus({ meeting }: { meeting: MeetingDetail }) {
  const step = STEP[meeting.status]!;
  return (
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
  );
}

export function UploadRecording({
  id,
  onError,
  onUploaded,
}: {
  id: string;
  onError: (message: string | null) => void;
  onUploaded: () => Promise<void>;
}) {
  const [upload, setUpload] = useState<number | null>(null);
  /** Why this file was not taken, in plain words at the file field. */
  const [fileError, setFileError] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const send = async () => {
    const chosen = file.current?.files?.[0];
    onError(null);
    setFileError(null);
    if (!chosen) {
      setFileError('Recording: choose a file first (an audio or video file).');
      return;
    }
    // A type the browser knows and that is no recording (a PDF, a picture) is refused here, as
    // the server would; an unknown type goes up and the server decides.
    if (chosen.type && !/^(audio|video)\//.test(chosen.type)) {
      setFileError(plainError(new ApiError(415, 'unsupported_media_type', '')).text);
      return;
    }
    setUpload(0);
    try {
      await uploadWithProgress(`/api/meetings/${id}/audio`, chosen, setUpload);
      await onUploaded();
    } catch (e) {
      const plain = plainError(e);
      if (plain.field === 'recording') setFileError(plain.text);
      else onError(plain.text);
    } finally {
      setUpload(null);
    }
  };
  return (
    <section aria-label="Upload a recording" className="stack">
      <Subtitle1 as="h3">Upload a recording</Subtitle1>
      <div className="row">
        <label htmlFor="recording">
          <Text>Recording (audio or video)</Text>
        </label>
        <input
          id="recording"
          ref={file}
          type="file"
          accept="audio/*,video/*"
          aria-describedby={fileError ? 'recording-error' : undefined}
          aria-invalid={fileError ? true : undefined}
        />
        <Button appearance="primary" onClick={send} disabled={upload !== null}>
          Upload
        </Button>
      </div>
      {fileError ? (
        <Text
          id="recording-error"
          role="alert"
          style={{ color: tokens.colorPaletteRedForeground1 }}
        >
          {fileError}
        </Text>
      ) : null}
      {upload !== null ? (
        <Field label={`Uploading… ${Math.round(upload * 100)}%`}>
          <ProgressBar value={upload} />
        </Field>
      ) : null}
    </section>
  );
}

export function RecordingNote({ certificateId }: { certificateId: string | null }) {
  return (
    <Text>
      The recording was deleted after transcription
      {certificateId ? (
        <>
          {' '}
          (certificate{' '}
          <AppLink to={`/verify?certificate=${certificateId}`}>{certificateId}</AppLink>)
        </>
      ) : null}
      .
    </Text>
  );
}

export function Transcript({ transcript }: { transcript: MeetingDetail['transcript'] }) {
  return (
    <section aria-labelledby="transcript" className="stack">
      <Subtitle1 as="h3" id="transcript">
        Transcript
      </Subtitle1>
      {transcript.length === 0 ? (
        <Text>No transcript yet.</Text>
      ) : (
        <ol style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="transcript">
          {transcript.map((t) => (
            <li key={t.index} style={{ marginBottom: 8 }}>
              <Text weight="semibold">{t.speaker}</Text>{' '}
              <time style={{ color: '#424242' }}>{clock(t.startMs)}</time>
              <div>{t.text}</div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function MeetingActions({
  id,
  meeting,
  onError,
  onDeleted,
}: {
  id: string;
  meeting: MeetingDetail;
  onError: (message: string | null) => void;
  onDeleted: (result: { certificateId: string }) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const remove = async () => {
    onError(null);
    try {
      const result = await api<{ certificateId: string }>(`/api/meetings/${id}`, {
        method: 'DELETE',
      });
      onDeleted(result);
      setConfirming(false);
    } catch (e) {
      onError((e as Error).message);
    }
  };
  return (
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
  );
}
