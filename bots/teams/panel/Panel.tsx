// The meeting's agenda and action items, and "Schedule follow-up" (which posts follow-up times
// into the meeting chat). Inside Teams: teams-js gives the meeting and a Teams SSO token that
// Quorum's panel API verifies. In the tab's configuration step it only saves the tab.
import { Button, Spinner, Subtitle1, Text } from '@fluentui/react-components';
import { app, authentication, pages } from '@microsoft/teams-js';
import { useCallback, useEffect, useState } from 'react';
import { AgendaView } from '../../../infra/ui/AgendaView.tsx';
import { ApiError, api } from '../../../infra/ui/api.ts';
import { ActionItemList } from '../../../infra/ui/MeetingSummary.tsx';
import { Notice } from '../../../infra/ui/Notice.tsx';
import type { ActionItemView, AgendaItemView } from '../../../infra/ui/types.ts';

interface PanelMeeting {
  meeting: { id: string; title: string; startsAt: string; endsAt: string; status: string };
  agenda: AgendaItemView[];
  actionItems: ActionItemView[];
}

type State =
  | { kind: 'loading' }
  | { kind: 'configure' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; data: PanelMeeting; teamsMeetingId: string };

const NOT_SIGNED_IN =
  'Teams could not sign you in to Quorum. Send "connect" to Quorum in the chat.';

/** Teams' theme names: `default`, `dark`, `contrast`. */
export type TeamsThemeName = string;

async function start(onTheme: (theme: TeamsThemeName) => void): Promise<State> {
  try {
    await app.initialize();
  } catch {
    return { kind: 'error', message: 'Open this panel in a Teams meeting.' };
  }
  let context: app.Context;
  try {
    context = await app.getContext();
  } catch {
    return { kind: 'error', message: 'Teams did not say which meeting this is. Reopen the panel.' };
  }
  // The panel follows the Teams theme, now and whenever the person changes it.
  onTheme(context.app.theme);
  app.registerOnThemeChangeHandler(onTheme);
  if (context.page.frameContext === 'settings') {
    pages.config.registerOnSaveHandler((save) => {
      pages.config
        .setConfig({
          contentUrl: `${window.location.origin}/teams/panel`,
          websiteUrl: `${window.location.origin}/app`,
          entityId: 'quorum-meeting-panel',
          suggestedDisplayName: 'Quorum',
        })
        .then(
          () => save.notifySuccess(),
          (error: unknown) => save.notifyFailure(String(error)),
        );
    });
    pages.config.setValidityState(true);
    return { kind: 'configure' };
  }
  const teamsMeetingId = context.meeting?.id;
  if (!teamsMeetingId) return { kind: 'error', message: 'Open this panel in a Teams meeting.' };
  let token: string;
  try {
    token = await authentication.getAuthToken();
  } catch {
    return { kind: 'error', message: NOT_SIGNED_IN };
  }
  try {
    const data = await api<PanelMeeting>(
      `/teams/panel/api/meeting?teamsMeetingId=${encodeURIComponent(teamsMeetingId)}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    return { kind: 'ready', data, teamsMeetingId };
  } catch (error) {
    return { kind: 'error', message: error instanceof ApiError ? error.message : String(error) };
  }
}

const PAGE = { padding: 12, display: 'grid', gap: 12 } as const;

export function Panel({ onTheme }: { onTheme: (theme: TeamsThemeName) => void }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [followUp, setFollowUp] = useState<{ busy: boolean; notice?: string; failed?: boolean }>({
    busy: false,
  });

  useEffect(() => {
    void start(onTheme).then(setState);
  }, [onTheme]);

  const scheduleFollowUp = useCallback(async () => {
    if (state.kind !== 'ready') return;
    setFollowUp({ busy: true });
    try {
      // A fresh token: the panel stays open through a meeting, longer than an SSO token lives
      // (teams-js hands back its cached one while that is still good).
      let token: string;
      try {
        token = await authentication.getAuthToken();
      } catch {
        setFollowUp({ busy: false, failed: true, notice: NOT_SIGNED_IN });
        return;
      }
      await api('/teams/panel/api/follow-up', {
        body: { teamsMeetingId: state.teamsMeetingId },
        headers: { authorization: `Bearer ${token}` },
      });
      setFollowUp({ busy: false, notice: 'Follow-up times are in the meeting chat.' });
    } catch (error) {
      setFollowUp({
        busy: false,
        failed: true,
        notice: error instanceof ApiError ? error.message : String(error),
      });
    }
  }, [state]);

  // Every state is a page of its own in the panel's frame: a main landmark and a first heading.
  if (state.kind !== 'ready') {
    return (
      <main style={PAGE}>
        <Subtitle1 as="h1">Quorum</Subtitle1>
        {state.kind === 'loading' ? <Spinner label="Loading the meeting…" /> : null}
        {state.kind === 'configure' ? (
          <Text>
            Quorum adds its panel to this meeting: the agenda, action items and follow-ups.
          </Text>
        ) : null}
        {state.kind === 'error' ? <Notice intent="warning">{state.message}</Notice> : null}
      </main>
    );
  }
  const { meeting, agenda, actionItems } = state.data;
  const open = actionItems.filter((item) => !item.done);
  return (
    <main style={PAGE}>
      <Subtitle1 as="h1">{meeting.title}</Subtitle1>
      <AgendaView items={agenda} level="h2" />
      <section aria-label="Action items">
        {open.length > 0 ? (
          <ActionItemList items={open} level="h2" />
        ) : (
          <Text>No action items yet: they appear after the meeting’s summary.</Text>
        )}
      </section>
      <Button appearance="primary" disabled={followUp.busy} onClick={() => void scheduleFollowUp()}>
        Schedule follow-up
      </Button>
      {followUp.notice ? (
        <Notice intent={followUp.failed ? 'error' : 'success'}>{followUp.notice}</Notice>
      ) : null}
    </main>
  );
}
