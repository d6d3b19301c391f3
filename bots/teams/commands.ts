// A message to the bot ("@Quorum find 30m with @Ana next week", or anything in a personal
// chat): the bot's own mention is taken out, the text is read by the shared parser in the
// asker's time zone, mentioned people become attendees, and the answer is a card.
import type { BookingDoc } from '../../core/scheduling/booking/booking-model.ts';
import { MeetingError } from '../../core/meetings/index.ts';
import {
  parseCommandText,
  type Mention,
  type ParsedCommand,
} from '../../core/scheduling/command-text/index.ts';
import {
  agendaCard,
  card,
  execute,
  helpCard,
  md,
  notUnderstoodCard,
  plainCard,
  summaryCard,
  text,
  when,
  ACTIONS,
  type AdaptiveCard,
} from './cards.ts';
import {
  connectCardFor,
  userActor,
  type Asker,
  type TeamsActivity as Activity,
  type TeamsDeps,
} from './context.ts';
import { TeamsPoll } from './models.ts';
import { pollStateCard } from './poll-updates.ts';
import { signInActivity } from './sign-in.ts';
import { attendeesWithout, proposeTimes, MAX_SLOTS_SHOWN } from './propose.ts';
import { findTimes } from '../../core/scheduling/find-times.ts';
import { ownerMentions } from './summaries.ts';

interface MentionEntity {
  type: 'mention';
  text?: string;
  mentioned: { id: string; name?: string };
}

export function mentionsOf(activity: Activity): MentionEntity[] {
  return ((activity.entities ?? []) as unknown as Array<Partial<MentionEntity>>).filter(
    (e): e is MentionEntity =>
      e.type === 'mention' && typeof e.mentioned?.id === 'string' && e.mentioned.id !== '',
  );
}

const decode = (s: string) =>
  s
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The command text: the bot's own mention removed, markup of rich text dropped. */
export function commandText(activity: Activity): string {
  let raw = typeof activity.text === 'string' ? activity.text : '';
  for (const mention of mentionsOf(activity)) {
    if (mention.mentioned.id === activity.recipient.id && mention.text) {
      raw = raw.split(mention.text).join(' ');
    }
  }
  // Rich text arrives as HTML; <at> tags are kept for the parser, other tags are dropped.
  raw = raw.replace(/<(?!\/?at>)[^>]*>/g, ' ');
  return decode(raw).replace(/\s+/g, ' ').trim();
}

// "optional" before people marks them as optional: "with @ana optional @raj".
const OPTIONAL_PART = /\boptional(?:ly)?:?\s+(.*)$/is;

async function peopleOf(
  deps: TeamsDeps,
  asker: Asker,
  activity: Activity,
  parsed: ParsedCommand,
  text: string,
) {
  const optionalText = OPTIONAL_PART.exec(text)?.[1] ?? '';
  const entities = mentionsOf(activity).filter((m) => m.mentioned.id !== activity.recipient.id);
  const where = {
    msTenantId: asker.msTenantId,
    tenantId: asker.tenantId,
    conversationId: asker.conversationId,
  };
  const attendees: Array<{ email: string; name?: string; optional: boolean }> = [];
  const unresolved: string[] = [];
  for (const mention of parsed.attendees as Mention[]) {
    if (mention.kind === 'email') {
      attendees.push({
        email: mention.email,
        optional: optionalText.toLowerCase().includes(mention.email),
      });
      continue;
    }
    // The parser read "<at>Ana Lopez</at>"; the activity's mention entity says who that is.
    const tag = `<at>${mention.ref}</at>`;
    const entity = entities.find(
      (e) => decode(e.text ?? '') === tag || (e.mentioned.name ?? '').trim() === mention.ref,
    );
    const person = entity
      ? await deps.directory.attendee(asker.api, where, {
          id: entity.mentioned.id,
          name: entity.mentioned.name ?? mention.ref,
        })
      : undefined;
    if (!person) {
      unresolved.push(`@${mention.ref}`);
      continue;
    }
    attendees.push({ ...person, optional: optionalText.includes(tag) });
  }
  return { attendees: attendeesWithout(asker.user.email, attendees), unresolved };
}

