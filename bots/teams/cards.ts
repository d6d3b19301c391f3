// What the Teams bot shows, as Adaptive Cards 1.5. Times are written with the card language's
// DATE()/TIME() functions, which Teams renders in each viewer's own time zone; the plain text
// beside each card (notifications, older clients) uses the asker's zone.
// Buttons are Action.Execute (the card is answered and replaced in place) with an
// Action.Submit fallback for clients without Universal Actions.
import type { AgendaItem } from '../../core/ai/index.ts';
import type { MeetingView } from '../../core/meetings/index.ts';
import type { BookingDoc } from '../../core/scheduling/booking/booking-model.ts';
import { EXAMPLES, verbWord, type Verb } from '../../core/scheduling/command-text/index.ts';

export type CardElement = Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
  msteams?: { width?: 'Full'; entities?: MentionEntity[] };
}

export interface MentionEntity {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive' as const;

/** Verbs of the card buttons; the data carries the rest. */
export const ACTIONS = {
  book: 'quorum.book',
  cancel: 'quorum.cancel',
  reschedule: 'quorum.reschedule',
  vote: 'quorum.vote',
  followUp: 'quorum.followup',
} as const;

const MAX_TEXT = 2000;

function fit(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Card text is Markdown: characters that would format are escaped. */
export function md(text: string): string {
  return fit(text).replace(/([\\*_`~[\]<>#])/g, '\\$1');
}

export function card(body: CardElement[], actions: CardElement[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
  };
}

export const text = (value: string, extra: CardElement = {}): CardElement => ({
  type: 'TextBlock',
  text: value,
  wrap: true,
  ...extra,
});

const heading = (value: string) => text(md(value), { size: 'Medium', weight: 'Bolder' });
const note = (value: string) => text(value, { isSubtle: true, size: 'Small' });

/** RFC 3339 without fractions, as DATE() and TIME() read it. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A time range in the viewer's zone. */
export function when(start: number | Date, end: number | Date): string {
  const s = rfc3339(Number(start));
  const e = rfc3339(Number(end));
  return `{{DATE(${s}, SHORT)}} {{TIME(${s})}}–{{TIME(${e})}}`;
}

/** The same range as plain text in one zone (the asker's), for notifications. */
export function plainWhen(start: number | Date, end: number | Date, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' });
  return `${day.format(new Date(start))}–${time.format(new Date(end))} (${timeZone})`;
}

/** A button answered in place (Action.Execute), with Action.Submit for older clients. */
export function execute(title: string, verb: string, data: Record<string, unknown>): CardElement {
  return {
    type: 'Action.Execute',
    title,
    verb,
    data,
    fallback: { type: 'Action.Submit', title, data: { ...data, verb } },
  };
}

export function openUrl(title: string, url: string): CardElement {
  return { type: 'Action.OpenUrl', title, url };
}

export function plainCard(message: string): AdaptiveCard {
  return card([text(message)]);
}

const HELP: Array<[Verb, string]> = [
  ['find', 'the best times for everyone; choose one to book it'],
  ['book', 'check one specific time and book it'],
  ['poll', 'a poll people vote on; it books itself once everyone voted'],
  ['followup', 'a follow-up with the same people at the next good time'],
  ['agenda', 'the agenda of your next meeting'],
  ['summary', 'the summary, decisions and action items of your last meeting'],
  ['connect', 'link Teams to your Quorum account and calendar'],
  ['help', 'this list'],
];

export function helpCard(): AdaptiveCard {
  return card([
    heading('Quorum schedules meetings from Teams'),
    {
      type: 'FactSet',
      facts: HELP.map(([verb, what]) => ({ title: verbWord(verb), value: md(what) })),
    },
    text('**Examples**'),
    ...HELP.filter(([verb]) => verb !== 'help' && verb !== 'connect').map(([verb]) =>
      text(`\`${md(EXAMPLES[verb])}\``, { spacing: 'Small' }),
    ),
    note(
      'Mention Quorum in a chat or channel, or write to it directly. Say who with @mentions or emails, how long ("30m", "1 hour") and when ("tomorrow", "next week afternoons"). Times are shown in your own time zone.',
    ),
  ]);
}

export function connectCard(url: string, reason: string): AdaptiveCard {
  return card(
    [
      heading('Connect Quorum'),
      text(md(reason)),
      note('The link works for 15 minutes and only for you.'),
    ],
    [openUrl('Connect Quorum', url)],
  );
}

export function notUnderstoodCard(failure: {
  error: string;
  understood: string[];
  example: string;
}): AdaptiveCard {
  return card([
    text(`⚠️ ${md(failure.error)}`),
    ...(failure.understood.length > 0
      ? [text(`I understood: ${md(failure.understood.join('; '))}`, { isSubtle: true })]
      : []),
    text(`For example: \`${md(failure.example)}\``),
  ]);
}

export interface SlotLine {
  start: number;
  end: number;
  data: Record<string, unknown>;
  detail?: string;
}

export function slotsCard(input: {
  title: string;
  understood: string;
  slots: SlotLine[];
  notes: string[];
  emptyHint: string;
  extraActions?: CardElement[];
}): AdaptiveCard {
  const body: CardElement[] = [heading(input.title), note(md(input.understood))];
  if (input.slots.length === 0) body.push(text(md(input.emptyHint)));
  for (const slot of input.slots) {
    body.push({
      type: 'ColumnSet',
      separator: true,
      columns: [
        {
          type: 'Column',
          width: 'stretch',
          verticalContentAlignment: 'Center',
          items: [
            text(when(slot.start, slot.end)),
            ...(slot.detail ? [note(md(slot.detail))] : []),
          ],
        },
        {
          type: 'Column',
          width: 'auto',
          items: [{ type: 'ActionSet', actions: [execute('Book', ACTIONS.book, slot.data)] }],
        },
      ],
    });
  }
  for (const line of input.notes) body.push(note(md(line)));
  return card(body, input.extraActions ?? []);
}

export function confirmationCard(booking: BookingDoc, notes: string[] = []): AdaptiveCard {
  const people = booking.attendees.map(
    (a) => `${a.name ?? a.email}${a.optional ? ' (optional)' : ''}`,
  );
  const body: CardElement[] = [
    text(`✅ Booked **${md(booking.title)}**`, { size: 'Medium' }),
    text(when(booking.start, booking.end)),
    {
      type: 'FactSet',
      facts: [
        { title: 'Organizer', value: md(booking.organizerEmail) },
        ...(people.length > 0 ? [{ title: 'With', value: md(people.join(', ')) }] : []),
        {
          title: 'Link',
          value: booking.joinUrl ? `[Join the meeting](${booking.joinUrl})` : 'none',
        },
      ],
    },
    ...notes.map((n) => note(md(n))),
  ];
  const data = { b: booking._id };
  return card(body, [
    ...(booking.joinUrl ? [openUrl('Join', booking.joinUrl)] : []),
    execute('Reschedule', ACTIONS.reschedule, data),
    execute('Cancel', ACTIONS.cancel, data),
  ]);
}

export function cancelledCard(booking: BookingDoc): AdaptiveCard {
  return card([
    text(`🗑️ Cancelled **${md(booking.title)}**`, { size: 'Medium' }),
    text(when(booking.start, booking.end), { isSubtle: true }),
  ]);
}

export function pollCard(input: {
  pollId: string;
  title: string;
  status: string;
  options: Array<{ start: Date; end: Date }>;
  participants: Array<{ email: string; name?: string; required: boolean }>;
  votes: Array<{ email: string; yes: number[] }>;
}): AdaptiveCard {
  const open = input.status === 'open';
  const voted = new Set(input.votes.map((v) => v.email));
  const body: CardElement[] = [
    heading(`Poll: ${input.title}`),
    note(
      open
        ? 'Choose every time that works for you; choosing again takes it back. It books itself once everyone required has voted.'
        : input.status === 'booked'
          ? 'Everyone voted: the meeting is booked.'
          : input.status === 'no-common-time'
            ? 'Everyone voted, and no time works for everyone required.'
            : 'This poll is closed.',
    ),
  ];
  input.options.forEach((option, index) => {
    const yes = input.votes.filter((v) => v.yes.includes(index));
    const names = yes.map((v) => {
      const p = input.participants.find((q) => q.email === v.email);
      return p?.name ?? v.email;
    });
    body.push({
      type: 'ColumnSet',
      separator: true,
      columns: [
        {
          type: 'Column',
          width: 'stretch',
          items: [
            text(when(option.start, option.end)),
            note(`${yes.length} yes${names.length > 0 ? `: ${md(names.join(', '))}` : ''}`),
          ],
        },
        ...(open
          ? [
              {
                type: 'Column',
                width: 'auto',
                items: [
                  {
                    type: 'ActionSet',
                    actions: [
                      execute('Works for me', ACTIONS.vote, { poll: input.pollId, i: index }),
                    ],
                  },
                ],
              },
            ]
          : []),
      ],
    });
  });
  const waiting = input.participants.filter((p) => p.required && !voted.has(p.email));
  if (open && waiting.length > 0) {
    body.push(note(`Waiting for ${md(waiting.map((p) => p.name ?? p.email).join(', '))}`));
  }
  return card(body);
}

export function agendaCard(
  meeting: { title: string; startsAt: string; endsAt: string },
  agenda: AgendaItem[],
): AdaptiveCard {
  const body: CardElement[] = [
    heading(`Agenda: ${meeting.title}`),
    note(when(Date.parse(meeting.startsAt), Date.parse(meeting.endsAt))),
  ];
  if (agenda.length === 0) {
    body.push(
      text(
        'Nothing on the agenda yet: the invite lists no topics and no earlier action items are open.',
      ),
    );
  } else {
    for (const item of agenda.slice(0, 30)) {
      const owner = item.owner ? ` — ${md(item.owner)}` : '';
      const from = item.source === 'open-action-item' ? ' _(open action item)_' : '';
      body.push(text(`• ${md(item.topic)}${owner}${from}`, { spacing: 'Small' }));
    }
  }
  return card(body);
}

/** The summary card; owners Quorum knows in Teams are mentioned (and notified). */
export function summaryCard(
  meeting: MeetingView,
  mentionOf: (owner: string) => { id: string; name: string } | undefined,
): AdaptiveCard {
  const entities: MentionEntity[] = [];
  const ownerText = (owner: string) => {
    const who = mentionOf(owner);
    if (!who) return `**${md(owner)}**`;
    const tag = `<at>${who.name}</at>`;
    if (!entities.some((e) => e.mentioned.id === who.id)) {
      entities.push({ type: 'mention', text: tag, mentioned: who });
    }
    return tag;
  };
  const body: CardElement[] = [
    heading(`Summary: ${meeting.title}`),
    note(`${when(Date.parse(meeting.startsAt), Date.parse(meeting.endsAt))} · recorded by Quorum`),
  ];
  const summary = meeting.summary;
  if (!summary) {
    body.push(text('This meeting has no summary yet.'));
    return card(body);
  }
  for (const line of summary.summary.slice(0, 20))
    body.push(text(`• ${md(line)}`, { spacing: 'Small' }));
  if (summary.decisions.length > 0) {
    body.push(text('**Decisions**'));
    for (const line of summary.decisions.slice(0, 20)) {
      body.push(text(`• ${md(line)}`, { spacing: 'Small' }));
    }
  }
  if (meeting.actionItems.length > 0) {
    body.push(text('**Action items**'));
    for (const item of meeting.actionItems.slice(0, 30)) {
      const owner = item.owner ? `${ownerText(item.owner)}: ` : '';
      const due = item.due ? ` (due ${md(item.due)})` : '';
      body.push(
        text(`• ${owner}${md(item.task)}${due}${item.done ? ' ✓' : ''}`, { spacing: 'Small' }),
      );
    }
  }
  if (summary.openQuestions.length > 0) {
    body.push(text('**Open questions**'));
    for (const line of summary.openQuestions.slice(0, 20)) {
      body.push(text(`• ${md(line)}`, { spacing: 'Small' }));
    }
  }
  const result = card(body, [execute('Schedule a follow-up', ACTIONS.followUp, { m: meeting.id })]);
  if (entities.length > 0) result.msteams = { ...result.msteams, entities };
  return result;
}

export function transcriptBlockedCard(detail: string): AdaptiveCard {
  return card([
    text('⚠️ **Quorum cannot read this meeting’s transcript**', { size: 'Medium' }),
    text(md(detail)),
    text(
      'An administrator of your Microsoft tenant grants Quorum the application permission **OnlineMeetingTranscript.Read.All** (Microsoft Graph, admin consent), or consents to the app’s resource-specific permission **OnlineMeetingTranscript.Read.Chat** for meeting chats, and makes sure transcription is allowed by the meeting policy. Then there will be a summary after the next meeting.',
    ),
  ]);
}
