/// <reference types="office-js" />
// A meeting being written: finds the best times for its attendees (for one meeting, or a series
// whose every meeting works) and, on one click, writes the chosen time, the meeting link's
// location, an agenda and any repeat into the invite (choose.ts).
import { Button, Field, Select, Spinner, Text } from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { SlotList } from '../../../infra/ui/SlotList.tsx';
import type { FindTimesView } from '../../../infra/ui/types.ts';
import { paneApi, type SignedInUser } from './auth.ts';
import { writeChoice, type PaneLinkType, type PaneSlot } from './choose.ts';
import {
  durationOf,
  organizerTimeZone,
  readInvite,
  type AgendaLine,
  type InviteDraft,
} from './mailbox.ts';
import { previousMeeting, type PreviousMeeting } from './previous.ts';
import { problemOf, type Problem } from './problems.ts';
import { RepeatControl } from './RepeatControl.tsx';
import type { RepeatRefusal } from './recurrence.ts';
import {
  describeRule,
  firstMeetingWindow,
  monthlyDayOf,
  ruleOf,
  type ApiRule,
  type RepeatChoice,
} from './repeat.ts';

export { TEAMS_LOCATION, type PaneLinkType } from './choose.ts';

/** How far ahead the pane looks for times. */
const SEARCH_DAYS = 14;

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
  found: FindTimesView & { slots: PaneSlot[] };
  previous: PreviousMeeting | null;
  /** The repeat the times were found for. */
  rule: ApiRule | undefined;
}

/** Reads the invite and asks Quorum for times: for a series, first meetings whose every meeting works. */
async function findFor(
  item: Office.AppointmentCompose,
  userEmail: string,
  choice: RepeatChoice,
  zone: string,
): Promise<Loaded> {
  const draft = await readInvite(item);
  const attendees = [
    ...draft.required.map((p) => ({ email: p.email, name: p.name, optional: false })),
    ...draft.optional.map((p) => ({ email: p.email, name: p.name, optional: true })),
  ].filter((a) => a.email !== userEmail.toLowerCase());
  const rule = ruleOf(choice);
  const [found, previous] = await Promise.all([
    paneApi<Loaded['found']>('/api/scheduling/find', {
      body: {
        attendees,
        durationMinutes: durationOf(draft),
        window: firstMeetingWindow(rule, searchWindow(), zone),
        limit: 5,
        ...(rule ? { recurrence: rule } : {}),
      },
    }),
    attendees.length > 0
      ? previousMeeting([userEmail, ...attendees.map((a) => a.email)], new Date()).catch(
          () => null, // the agenda then has the subject only
        )
      : Promise.resolve(null),
  ]);
  return { draft, found, previous, rule };
}

const SINGLE: RepeatChoice = { kind: 'none', count: 8, ordinal: 1, weekday: 'MO' };

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
  const [refusal, setRefusal] = useState<RepeatRefusal | null>(null);
  const [linkType, setLinkType] = useState<PaneLinkType>('none');
  const [choice, setChoice] = useState<RepeatChoice>(SINGLE);
  // The latest choice, for searches started by Outlook's events and the refresh button.
  const choiceRef = useRef(choice);

  // Searches can overlap (the repeat changed while one ran): only the latest one's answer shows.
  const searches = useRef(0);

  const load = useCallback(async () => {
    const search = ++searches.current;
    setBusy(true);
    setProblem(null);
    try {
      const found = await findFor(item, user.email, choiceRef.current, zone);
      if (search === searches.current) setLoaded(found);
    } catch (error) {
      if (search === searches.current) setProblem(problemOf(error));
    } finally {
      if (search === searches.current) setBusy(false);
    }
  }, [item, user.email, zone]);

  useEffect(() => {
    void load();
    // Attendees added or removed while the pane is open: new suggestions (Mailbox 1.7).
    const refresh = () => void load();
    item.addHandlerAsync(Office.EventType.RecipientsChanged, refresh);
    return () => item.removeHandlerAsync(Office.EventType.RecipientsChanged);
  }, [item, load]);

  const changeRepeat = (next: RepeatChoice, searchNow: boolean) => {
    // Monthly starts as the invite's own day ("the third Tuesday"), which the user may change.
    const updated =
      next.kind === 'monthly' && choiceRef.current.kind !== 'monthly' && loaded
        ? { ...next, ...monthlyDayOf(loaded.draft.start, zone) }
        : next;
    choiceRef.current = updated;
    setChoice(updated);
    if (searchNow) void load();
  };

  const pick = async (slot: PaneSlot) => {
    if (!loaded) return;
    setBusy(true);
    setProblem(null);
    setRefusal(null);
    try {
      const chosen = await writeChoice(item, {
        slot,
        subject: loaded.draft.subject,
        agenda: agendaFor(loaded.draft.subject, loaded.previous),
        linkType,
        ...(loaded.rule ? { rule: loaded.rule } : {}),
        seriesZone: loaded.found.timeZone,
        shownZone: zone,
      });
      setWritten(chosen.written);
      setRefusal(chosen.refusal);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-label="Schedule this meeting" style={{ display: 'grid', gap: 8 }}>
      {problem ? (
        <Notice intent="error" title={problem.title}>
          {problem.message}
        </Notice>
      ) : null}
      {written ? <Notice intent="success">{written}</Notice> : null}
      {refusal ? (
        <Notice intent="warning" title={refusal.title}>
          {refusal.message}
        </Notice>
      ) : null}
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
      <RepeatControl
        choice={choice}
        onChange={changeRepeat}
        onCountDone={() => void load()}
        disabled={busy || !online}
      />
      {busy && !loaded ? <Spinner label="Finding times…" /> : null}
      {loaded ? <Found loaded={loaded} zone={zone} busy={busy || !online} onPick={pick} /> : null}
      <Button onClick={() => void load()} disabled={busy || !online}>
        Refresh suggestions
      </Button>
    </section>
  );
}

function Found({
  loaded,
  zone,
  busy,
  onPick,
}: {
  loaded: Loaded;
  zone: string;
  busy: boolean;
  onPick: (slot: PaneSlot) => Promise<void>;
}) {
  const attendeeCount = loaded.draft.required.length + loaded.draft.optional.length;
  const minutes = durationOf(loaded.draft);
  const who = `${attendeeCount} attendee${attendeeCount === 1 ? '' : 's'} and you`;
  return (
    <>
      <Text>
        {attendeeCount === 0
          ? 'Add attendees to the invite to find a time that suits everyone.'
          : loaded.rule
            ? `Times when every meeting works for ${who}, ${minutes} minutes, ${describeRule(loaded.rule)}:`
            : `Best times for ${who}, ${minutes} minutes:`}
      </Text>
      {loaded.rule && loaded.found.slots.length === 0 ? (
        <Notice intent="info">
          No first time lets every meeting of the series ({describeRule(loaded.rule)}) work. Try
          fewer meetings or another repeat.
        </Notice>
      ) : null}
      <SlotList
        slots={loaded.found.slots}
        unknown={loaded.found.unknown}
        {...(loaded.found.leastBurdenNote ? { leastBurdenNote: loaded.found.leastBurdenNote } : {})}
        timeZone={zone}
        busy={busy}
        onPick={(slot) => void onPick(slot)}
        pickLabel="Use"
      />
      {loaded.previous ? (
        <Text size={200}>The agenda carries open items from “{loaded.previous.title}”.</Text>
      ) : null}
    </>
  );
}
