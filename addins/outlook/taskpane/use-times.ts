/// <reference types="office-js" />
// The times the pane offers and the repeat they were found for: reads the invite, asks Quorum
// (for a series, first meetings whose every meeting works), and searches again when the repeat
// or the attendees change. Searches can overlap, so only the latest one's answer shows.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FindTimesView } from '../../../infra/ui/types.ts';
import { paneApi } from './auth.ts';
import type { PaneSlot } from './choose.ts';
import { durationOf, readInvite, type InviteDraft } from './mailbox.ts';
import { previousMeeting, type PreviousMeeting } from './previous.ts';
import { problemOf, type Problem } from './problems.ts';
import {
  firstMeetingWindow,
  monthlyDayOf,
  ruleOf,
  type ApiRule,
  type RepeatChoice,
} from './repeat.ts';

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

export interface Loaded {
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

export const SINGLE: RepeatChoice = { kind: 'none', count: 8, ordinal: 1, weekday: 'MO' };

export function useTimes(item: Office.AppointmentCompose, userEmail: string, shownZone: string) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [choice, setChoice] = useState<RepeatChoice>(SINGLE);
  // The latest choice and answer, for searches started by Outlook's events and the buttons.
  const choiceRef = useRef(choice);
  const loadedRef = useRef<Loaded | null>(null);
  const searches = useRef(0);
  // A series keeps its wall-clock time in the organizer's Quorum zone, which the last answer
  // names; until there is one, the zone Outlook shows times in.
  const seriesZone = () => loadedRef.current?.found.timeZone ?? shownZone;

  const load = useCallback(async () => {
    const search = ++searches.current;
    setBusy(true);
    setProblem(null);
    try {
      const found = await findFor(item, userEmail, choiceRef.current, seriesZone());
      if (search !== searches.current) return;
      loadedRef.current = found;
      setLoaded(found);
    } catch (error) {
      if (search === searches.current) setProblem(problemOf(error));
    } finally {
      if (search === searches.current) setBusy(false);
    }
    // seriesZone reads refs only, so it is no dependency.
  }, [item, userEmail, shownZone]);

  useEffect(() => {
    void load();
    // Attendees added or removed while the pane is open: new suggestions (Mailbox 1.7).
    const refresh = () => void load();
    item.addHandlerAsync(Office.EventType.RecipientsChanged, refresh);
    return () => item.removeHandlerAsync(Office.EventType.RecipientsChanged);
  }, [item, load]);

  const changeRepeat = (next: RepeatChoice, searchNow: boolean) => {
    // Monthly starts as the invite's own day ("the third Tuesday"), which the user may change.
    const draft = loadedRef.current?.draft;
    const updated =
      next.kind === 'monthly' && choiceRef.current.kind !== 'monthly' && draft
        ? { ...next, ...monthlyDayOf(draft.start, seriesZone()) }
        : next;
    choiceRef.current = updated;
    setChoice(updated);
    if (searchNow) void load();
  };

  return { loaded, busy, setBusy, problem, setProblem, choice, changeRepeat, load };
}
