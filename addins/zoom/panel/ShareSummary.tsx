// Sharing a meeting's summary from the panel: to the Zoom meeting chat, and to Slack or Teams
// when the organization connected them.
import { Button } from '@fluentui/react-components';
import { useState } from 'react';
import { ApiError } from '../../../infra/ui/api.ts';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { chatMessage } from './share.ts';
import type { MeetingView } from './types.ts';
import { panelApi as api } from './session.ts';
import type { ZoomSdk } from './zoom-sdk.ts';

const platformName = (to: string) => (to === 'slack' ? 'Slack' : 'Teams');

export function ShareSummary({
  sdk,
  meeting,
  targets,
}: {
  sdk: ZoomSdk;
  meeting: MeetingView;
  targets: string[] | null;
}) {
  const [shared, setShared] = useState<'idle' | 'sending' | 'sent' | 'failed'>('idle');
  const [sharingTo, setSharingTo] = useState<string | null>(null);
  const [elsewhere, setElsewhere] = useState<{ ok: boolean; text: string } | null>(null);

  async function share() {
    setShared('sending');
    try {
      await sdk.sendMessageToChat({ message: chatMessage(meeting) });
      setShared('sent');
    } catch {
      setShared('failed');
    }
  }

  async function shareTo(to: string) {
    setElsewhere(null);
    setSharingTo(to);
    try {
      await api(`/api/meetings/${meeting.id}/share`, { body: { to } });
      setElsewhere({ ok: true, text: `Shared to ${platformName(to)}.` });
    } catch (error) {
      setElsewhere({
        ok: false,
        text: error instanceof ApiError ? error.message : 'Sharing did not work; try again.',
      });
    } finally {
      setSharingTo(null);
    }
  }

  return (
    <div role="group" aria-label="Share the summary" aria-busy={targets === null}>
      <Button onClick={() => void share()} disabled={shared === 'sending'}>
        Share to chat
      </Button>
      {(targets ?? []).map((to) => (
        <Button key={to} onClick={() => void shareTo(to)} disabled={sharingTo !== null}>
          Share to {platformName(to)}
        </Button>
      ))}
      {elsewhere ? (
        <Notice intent={elsewhere.ok ? 'success' : 'error'}>{elsewhere.text}</Notice>
      ) : null}
      {shared === 'sent' ? <Notice intent="success">Shared to the meeting chat.</Notice> : null}
      {shared === 'failed' ? (
        <Notice intent="error">Zoom did not take the message. Are you still in the meeting?</Notice>
      ) : null}
    </div>
  );
}
