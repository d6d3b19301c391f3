/// <reference types="office-js" />
// An email being written: "Propose times" puts a few free times and a poll link for each person
// outside the organization where the cursor is, so they can pick without an account.
import { Button, Field, Select, Text } from '@fluentui/react-components';
import { useState } from 'react';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { formatRange } from '../../../infra/ui/time.ts';
import type { FindTimesView } from '../../../infra/ui/types.ts';
import { paneApi, type SignedInUser } from './auth.ts';
import { insertProposal, organizerTimeZone, readRecipients, readSubject } from './mailbox.ts';
import { searchWindow } from './ComposeMeeting.tsx';
import { problemOf, type Problem } from './problems.ts';

const PROPOSED = 3;

export function ProposeTimes({
  item,
  user,
  online,
}: {
  item: Office.MessageCompose;
  user: SignedInUser;
  online: boolean;
}) {
  const zone = organizerTimeZone();
  const [minutes, setMinutes] = useState(30);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const propose = async () => {
    setBusy(true);
    setProblem(null);
    setDone(null);
    try {
      const recipients = (await readRecipients(item)).filter(
        (p) => p.email !== user.email.toLowerCase(),
      );
      if (recipients.length === 0) {
        setProblem({ title: 'No recipients yet', message: 'Add who the email is for first.' });
        return;
      }
      const found = await paneApi<FindTimesView>('/api/scheduling/find', {
        body: {
          attendees: recipients.map((p) => ({ email: p.email, name: p.name })),
          durationMinutes: minutes,
          window: searchWindow(),
          limit: PROPOSED,
          // A poll in an email shows no one's hours: propose only times inside them.
          leastBurden: 'never',
        },
      });
      if (found.slots.length < 2) {
        setProblem({
          title: 'Too few free times',
          message: 'Quorum found fewer than two free times in the next two weeks.',
        });
        return;
      }
      // People outside the organization are the ones Quorum cannot see: they get a poll link.
      const guests = new Set(found.unknown.filter((u) => u.reason === 'guest').map((u) => u.email));
      const participants = recipients.filter((p) => guests.has(p.email));
      const voters = participants.length > 0 ? participants : recipients;
      const subject = (await readSubject(item)).trim() || 'Meeting';
      const { links } = await paneApi<{ links: Array<{ email: string; url: string }> }>(
        '/api/polls',
        {
          body: {
            title: subject,
            options: found.slots.map((s) => ({ start: s.start, end: s.end })),
            participants: voters.map((p) => ({ email: p.email, name: p.name })),
            // The links go in this email, so Quorum does not email them a second time.
            email: false,
          },
        },
      );
      const names = new Map(voters.map((p) => [p.email, p.name]));
      await insertProposal(item, {
        times: found.slots.map((s) => `${formatRange(s.start, s.end, zone)} (${zone})`),
        links: links.map((l) => ({ name: names.get(l.email) ?? l.email, url: l.url })),
      });
      setDone(`Added ${found.slots.length} times and ${links.length} poll link(s) to your email.`);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-label="Propose times" style={{ display: 'grid', gap: 8 }}>
      <Text>Offer a few times you are free; people outside your organization vote by link.</Text>
      {problem ? (
        <Notice intent="error" title={problem.title}>
          {problem.message}
        </Notice>
      ) : null}
      {done ? <Notice intent="success">{done}</Notice> : null}
      <Field label="Length">
        <Select value={String(minutes)} onChange={(_e, d) => setMinutes(Number(d.value))}>
          <option value="15">15 minutes</option>
          <option value="30">30 minutes</option>
          <option value="45">45 minutes</option>
          <option value="60">1 hour</option>
        </Select>
      </Field>
      <Button appearance="primary" disabled={busy || !online} onClick={() => void propose()}>
        Propose times
      </Button>
    </section>
  );
}
