/// <reference types="office-js" />
// A meeting being read: what the previous meeting with the same people decided and left open,
// and a button that starts the follow-up invite (where "Schedule with Quorum" finds its time).
import { Button, Spinner, Subtitle2, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { MeetingSummary } from '../../../infra/ui/MeetingSummary.tsx';
import { Notice } from '../../../infra/ui/Notice.tsx';
import type { SignedInUser } from './auth.ts';
import { organizerTimeZone, readMeetingPeople } from './mailbox.ts';
import { previousMeeting, type PreviousMeeting } from './previous.ts';
import { problemOf, type Problem } from './problems.ts';

const WEEK_MS = 7 * 86_400_000;

function formatDay(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone }).format(
    new Date(iso),
  );
}

export function ReadMeeting({ item, user }: { item: Office.AppointmentRead; user: SignedInUser }) {
  const [previous, setPrevious] = useState<PreviousMeeting | null | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | null>(null);
  const people = readMeetingPeople(item);

  useEffect(() => {
    const emails = [...new Set([user.email, ...readMeetingPeople(item).map((p) => p.email)])];
    previousMeeting(emails, item.start).then(setPrevious, (error: unknown) => {
      setProblem(problemOf(error));
      setPrevious(null);
    });
  }, [item, user.email]);

  const followUp = () => {
    const open = previous?.actionItems.filter((a) => !a.done) ?? [];
    Office.context.mailbox.displayNewAppointmentForm({
      requiredAttendees: people.map((p) => p.email).filter((e) => e !== user.email.toLowerCase()),
      optionalAttendees: [],
      // A week on, as a placeholder: "Schedule with Quorum" in the new invite finds the time.
      start: new Date(item.start.getTime() + WEEK_MS),
      end: new Date(item.end.getTime() + WEEK_MS),
      location: '',
      resources: [],
      subject: `Follow-up: ${item.subject}`,
      body:
        open.length > 0
          ? `Open items:\n${open.map((a) => `- ${a.task}${a.owner ? ` (${a.owner})` : ''}`).join('\n')}`
          : '',
    });
  };

  return (
    <section aria-label="Previous meeting" style={{ display: 'grid', gap: 8 }}>
      {problem ? (
        <Notice intent="error" title={problem.title}>
          {problem.message}
        </Notice>
      ) : null}
      {previous === undefined ? <Spinner label="Looking for the last meeting…" /> : null}
      {previous === null && !problem ? (
        <Text>Quorum has no earlier meeting with these people.</Text>
      ) : null}
      {previous ? (
        <>
          <Subtitle2 as="h2">
            Last time: {previous.title}, {formatDay(previous.startsAt, organizerTimeZone())}
          </Subtitle2>
          <MeetingSummary
            summary={previous.summary}
            actionItems={previous.actionItems.filter((a) => !a.done)}
          />
        </>
      ) : null}
      <Button appearance="primary" onClick={followUp}>
        Schedule a follow-up
      </Button>
    </section>
  );
}
