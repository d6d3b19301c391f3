// A fair rotation (RotationReply) on a card: the times taking turns with each person's clock,
// each person's meetings outside hours in this rotation and carried before, and one "Book this
// rotation" button. The button carries only the find's proposal id and the times' first starts:
// the proposal already holds the people, the length and the count.
import {
  ROTATION_INTRO,
  type RotationBookedReply,
  type RotationReply,
} from '../../../core/assistant/index.ts';
import { zoneCity } from '../../../core/scheduling/local-times.ts';
import { ACTIONS, card, execute, heading, md, note, text, when } from './card.ts';
import type { AdaptiveCard, CardElement } from './card.ts';

/** Beyond this many people a time names those outside their hours and counts the rest. */
const PEOPLE_SHOWN = 6;
/** Rows of the "meetings outside hours" table before the rest are counted. */
const COUNTS_SHOWN = 20;
const LABELS = 'ABC';

/** What the button carries: the proposal and each time's first start (epoch ms). */
export interface RotationData {
  p: string;
  r: number[];
}

function clockLines(people: RotationReply['times'][number]['people']): string[] {
  if (people.length <= PEOPLE_SHOWN) return people.map((p) => p.text);
  const outside = people.filter((p) => p.minutesOutside > 0).slice(0, PEOPLE_SHOWN);
  const rest = people.length - outside.length;
  return [
    ...outside.map((p) => p.text),
    ...(rest > 0 ? [`+${rest} more, in working hours or not shown`] : []),
  ];
}

function countsTable(people: RotationReply['people']): CardElement[] {
  const rest = people.length - COUNTS_SHOWN;
  return [
    text('**Meetings outside working hours**', { spacing: 'Medium' }),
    {
      type: 'FactSet',
      facts: people.slice(0, COUNTS_SHOWN).map((p) => ({
        title: md(`${p.name} (${zoneCity(p.timeZone)})`),
        value: `${p.outside} in this rotation, ${p.carriedBefore} carried before`,
      })),
    },
    ...(rest > 0 ? [note(`+${rest} more`)] : []),
  ];
}

/** The plan's elements, to stand above the single times the find offered. */
export function rotationElements(plan: RotationReply, proposalId: string): CardElement[] {
  const people = plan.attendees.map((a) => a.name ?? a.email);
  const data: RotationData = { p: proposalId, r: plan.booking.starts };
  return [
    heading(
      `A fair rotation: ${plan.count} meetings of ${plan.durationMinutes} min${people.length > 0 ? ` with ${people.join(', ')}` : ''}`,
    ),
    text(md(ROTATION_INTRO)),
    ...plan.times.map((time) => ({
      type: 'Container',
      separator: true,
      items: [
        text(`**Time ${time.label}: ${when(time.start, time.end)}**`),
        note(
          md(
            `From week ${time.firstWeek + 1}, every ${time.everyWeeks} weeks (${time.meetings} meetings)`,
          ),
        ),
        note(md(clockLines(time.people).join('\n\n'))),
      ],
    })),
    ...countsTable(plan.people),
    note(
      md(
        `The largest count is ${plan.largest} of ${plan.count}; one time every week would ask ${plan.singleTimeLargest} of someone.`,
      ),
    ),
    {
      type: 'ActionSet',
      actions: [execute('Book this rotation', ACTIONS.rotation, { ...data })],
    },
  ];
}

/** What replaces the plan once it is booked: the times, each its own series. */
export function rotationBookedCard(reply: RotationBookedReply, title: string): AdaptiveCard {
  const k = reply.bookings.length;
  return card([
    text(
      reply.alreadyBooked
        ? `✅ **${md(title)}** was already booked as this rotation.`
        : `✅ **${md(title)}**: ${md(reply.message)}`,
      { size: 'Medium' },
    ),
    ...reply.bookings.map((b, i) =>
      text(
        `Time ${LABELS[i]}: ${when(b.start, b.end)}, every ${k} weeks${b.series?.rule.count ? ` (${b.series.rule.count} meetings)` : ''}`,
      ),
    ),
    note('Each time is its own series on your calendar.'),
  ]);
}