function describe(parsed: ParsedCommand): string {
  return `I understood: ${parsed.understood.join('; ')}`;
}

function ignoredNote(parsed: ParsedCommand): string[] {
  const ignored = parsed.ignored.filter((w) => !/^optional(ly)?:?$/i.test(w));
  return ignored.length > 0
    ? [`I left out words I did not understand: ${ignored.join(', ')}.`]
    : [];
}

export type Answer =
  | { kind: 'card'; card: AdaptiveCard }
  /** An activity of its own (the OAuth card of "connect"). */
  | { kind: 'activity'; activity: NonNullable<Awaited<ReturnType<typeof signInActivity>>> }
  | {
      kind: 'poll';
      card: AdaptiveCard;
      pollId: string;
      /** The guests' voting links, for the organizer alone (sent to them in private). */
      links?: AdaptiveCard;
    };

/** "connect": the OAuth card (silent with Teams SSO), or why Quorum cannot tell who is asking. */
async function connectAnswer(deps: TeamsDeps, activity: Activity): Promise<Answer> {
  const signIn = await signInActivity(
    deps,
    activity,
    'Sign in to Quorum and connect your calendar: meetings you schedule here go on it, with a Teams link.',
  );
  if (signIn) return { kind: 'activity', activity: signIn };
  return { kind: 'card', card: await connectCardFor(deps, activity, '') };
}

/** The answer to a command; `asker` is resolved by the caller (except for help and connect). */
export async function answerCommand(
  deps: TeamsDeps,
  activity: Activity,
  text: string,
  resolve: () => Promise<{ ok: true; asker: Asker } | { ok: false; card: AdaptiveCard }>,
): Promise<Answer> {
  const first = text.split(/\s+/)[0]?.toLowerCase() ?? '';
  if (first === '' || first === 'help' || first === 'hi' || first === 'hello') {
    return { kind: 'card', card: helpCard() };
  }
  if (first === 'connect') return connectAnswer(deps, activity);
  const who = await resolve();
  if (!who.ok) return { kind: 'card', card: who.card };
  const asker = who.asker;
  // Teams tells the client's zone with each message; Quorum's own setting wins when it has one.
  const timeZone = asker.settings.timeZone || activity.localTimezone || 'UTC';
  const parsed = parseCommandText(text, { now: new Date(), timeZone });
  if (!parsed.ok) return { kind: 'card', card: notUnderstoodCard(parsed) };
  const command = parsed.command;
  switch (command.verb) {
    case 'help':
      return { kind: 'card', card: helpCard() };
    case 'connect':
      return connectAnswer(deps, activity);
    case 'find':
    case 'book': {
      const people = await peopleOf(deps, asker, activity, command, text);
      return {
        kind: 'card',
        card: await proposeTimes(deps, asker, {
          ...people,
          durationMinutes: command.durationMinutes,
          window: command.window,
          preferences: command.preferences,
          ...(command.exactStart ? { exactStart: command.exactStart } : {}),
          title: command.title ?? null,
          describe: describe(command),
          notes: ignoredNote(command),
        }),
      };
    }
    case 'poll':
      return createPoll(deps, asker, activity, command, text);
    case 'followup':
      return { kind: 'card', card: await followUp(deps, asker, command) };
    case 'agenda':
      return { kind: 'card', card: await agenda(deps, asker, command) };
    case 'summary':
      return { kind: 'card', card: await summary(deps, asker) };
    case 'cancel':
    case 'reschedule':
      return { kind: 'card', card: await upcoming(deps, asker, command.verb) };
  }
}

