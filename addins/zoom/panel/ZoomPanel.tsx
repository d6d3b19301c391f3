// The panel's start: find the Zoom Apps SDK (or say the page must be opened from Zoom),
// configure it with exactly the capabilities used, learn who the user is, then show the
// meeting (in a meeting or webinar) or the upcoming meetings (main client).
import { Button, Spinner, Text, Title3 } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { ApiError } from '../../../infra/ui/api.ts';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { InMeeting } from './InMeeting.tsx';
import {
  linkInClient,
  openSession,
  renewSessionWith,
  type Authorize,
  type PanelUser,
} from './session.ts';
import { Upcoming } from './Upcoming.tsx';
import { CAPABILITIES, findZoomSdk, type ZoomSdk } from './zoom-sdk.ts';

type Phase =
  | { kind: 'starting' }
  | { kind: 'not-in-zoom' }
  | { kind: 'needs-link'; sdk: ZoomSdk; authorize: Authorize; running: string }
  | { kind: 'ready'; sdk: ZoomSdk; user: PanelUser; running: string }
  | { kind: 'error'; message: string };

function NotInZoom() {
  return (
    <main style={{ padding: 16 }}>
      <Title3 as="h1">Open Quorum from Zoom</Title3>
      <Notice intent="info" title="This page must be opened from Zoom">
        Quorum&apos;s Zoom panel runs inside the Zoom client: open Zoom, choose{' '}
        <strong>Apps</strong>, then <strong>Quorum</strong> (in a meeting, or from the Apps tab). In
        a browser, use <a href="/app">Quorum&apos;s web app</a> instead.
      </Notice>
    </main>
  );
}

export function ZoomPanel() {
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });
  const [linking, setLinking] = useState<string | null>(null);

  useEffect(() => {
    (async () => {
      const sdk = await findZoomSdk();
      if (!sdk) return setPhase({ kind: 'not-in-zoom' });
      try {
        await sdk.config({ capabilities: [...CAPABILITIES], version: '0.16' });
      } catch {
        return setPhase({ kind: 'not-in-zoom' });
      }
      // inMeeting, inWebinar, inMainClient…: which view the panel opens on.
      const running = (await sdk.getRunningContext()).context;
      const session = await openSession(sdk);
      renewSessionWith(async () => {
        const renewed = await openSession(sdk);
        if (renewed.kind !== 'ready') throw new ApiError(401, 'zoom_not_linked', renewed.message);
      });
      setPhase(
        session.kind === 'ready'
          ? { kind: 'ready', sdk, user: session.user, running }
          : { kind: 'needs-link', sdk, authorize: session.authorize, running },
      );
    })().catch((e: unknown) =>
      setPhase({
        kind: 'error',
        message:
          e instanceof ApiError ? e.message : 'Quorum could not start. Close and reopen the app.',
      }),
    );
  }, []);

  if (phase.kind === 'starting') return <Spinner label="Starting Quorum…" />;
  if (phase.kind === 'not-in-zoom') return <NotInZoom />;
  if (phase.kind === 'error') return <Notice intent="error">{phase.message}</Notice>;
  if (phase.kind === 'needs-link') {
    const { sdk, authorize, running } = phase;
    const link = () => {
      setLinking('Waiting for Zoom…');
      linkInClient(sdk, authorize)
        .then((user) => setPhase({ kind: 'ready', sdk, user, running }))
        .catch((e: unknown) =>
          setLinking(e instanceof ApiError ? e.message : 'Linking failed. Try again.'),
        );
    };
    return (
      <main style={{ padding: 16, display: 'grid', gap: 12 }}>
        <Title3 as="h1">Link your Zoom account</Title3>
        <Text>
          Quorum needs to know who you are: authorize it once, and it uses your Quorum calendar and
          meetings here.
        </Text>
        <Button appearance="primary" onClick={link}>
          Authorize Quorum
        </Button>
        {linking ? <Text role="status">{linking}</Text> : null}
      </main>
    );
  }
  const inMeeting = phase.running === 'inMeeting' || phase.running === 'inWebinar';
  return inMeeting ? <InMeeting sdk={phase.sdk} user={phase.user} /> : <Upcoming />;
}
