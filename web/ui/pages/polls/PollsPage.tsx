// Create a poll: a title, who votes, two or more times; Quorum signs one link per person (they
// vote without an account, on /polls/:id) and books the time once everyone required has voted.
// With email on, creating the poll emails each person their link; the page says who was emailed
// and which links are still to be shared by hand.
import { Button, Field, Input, Select, Text, Title2 } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../../../infra/ui/api.ts';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { fieldErrorOf } from '../../field-error.ts';
import { parseParticipants } from '../home/NewMeeting.tsx';
import { LinkTypeSelect, useDefaultLinkType } from '../schedule/LinkChoice.tsx';
import { PollOptions, optionSlots } from './PollOptions.tsx';

interface Created {
  poll: { _id: string; title: string };
  links: Array<{ email: string; url: string }>;
  /** Who was emailed their link; the links still to share (core/assistant PollLinksSent). */
  sent: { emailOn: boolean; emailed: string[]; shareByHand: Array<{ email: string; url: string }> };
}

export function PollsPage() {
  const [title, setTitle] = useState('');
  const [people, setPeople] = useState('');
  const [duration, setDuration] = useState('30');
  const [starts, setStarts] = useState<string[]>(['', '']);
  const [link, setLink] = useDefaultLinkType();
  const [created, setCreated] = useState<Created | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblems({});
    try {
      const participants = parseParticipants(people);
      const result = await api<Created>('/api/polls', {
        body: {
          title,
          linkType: link,
          participants,
          options: optionSlots(starts, Number(duration)),
        },
      });
      setCreated(result);
      setTitle('');
      setPeople('');
      setStarts(['', '']);
    } catch (e) {
      const field = fieldErrorOf(e)?.field.split('.')[0];
      const text = fieldErrorOf(e)?.text ?? (e as Error).message;
      setProblems(
        field && ['title', 'participants', 'options'].includes(field)
          ? { [field]: text }
          : { form: text },
      );
    }
  };
  return (
    <div className="stack" style={{ maxWidth: 720 }}>
      <Title2 as="h2">Polls</Title2>
      <Text>Offer a few times; each person votes from their own link, no account needed.</Text>
      {created ? <PollLinks created={created} /> : null}
      <form onSubmit={submit} className="stack" aria-label="New poll">
        {problems.form ? <Notice intent="error">{problems.form}</Notice> : null}
        <Field label="Title" required validationMessage={problems.title}>
          <Input value={title} onChange={(_, d) => setTitle(d.value)} />
        </Field>
        <Field
          label="Who votes"
          required
          hint="Emails, separated by commas: Ana Lopez <ana@example.com>, raj@example.com"
          validationMessage={problems.participants}
        >
          <Input value={people} onChange={(_, d) => setPeople(d.value)} />
        </Field>
        <div className="row">
          <Field label="Duration">
            <Select value={duration} onChange={(_, d) => setDuration(d.value)}>
              {[15, 30, 45, 60, 90].map((m) => (
                <option key={m} value={m}>
                  {m} minutes
                </option>
              ))}
            </Select>
          </Field>
          <LinkTypeSelect value={link} onChange={setLink} />
        </div>
        <PollOptions starts={starts} onChange={setStarts} problem={problems.options} />
        <Button type="submit" appearance="primary" disabled={!title.trim()}>
          Create poll
        </Button>
      </form>
    </div>
  );
}

function PollLinks({ created }: { created: Created }) {
  const { emailed, shareByHand, emailOn } = created.sent;
  return (
    <Notice intent="success" title={`Poll "${created.poll.title}" created`}>
      {shareByHand.length === 0
        ? 'Each person was emailed their own voting link:'
        : emailOn
          ? 'Each person has their own voting link:'
          : 'Email is off here, so nobody was emailed: send each person their own link.'}
      <ul aria-label="Voting links">
        {emailed.map((email) => (
          <li key={email}>Emailed to {email}</li>
        ))}
        {shareByHand.map((l) => (
          <li key={l.email}>
            {l.email}: Share this link: <a href={l.url}>{l.url}</a>
          </li>
        ))}
      </ul>
    </Notice>
  );
}
