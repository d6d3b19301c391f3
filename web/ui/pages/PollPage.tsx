// A guest's poll link (/polls/:id?t=…): tick the proposed times that work, send, see the result.
import { Button, Checkbox, Spinner, Text, Title1 } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../../infra/ui/api.ts';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { formatRange, viewerTimeZone } from '../../../infra/ui/time.ts';
import { fieldErrorOf } from '../field-error.ts';
import { useApi } from '../use-api.ts';

interface PollView {
  title: string;
  status: 'open' | 'booked' | 'no-common-time' | 'closed';
  options: Array<{ start: string; end: string }>;
  email: string;
  yes: number[];
}

/**
 * A link cut short by a mail client reads as code from the API ("t: Too small…"): the guest is
 * told what happened and what to do instead. (An altered or expired link gets the server's own
 * sentence, which is plain already.)
 */
function pollLinkProblem(failure: unknown, message: string): string {
  return failure instanceof ApiError && failure.status === 400
    ? 'This poll link is incomplete or broken. Open it again from your invitation — the whole link, ' +
        'including everything after "?t=" — or ask the organizer to send it again.'
    : message;
}

export function PollPage({ id, token }: { id: string; token: string }) {
  const path = `/api/public/polls/${encodeURIComponent(id)}?t=${encodeURIComponent(token)}`;
  const poll = useApi<PollView>(path);
  const zone = viewerTimeZone();
  const [yes, setYes] = useState<number[]>([]);
  /** "None of these times work for me": its own choice, so an empty form is not an answer. */
  const [noneWork, setNoneWork] = useState(false);
  /** Why the answer was refused, shown with the choices. */
  const [choiceError, setChoiceError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (poll.data) setYes(poll.data.yes);
  }, [poll.data]);

  if (poll.error)
    return <Notice intent="error">{pollLinkProblem(poll.failure, poll.error)}</Notice>;
  if (!poll.data) return <Spinner label="Loading the poll…" />;
  const p = poll.data;
  const vote = async () => {
    setError(null);
    setChoiceError(null);
    setResult(null);
    try {
      const r = await api<{ status: string }>(`${path.replace('?', '/votes?')}`, {
        body: { yes, noneWork },
      });
      setResult(
        r.status === 'booked'
          ? 'Thanks! Everyone has answered and the meeting is booked.'
          : r.status === 'no-common-time'
            ? 'Thanks! Everyone has answered, but no time works for all; the organizer will follow up.'
            : 'Thanks! Your answer is saved; you can change it until everyone has answered.',
      );
    } catch (e) {
      const problem = fieldErrorOf(e);
      if (problem?.field === 'yes' || problem?.field === 'noneWork') setChoiceError(problem.text);
      else setError((e as Error).message);
    }
  };
  return (
    <div className="stack">
      <Title1 as="h1">{p.title}</Title1>
      <Text>
        Voting as {p.email}. Times in your time zone, {zone}.
      </Text>
      {p.status !== 'open' ? (
        <Notice intent="info">This poll is closed ({p.status}).</Notice>
      ) : (
        <fieldset style={{ border: 'none', padding: 0 }}>
          <legend>
            <Text weight="semibold">Which times work for you?</Text>
          </legend>
          <div className="stack">
            {p.options.map((o, i) => (
              <Checkbox
                key={o.start}
                label={formatRange(o.start, o.end, zone)}
                checked={yes.includes(i)}
                onChange={(_, d) => {
                  setYes(d.checked ? [...yes, i] : yes.filter((x) => x !== i));
                  if (d.checked) setNoneWork(false);
                }}
              />
            ))}
            <Checkbox
              label="None of these times work for me"
              checked={noneWork}
              onChange={(_, d) => {
                setNoneWork(!!d.checked);
                if (d.checked) setYes([]);
              }}
            />
          </div>
          {choiceError ? <Notice intent="error">{choiceError}</Notice> : null}
          <Button appearance="primary" onClick={vote} style={{ marginTop: 12 }}>
            Send my answer
          </Button>
        </fieldset>
      )}
      {error ? <Notice intent="error">{error}</Notice> : null}
      {result ? <Notice intent="success">{result}</Notice> : null}
    </div>
  );
}
