/// <reference types="office-js" />
// One click on a time: the meeting link (made first, so a refused Zoom link writes nothing), the
// time, location and agenda, and for a series its recurrence. Whether Outlook can take the
// recurrence is asked before anything is written; when it cannot, the first meeting is written
// and the pane says plainly to set the repeat in Outlook.
import { formatRange } from '../../../infra/ui/time.ts';
import type { SlotView } from '../../../infra/ui/types.ts';
import { paneApi } from './auth.ts';
import { writeSlot, type AgendaLine } from './mailbox.ts';
import { itemRepeats, repeatRefusal, writeRecurrence, type RepeatRefusal } from './recurrence.ts';
import { describeRule, type ApiRule } from './repeat.ts';

export type PaneLinkType = 'teams' | 'zoom' | 'none';
export const TEAMS_LOCATION = 'Microsoft Teams Meeting';

/** A slot of a series search: each meeting, as the find API returns them. */
export type PaneSlot = SlotView & { occurrences?: Array<{ start: string; end: string }> };

export interface Choice {
  slot: PaneSlot;
  subject: string;
  agenda: AgendaLine[];
  linkType: PaneLinkType;
  /** The rule the times were searched with; absent for a single meeting. */
  rule?: ApiRule;
  /** The zone the series keeps its wall-clock time in (the find API's). */
  seriesZone: string;
  /** The zone the pane shows times in. */
  shownZone: string;
}

export interface Chosen {
  written: string;
  /** Set when the series could not be written (the first meeting was), or a single time went into an invite that still repeats. */
  refusal: RepeatRefusal | null;
}

/** One time chosen for an invite that repeats: Quorum leaves the repeat alone, and says so. */
export const STILL_REPEATS: RepeatRefusal = {
  title: 'The invite still repeats',
  message:
    'The invite already repeats, and Quorum leaves that as it is. If this is one meeting, turn the repeat off in Outlook.',
};

async function zoomLink(choice: Choice): Promise<string> {
  const { joinUrl } = await paneApi<{ joinUrl: string }>('/api/online-meetings', {
    body: {
      type: 'zoom',
      title: choice.subject.trim() || 'Meeting',
      start: choice.slot.start,
      end: choice.slot.end,
      timeZone: choice.shownZone,
    },
  });
  return joinUrl;
}

export async function writeChoice(
  item: Office.AppointmentCompose,
  choice: Choice,
): Promise<Chosen> {
  const { slot } = choice;
  const series =
    choice.rule && slot.occurrences && slot.occurrences.length > 1
      ? { rule: choice.rule, occurrences: slot.occurrences, timeZone: choice.seriesZone }
      : null;
  const refusal = series ? repeatRefusal(item, series.timeZone) : null;
  const repeats = await itemRepeats(item);
  const agenda = [...choice.agenda];
  let location: string | undefined = choice.linkType === 'teams' ? TEAMS_LOCATION : undefined;
  if (choice.linkType === 'zoom') {
    location = await zoomLink(choice);
    agenda.unshift({ topic: `Join the Zoom meeting: ${location}` });
  }
  // The single time first: Outlook takes a recurrence on an item that is not one yet. On one
  // that already repeats, the new series' own times replace the old ones.
  const result = await writeSlot(item, {
    start: new Date(slot.start),
    end: new Date(slot.end),
    keepTimes: repeats && series !== null && refusal === null,
    ...(location ? { location } : {}),
    agenda,
  });
  if (series && !refusal) await writeRecurrence(item, series);
  const range = formatRange(slot.start, slot.end, choice.shownZone);
  const what =
    series && !refusal
      ? `${capitalized(describeRule(series.rule))}, from ${range}, is now in the invite`
      : series
        ? `The first meeting, ${range}, is now in the invite`
        : `${range} is now in the invite`;
  return {
    written: what + (result.agendaAdded ? ', with an agenda above your text.' : '.'),
    refusal: refusal ?? (repeats && !series ? STILL_REPEATS : null),
  };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
