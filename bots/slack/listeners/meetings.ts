// `/meet agenda` (the next meeting's agenda) and `/meet summary` (the last summarized one),
// through the meetings service; the person sees only meetings they organize or attend.
import type { webApi } from '@slack/bolt';
import { MeetingError, type MeetingActor } from '../../../core/meetings/index.ts';
import type { ParsedCommand } from '../../../core/scheduling/command-text/index.ts';
import type { SlackMessage } from '../render/help.ts';
import { agendaMessage, summaryMessage } from '../render/meetings.ts';
import { plain } from '../render/notices.ts';
import type { Asker, SlackDeps } from '../middleware/context.ts';
import { ownerMentions } from '../summaries.ts';

const NO_MEETINGS = 'No meetings are recorded yet.';

function dateGiven(parsed: ParsedCommand): boolean {
  return parsed.understood.some((line) => line.startsWith('when:') && !line.includes('(default)'));
}

function actorOf(asker: Asker): MeetingActor {
  return { kind: 'user', userId: asker.user._id, email: asker.user.email, name: asker.user.name };
}

export async function agenda(
  deps: SlackDeps,
  asker: Asker,
  parsed: ParsedCommand,
): Promise<SlackMessage> {
  if (!deps.meetings) return plain(NO_MEETINGS);
  // "agenda" alone means the next meeting, however far; "agenda tomorrow" the next one then.
  const when = dateGiven(parsed) ? parsed.window : { start: new Date(), end: undefined };
  const upcoming = await deps.bookings.listFor(asker.ctx, asker.user._id, {
    from: when.start,
    limit: 10,
  });
  const next = upcoming.find((b) => b.start >= when.start && (!when.end || b.start < when.end));
  if (!next) {
    return plain(
      'You have no upcoming meeting booked through Quorum in that time. Book one with `/meet find …`.',
    );
  }
  const actor = actorOf(asker);
  try {
    // One meeting record per booking: asking twice finds the same one.
    const { meeting } = await deps.meetings.create(asker.ctx, actor, { bookingId: next._id });
    const { agenda: items } = await deps.meetings.agenda(asker.ctx, actor, meeting.id);
    return agendaMessage(meeting, items);
  } catch (error) {
    if (error instanceof MeetingError) return plain(`:warning: ${error.message}`);
    throw error;
  }
}

export async function summary(
  deps: SlackDeps,
  client: webApi.WebClient,
  asker: Asker,
): Promise<SlackMessage> {
  if (!deps.meetings) return plain(NO_MEETINGS);
  const mine = await deps.meetings.listMine(
    asker.ctx,
    { userId: asker.user._id, email: asker.user.email },
    { limit: 20 },
  );
  const latest = mine.find((m) => m.status === 'ready');
  if (!latest) {
    return plain(
      mine.length === 0
        ? NO_MEETINGS
        : 'None of your meetings has a summary yet: summaries appear once a recording or captions were processed.',
    );
  }
  try {
    const view = await deps.meetings.get(asker.ctx, actorOf(asker), latest.id);
    const mention = await ownerMentions(deps, client, asker.ws.teamId, asker.ctx, view);
    return summaryMessage(view, mention);
  } catch (error) {
    if (error instanceof MeetingError) return plain(`:warning: ${error.message}`);
    throw error;
  }
}
