// A fair rotation (RotationReply) as Slack blocks: the times taking turns with each person's
// clock, each person's meetings outside hours in this rotation and carried before, and one
// "Book this rotation" button. The button carries only the find's proposal id and the times'
// first starts: the proposal already holds the people, the length and the count.
import {
  ROTATION_INTRO,
  type RotationBookedReply,
  type RotationReply,
} from '../../../core/assistant/index.ts';
import { zoneCity } from '../../../core/scheduling/local-times.ts';
import type { SlackMessage } from './help.ts';
import { LIMITS, actions, button, context, escapeText, fit, fitList, section } from './limits.ts';
import type { Block } from './limits.ts';
import { slotText } from './time.ts';

export const ROTATION_ACTION = 'quorum.rotation.book';

/** Beyond this many people a time names those outside their hours and counts the rest. */
const PEOPLE_SHOWN = 6;
/** Lines of the "meetings outside hours" list before the rest are counted. */
const COUNTS_SHOWN = 20;

/** The button's value: `<proposal id>|<start>,<start>[,<start>]` (epoch ms). */
export function rotationValue(proposalId: string, starts: readonly number[]): string {
  return `${proposalId}|${starts.join(',')}`;
}

export function readRotationValue(
  value: string,
): { proposalId: string; starts: number[] } | undefined {
  const [proposalId = '', list = ''] = value.split('|');
  const starts = list.split(',').map(Number);
  if (proposalId === '' || starts.length < 2 || starts.length > 3) return undefined;
  if (!starts.every((s) => Number.isSafeInteger(s) && s > 0)) return undefined;
  return { proposalId, starts };
}

function clockLines(people: RotationReply['times'][number]['people']): string[] {
  if (people.length <= PEOPLE_SHOWN) return people.map((p) => `• ${escapeText(p.text)}`);
  const outside = people.filter((p) => p.minutesOutside > 0).slice(0, PEOPLE_SHOWN);
  const rest = people.length - outside.length;
  return [
    ...outside.map((p) => `• ${escapeText(p.text)}`),
    ...(rest > 0 ? [`+${rest} more, in working hours or not shown`] : []),
  ];
}

function countLines(people: RotationReply['people']): string {
  const lines = people
    .slice(0, COUNTS_SHOWN)
    .map(
      (p) =>
        `• ${escapeText(p.name)} (${escapeText(zoneCity(p.timeZone))}): *${p.outside}* outside hours in this rotation, ${p.carriedBefore} carried before`,
    );
  const rest = people.length - COUNTS_SHOWN;
  return fit(
    ['*Meetings outside working hours*', ...lines, ...(rest > 0 ? [`+${rest} more`] : [])].join(
      '\n',
    ),
    LIMITS.sectionText,
  );
}

/** The plan's blocks, to stand above the single times the find offered. */
export function rotationBlocks(plan: RotationReply, proposalId: string): Block[] {
  const people = plan.attendees.map((a) => escapeText(a.name ?? a.email));
  const blocks: Block[] = [
    section(
      [
        `*A fair rotation: ${plan.count} meetings of ${plan.durationMinutes} min${people.length > 0 ? ` with ${fitList(people, 1200)}` : ''}*`,
        `:arrows_counterclockwise: ${ROTATION_INTRO}`,
      ].join('\n'),
    ),
  ];
  for (const time of plan.times) {
    blocks.push(
      section(
        [
          `*Time ${time.label}: ${slotText(time.start, time.end)}*, from week ${time.firstWeek + 1}, every ${time.everyWeeks} weeks (${time.meetings} meetings)`,
          ...clockLines(time.people),
        ].join('\n'),
      ),
    );
  }
  blocks.push(section(countLines(plan.people)));
  blocks.push(
    context(
      `The largest count is ${plan.largest} of ${plan.count}; one time every week would ask ${plan.singleTimeLargest} of someone.`,
    ),
  );
  blocks.push(
    actions([
      button('Book this rotation', ROTATION_ACTION, {
        value: rotationValue(proposalId, plan.booking.starts),
        style: 'primary',
      }),
    ]),
  );
  return blocks;
}

/** What replaces the plan once it is booked: the times, each its own series. */
export function rotationBookedMessage(reply: RotationBookedReply, title: string): SlackMessage {
  const k = reply.bookings.length;
  const lines = reply.bookings.map(
    (b, i) =>
      `• Time ${'ABC'[i]}: ${slotText(b.start, b.end)}, every ${k} weeks${b.series?.rule.count ? ` (${b.series.rule.count} meetings)` : ''}`,
  );
  const heading = reply.alreadyBooked
    ? `:white_check_mark: *${escapeText(title)}* was already booked as this rotation.`
    : `:white_check_mark: *${escapeText(title)}*: ${escapeText(reply.message)}`;
  return {
    text: `Rotation booked: ${title}`,
    blocks: [
      section([heading, ...lines].join('\n')),
      context('Each time is its own series on your calendar.'),
    ],
  };
}