async function createPoll(
  deps: TeamsDeps,
  asker: Asker,
  activity: Activity,
  parsed: ParsedCommand,
  typed: string,
): Promise<Answer> {
  const people = await peopleOf(deps, asker, activity, parsed, typed);
  if (people.attendees.length === 0) {
    return {
      kind: 'card',
      card: plainCard(
        'Say who should vote, with @mentions or emails: "poll 45 min with @Ana bob@guest.example next week \\"Offsite\\"".',
      ),
    };
  }
  const found = await findTimes(deps.scheduling, asker.ctx, {
    organizerEmail: asker.user.email,
    attendees: people.attendees.map((a) => ({ email: a.email, optional: a.optional })),
    durationMinutes: parsed.durationMinutes,
    window: parsed.window,
    preferences: parsed.preferences,
    limit: MAX_SLOTS_SHOWN,
  });
  if (found.slots.length === 0) {
    return {
      kind: 'card',
      card: plainCard(
        'No time in that window works for the people whose calendars Quorum can see, so there is nothing to vote on. Try a longer window or a shorter meeting.',
      ),
    };
  }
  const options = [...found.slots]
    .sort((a, b) => a.start - b.start)
    .map((s) => ({ start: new Date(s.start), end: new Date(s.end) }));
  const names = people.attendees.map((a) => a.name ?? a.email);
  const { poll, links } = await deps.polls.create(asker.ctx, {
    organizerId: asker.user._id,
    organizerEmail: asker.user.email,
    title: parsed.title ?? `Meeting with ${names.join(', ')}`.slice(0, 200),
    linkType: asker.settings.defaultLinkType,
    options,
    participants: people.attendees.map((a) => ({
      email: a.email,
      ...(a.name ? { name: a.name } : {}),
      required: !a.optional,
    })),
  });
  await (
    await deps.scheduling.store.tenantModel(asker.ctx, TeamsPoll)
  ).create({
    _id: poll._id,
    conversationId: asker.conversationId,
    activityId: null,
    createdAt: new Date(),
  });
  const notes: string[] = [];
  if (people.unresolved.length > 0) {
    notes.push(
      `Not in the poll, as I could not tell who they are: ${people.unresolved.join(', ')}.`,
    );
  }
  // Guests vote through their own signed links; those go only to the organizer in private.
  const guestLinks =
    links.length > 0
      ? card([
          text(
            `Links for people who vote outside Teams on **${md(poll.title)}** (each link is personal; forward it only to that person):`,
          ),
          ...links.map((l) => text(`${md(l.email)}: [vote](${l.url})`, { spacing: 'Small' })),
        ])
      : undefined;
  const shown = pollStateCard({ poll, cast: [] });
  for (const line of notes) shown.body.push(text(md(line), { isSubtle: true, size: 'Small' }));
  return {
    kind: 'poll',
    card: shown,
    pollId: poll._id,
    ...(guestLinks ? { links: guestLinks } : {}),
  };
}

/** The latest booking of this conversation the person takes part in, else their latest one. */
function latestBooking(deps: TeamsDeps, asker: Asker): Promise<BookingDoc | undefined> {
  return deps.bookings.latestToFollowUp(
    asker.ctx,
    { userId: asker.user._id, email: asker.user.email },
    { platform: 'teams', conversationId: asker.conversationId },
  );
}

export async function followUpOf(
  deps: TeamsDeps,
  asker: Asker,
  booking: BookingDoc,
  durationMinutes?: number,
): Promise<AdaptiveCard> {
  const minutes =
    durationMinutes ?? Math.round((booking.end.getTime() - booking.start.getTime()) / 60_000);
  const people = attendeesWithout(asker.user.email, [
    { email: booking.organizerEmail, optional: false },
    ...booking.attendees.map((a) => ({
      email: a.email,
      ...(a.name ? { name: a.name } : {}),
      optional: a.optional,
    })),
  ]);
  const common = {
    attendees: people,
    unresolved: [],
    durationMinutes: minutes,
    title: `Follow-up: ${booking.title}`.slice(0, 200),
    followUpOf: booking._id,
    describe: `A follow-up of “${booking.title}”`,
  };
  if (booking.organizerId === asker.user._id) {
    const { result } = await deps.bookings.followUpTimes(asker.ctx, booking._id, {
      durationMinutes: minutes,
    });
    return proposeTimes(deps, asker, {
      ...common,
      window: { start: booking.end, end: new Date(booking.end.getTime() + 14 * 86_400_000) },
      found: result,
    });
  }
  const from = new Date(Math.max(Date.now(), booking.end.getTime()));
  return proposeTimes(deps, asker, {
    ...common,
    window: { start: from, end: new Date(from.getTime() + 14 * 86_400_000) },
  });
}

