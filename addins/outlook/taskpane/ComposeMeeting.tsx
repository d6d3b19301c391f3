/// <reference types="office-js" />
// A meeting being written: finds the best times for its attendees (for one meeting, or a series
// whose every meeting works) and, on one click, writes the chosen time, the meeting link's
// location, an agenda and any repeat into the invite (choose.ts).
import { Button, Field, Select, Spinner, Text } from '@fluentui/react-components';
import { useState } from 'react';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { SlotList } from '../../../infra/ui/SlotList.tsx';
import type { SignedInUser } from './auth.ts';
import { writeChoice, type PaneLinkType, type PaneSlot } from './choose.ts';
import { durationOf, organizerTimeZone, type AgendaLine } from './mailbox.ts';
import type { PreviousMeeting } from './previous.ts';
import { problemOf } from './problems.ts';
import { RepeatControl } from './RepeatControl.tsx';
import type { RepeatRefusal } from './recurrence.ts';
import { describeRule } from './repeat.ts';
import { useTimes, type Loaded } from './use-times.ts';

export { TEAMS_LOCATION, type PaneLinkType } from './choose.ts';
export { searchWindow } from './use-times.ts';

export function agendaFor(subject: string, previous: PreviousMeeting | null): AgendaLine[] {
  const lines: AgendaLine[] = [];
  if (subject.trim()) lines.push({ topic: subject.trim() });
  for (const item of previous?.actionItems.filter((a) => !a.done) ?? []) {
    lines.push({ topic: `Follow up: ${item.task}`, owner: item.owner });
  }
  return lines;
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
  const times = useTimes(item, user.email, zone);
  const { loaded, busy, setBusy, problem, setProblem, load } = times;
  const [written, setWritten] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<RepeatRefusal | null>(null);
  const [linkType, setLinkType] = useState<PaneLinkType>('none');

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
        choice={times.choice}
        onChange={times.changeRepeat}
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
