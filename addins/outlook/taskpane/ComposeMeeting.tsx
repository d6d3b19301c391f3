/// <reference types="office-js" />
// A meeting being written: finds the best times for its attendees and, on one click, writes the
// chosen time, the meeting link's location and an agenda into the invite.
import { Button, Field, Select, Spinner, Text } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { SlotList } from '../../../infra/ui/SlotList.tsx';
import { formatRange } from '../../../infra/ui/time.ts';
import type { FindTimesView, SlotView } from '../../../infra/ui/types.ts';
import { paneApi, type SignedInUser } from './auth.ts';
import {
  durationOf,
  organizerTimeZone,
  readInvite,
  writeSlot,
  type AgendaLine,
  type InviteDraft,
} from './mailbox.ts';
import { previousMeeting, type PreviousMeeting } from './previous.ts';
import { problemOf, type Problem } from './problems.ts';

/** How far ahead the pane looks for times. */
const SEARCH_DAYS = 14;

export type PaneLinkType = 'teams' | 'zoom' | 'none';
export const TEAMS_LOCATION = 'Microsoft Teams Meeting';

export function searchWindow(now = new Date()): { start: string; end: string } {
  const quarter = 15 * 60_000;
  const start = new Date(Math.ceil(now.getTime() / quarter) * quarter);
  return {
    start: start.toISOString(),
    end: new Date(start.getTime() + SEARCH_DAYS * 86_400_000).toISOString(),
  };
}

export function agendaFor(subject: string, previous: PreviousMeeting | null): AgendaLine[] {
  const lines: AgendaLine[] = [];
  if (subject.trim()) lines.push({ topic: subject.trim() });
  for (const item of previous?.actionItems.filter((a) => !a.done) ?? []) {
    lines.push({ topic: `Follow up: ${item.task}`, owner: item.owner });
  }
  return lines;
}

interface Loaded {
  draft: InviteDraft;
  found: FindTimesView;
  previous: PreviousMeeting | null;
}

export function ComposeMeeting({
  item,
  user,
  online,
}: {
  item: Office.AppointmentCompose;
  user: SignedInUser;
  online: boolean;
}) {
  const zone = organizerTimeZone();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [written, setWritten] = useState<string | null>(null);
  const [linkType, setLinkType] = useState<PaneLinkType>('none');

  const load = useCallback(async () => {
    setBusy(true);
    setProblem(null);
    try {
      const draft = await readInvite(item);
      const attendees = [
        ...draft.required.map((p) => ({ email: p.email, name: p.name, optional: false })),
        ...draft.optional.map((p) => ({ email: p.email, name: p.name, optional: true })),
      ].filter((a) => a.email !== user.email.toLowerCase());
      const [found, previous] = await Promise.all([
        paneApi<FindTimesView>('/api/scheduling/find', {
          body: {
            attendees,
            durationMinutes: durationOf(draft),
            window: searchWindow(),
            limit: 5,
          },
        }),
        attendees.length > 0
          ? previousMeeting([user.email, ...attendees.map((a) => a.email)], new Date()).catch(
              () => null, // the agenda then has the subject only
            )
          : Promise.resolve(null),
      ]);
      setLoaded({ draft, found, previous });
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  }, [item, user.email]);

  useEffect(() => {
    void load();
    // Attendees added or removed while the pane is open: new suggestions (Mailbox 1.7).
    const refresh = () => void load();
    item.addHandlerAsync(Office.EventType.RecipientsChanged, refresh);
    return () => item.removeHandlerAsync(Office.EventType.RecipientsChanged);
  }, [item, load]);

  const pick = async (slot: SlotView) => {
    if (!loaded) return;
    setBusy(true);
    setProblem(null);
    try {
      const agenda = agendaFor(loaded.draft.subject, loaded.previous);
      let location: string | undefined = linkType === 'teams' ? TEAMS_LOCATION : undefined;
      if (linkType === 'zoom') {
        // Made first: if Zoom refuses (not linked), nothing is written into the invite.
        const { joinUrl } = await paneApi<{ joinUrl: string }>('/api/online-meetings', {
          body: {
            type: 'zoom',
            title: loaded.draft.subject.trim() || 'Meeting',
            start: slot.start,
            end: slot.end,
            timeZone: zone,
          },
        });
        location = joinUrl;
        agenda.unshift({ topic: `Join the Zoom meeting: ${joinUrl}` });
      }
      const result = await writeSlot(item, {
        start: new Date(slot.start),
        end: new Date(slot.end),
        ...(location ? { location } : {}),
        agenda,
      });
      setWritten(
        `${formatRange(slot.start, slot.end, zone)} is now in the invite` +
          (result.agendaAdded ? ', with an agenda above your text.' : '.'),
      );
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  const attendeeCount = loaded ? loaded.draft.required.length + loaded.draft.optional.length : 0;
  return (
    <section aria-label="Schedule this meeting" style={{ display: 'grid', gap: 8 }}>
      {problem ? (
        <Notice intent="error" title={problem.title}>
          {problem.message}
        </Notice>
      ) : null}
      {written ? <Notice intent="success">{written}</Notice> : null}
      {linkType === 'teams' && written ? (
        <Notice intent="info">
          Turn on “Teams meeting” in the invite’s toolbar if it is not on: Outlook adds the join
          link when you send.
        </Notice>
      ) : null}
      <Field label="Meeting link">
        <Select
          value={linkType}
          onChange={(_e, data) => setLinkType(data.value as PaneLinkType)}
          aria-label="Meeting link"
        >
          <option value="none">No online meeting</option>
          <option value="teams">Microsoft Teams</option>
          <option value="zoom">Zoom</option>
        </Select>
      </Field>
      {busy && !loaded ? <Spinner label="Finding times…" /> : null}
      {loaded ? (
        <>
          <Text>
            {attendeeCount === 0
              ? 'Add attendees to the invite to find a time that suits everyone.'
              : `Best times for ${attendeeCount} attendee${attendeeCount === 1 ? '' : 's'} and you, ${durationOf(loaded.draft)} minutes:`}
          </Text>
          <SlotList
            slots={loaded.found.slots}
            unknown={loaded.found.unknown}
            {...(loaded.found.leastBurdenNote
              ? { leastBurdenNote: loaded.found.leastBurdenNote }
              : {})}
            timeZone={zone}
            busy={busy || !online}
            onPick={(slot) => void pick(slot)}
            pickLabel="Use"
          />
          {loaded.previous ? (
            <Text size={200}>The agenda carries open items from “{loaded.previous.title}”.</Text>
          ) : null}
        </>
      ) : null}
      <Button onClick={() => void load()} disabled={busy || !online}>
        Refresh suggestions
      </Button>
    </section>
  );
}
