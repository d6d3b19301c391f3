/// <reference types="office-js" />
// The pane's shell: checks that it runs inside an Outlook that has what it needs, that the
// network and Quorum are there, signs in, and then shows what fits the open item.
import { Button, Spinner, Text, Title3 } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { signInQuietly, signInWithDialog, type SignedInUser } from './auth.ts';
import { ComposeMeeting } from './ComposeMeeting.tsx';
import { itemMode, officeReady, REQUIRED_MAILBOX, type ItemMode } from './office.ts';
import { OFFLINE, problemOf, type Problem } from './problems.ts';
import { ProposeTimes } from './ProposeTimes.tsx';
import { ReadMeeting } from './ReadMeeting.tsx';

type Stage =
  | { kind: 'starting' }
  | { kind: 'blocked'; problem: Problem }
  | { kind: 'sign-in'; sso: string[]; problem?: Problem }
  | { kind: 'ready'; user: SignedInUser; mode: ItemMode };

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

export function App() {
  const online = useOnline();
  const [stage, setStage] = useState<Stage>({ kind: 'starting' });

  const start = useCallback(async () => {
    setStage({ kind: 'starting' });
    if (!(await officeReady())) {
      setStage({
        kind: 'blocked',
        problem: {
          title: 'Open Quorum from Outlook',
          message: 'This pane works inside Outlook: use “Schedule with Quorum” on a meeting.',
        },
      });
      return;
    }
    if (!Office.context.requirements.isSetSupported('Mailbox', REQUIRED_MAILBOX)) {
      setStage({
        kind: 'blocked',
        problem: {
          title: 'This Outlook is too old for Quorum',
          message: `Quorum needs Outlook’s Mailbox ${REQUIRED_MAILBOX} features. Use Outlook on the web, the new Outlook, or update Outlook.`,
        },
      });
      return;
    }
    if (!navigator.onLine) {
      setStage({ kind: 'blocked', problem: OFFLINE });
      return;
    }
    try {
      const { user, sso } = await signInQuietly();
      const mode = itemMode(Office.context.mailbox.item);
      setStage(user ? { kind: 'ready', user, mode } : { kind: 'sign-in', sso });
    } catch (error) {
      setStage({ kind: 'blocked', problem: problemOf(error) });
    }
  }, []);

  useEffect(() => {
    void start();
  }, [start]);

  // Back online after a blocked start: try again by itself.
  useEffect(() => {
    if (online && stage.kind === 'blocked' && stage.problem === OFFLINE) void start();
  }, [online, stage, start]);

  return (
    <main style={{ padding: 12, display: 'grid', gap: 12 }}>
      <Title3 as="h1">Quorum</Title3>
      {!online && stage.kind !== 'blocked' ? (
        <Notice intent="warning" title={OFFLINE.title}>
          {OFFLINE.message}
        </Notice>
      ) : null}
      {stage.kind === 'starting' ? <Spinner label="Connecting to Quorum…" /> : null}
      {stage.kind === 'blocked' ? (
        <>
          <Notice intent="error" title={stage.problem.title}>
            {stage.problem.message}
          </Notice>
          <Button onClick={() => void start()}>Try again</Button>
        </>
      ) : null}
      {stage.kind === 'sign-in' ? (
        <>
          <Text>Sign in to Quorum to find times across everyone’s calendars.</Text>
          {stage.problem ? (
            <Notice intent="error" title={stage.problem.title}>
              {stage.problem.message}
            </Notice>
          ) : null}
          <Button
            appearance="primary"
            onClick={() => {
              const provider = stage.sso.includes('microsoft') ? 'microsoft' : null;
              signInWithDialog(provider).then(
                () => void start(),
                (error: Error) =>
                  setStage({
                    ...stage,
                    problem: { title: 'Sign-in did not finish', message: error.message },
                  }),
              );
            }}
          >
            Sign in
          </Button>
        </>
      ) : null}
      {stage.kind === 'ready' ? (
        <Surface user={stage.user} mode={stage.mode} online={online} />
      ) : null}
    </main>
  );
}

function Surface({ user, mode, online }: { user: SignedInUser; mode: ItemMode; online: boolean }) {
  const item = Office.context.mailbox.item;
  switch (mode) {
    case 'appointment-compose':
      return (
        <ComposeMeeting item={item as Office.AppointmentCompose} user={user} online={online} />
      );
    case 'appointment-read':
      return <ReadMeeting item={item as Office.AppointmentRead} user={user} />;
    case 'message-compose':
      return <ProposeTimes item={item as Office.MessageCompose} user={user} online={online} />;
    default:
      return (
        <Notice intent="info" title="Nothing to schedule here">
          Open a meeting (new or existing) or write an email to use Quorum.
        </Notice>
      );
  }
}