async function followUp(deps: TeamsDeps, asker: Asker, parsed: ParsedCommand) {
  const booking = await latestBooking(deps, asker);
  if (!booking) {
    return plainCard(
      'There is no meeting to follow up on: none was booked from this chat or by you. Book one with "find …" first.',
    );
  }
  const durationGiven = parsed.understood.some(
    (line) => line.startsWith('duration:') && !line.endsWith('(default)'),
  );
  return followUpOf(deps, asker, booking, durationGiven ? parsed.durationMinutes : undefined);
}

const NO_MEETINGS = 'No meetings are recorded yet.';

async function agenda(deps: TeamsDeps, asker: Asker, parsed: ParsedCommand) {
  if (!deps.meetings) return plainCard(NO_MEETINGS);
  const dateGiven = parsed.understood.some(
    (line) => line.startsWith('when:') && !line.includes('(default)'),
  );
  const window = dateGiven ? parsed.window : { start: new Date(), end: undefined };
  const upcomingBookings = await deps.bookings.listFor(asker.ctx, asker.user._id, {
    from: window.start,
    limit: 10,
  });
  const next = upcomingBookings.find(
    (b) => b.start >= window.start && (!window.end || b.start < window.end),
  );
  if (!next) {
    return plainCard(
      'You have no upcoming meeting booked through Quorum in that time. Book one with "find …".',
    );
  }
  const actor = userActor(asker.user);
  try {
    const { meeting } = await deps.meetings.create(asker.ctx, actor, { bookingId: next._id });
    const { agenda: items } = await deps.meetings.agenda(asker.ctx, actor, meeting.id);
    return agendaCard(meeting, items);
  } catch (error) {
    if (error instanceof MeetingError) return plainCard(`⚠️ ${error.message}`);
    throw error;
  }
}

async function summary(deps: TeamsDeps, asker: Asker) {
  if (!deps.meetings) return plainCard(NO_MEETINGS);
  const mine = await deps.meetings.listMine(
    asker.ctx,
    { userId: asker.user._id, email: asker.user.email },
    { limit: 20 },
  );
  const latest = mine.find((m) => m.status === 'ready');
  if (!latest) {
    return plainCard(
      mine.length === 0
        ? NO_MEETINGS
        : 'None of your meetings has a summary yet: summaries appear once a transcript or recording was processed.',
    );
  }
  try {
    const view = await deps.meetings.get(asker.ctx, userActor(asker.user), latest.id);
    const mention = await ownerMentions(deps, asker.msTenantId, asker.tenantId, view);
    return summaryCard(view, mention);
  } catch (error) {
    if (error instanceof MeetingError) return plainCard(`⚠️ ${error.message}`);
    throw error;
  }
}

async function upcoming(deps: TeamsDeps, asker: Asker, verb: 'cancel' | 'reschedule') {
  const list = await deps.bookings.listFor(asker.ctx, asker.user._id, {
    from: new Date(),
    limit: 10,
  });
  const own = list.filter((b) => b.organizerId === asker.user._id && b.status === 'confirmed');
  if (own.length === 0) return plainCard('You organize no upcoming meeting booked through Quorum.');
  return card([
    text(
      verb === 'cancel'
        ? '**Which meeting do you want to cancel?**'
        : '**Which meeting do you want to move?**',
    ),
    ...own.map((b) => ({
      type: 'ColumnSet',
      separator: true,
      columns: [
        {
          type: 'Column',
          width: 'stretch',
          items: [
            text(`**${md(b.title)}**`),
            text(when(b.start, b.end), { isSubtle: true, spacing: 'None' }),
          ],
        },
        {
          type: 'Column',
          width: 'auto',
          items: [
            {
              type: 'ActionSet',
              actions: [
                execute(
                  verb === 'cancel' ? 'Cancel' : 'Reschedule',
                  verb === 'cancel' ? ACTIONS.cancel : ACTIONS.reschedule,
                  { b: b._id },
                ),
              ],
            },
          ],
        },
      ],
    })),
  ]);
}
