// Adding a meeting by hand (to upload its recording to), from the Home page.
import { Button, Field, Input, Subtitle1 } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../../../infra/ui/api.ts';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { fieldErrorOf } from '../../field-error.ts';
import { navigate } from '../../router.tsx';

/** A meeting to upload a recording to: title and time; the meeting page takes it from there. */
export function NewMeeting() {
  const now = new Date();
  const local = (d: Date) =>
    new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  const [title, setTitle] = useState('');
  const [start, setStart] = useState(local(new Date(now.getTime() - 3_600_000)));
  const [minutes, setMinutes] = useState('30');
  const [participants, setParticipants] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setStartError(null);
    try {
      const startsAt = new Date(start);
      const people = parseParticipants(participants);
      const meeting = await api<{ id: string }>('/api/meetings', {
        body: {
          title,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + Number(minutes) * 60_000).toISOString(),
          timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          ...(people.length ? { participants: people } : {}),
          // A recording is of a meeting that took place: Quorum refuses a start ahead.
          alreadyHappened: true,
        },
      });
      navigate(`/app/meetings/${meeting.id}`);
    } catch (e) {
      const problem = fieldErrorOf(e);
      if (problem?.field === 'startsAt') setStartError(problem.text);
      else setError((e as Error).message);
    }
  };
  return (
    <form onSubmit={submit} className="stack" aria-labelledby="new-meeting">
      <Subtitle1 as="h4" id="new-meeting" style={{ fontSize: 16 }}>
        Add a meeting recording
      </Subtitle1>
      {error ? <Notice intent="error">{error}</Notice> : null}
      <Field label="Meeting title" required>
        <Input value={title} onChange={(_, d) => setTitle(d.value)} />
      </Field>
      <div className="row">
        <Field label="Started at" validationMessage={startError ?? undefined}>
          <Input type="datetime-local" value={start} onChange={(_, d) => setStart(d.value)} />
        </Field>
        <Field label="Minutes">
          <Input
            type="number"
            min={5}
            max={600}
            value={minutes}
            onChange={(_, d) => setMinutes(d.value)}
          />
        </Field>
      </div>
      <Field
        label="Participants"
        hint="Names help Quorum tell who owns an action item: Ana Lopez <ana@example.com>, raj@example.com"
      >
        <Input value={participants} onChange={(_, d) => setParticipants(d.value)} />
      </Field>
      <Button type="submit" disabled={!title.trim()}>
        Create meeting
      </Button>
    </form>
  );
}

/** "Ana Lopez <ana@example.com>, raj@example.com" → participants; throws on a bad address. */
export function parseParticipants(text: string): Array<{ email: string; name?: string }> {
  return text
    .split(/[,;\n]+/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const named = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(part);
      const email = (named ? named[2]! : part).toLowerCase();
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
        throw new Error(`"${part}" is not an email address (or Name <email>).`);
      const name = named?.[1]?.trim();
      return name ? { email, name } : { email };
    });
}
