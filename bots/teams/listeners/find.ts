// Finding times and offering them as a card: find, book, follow-up, reschedule and "taken
// meanwhile" all end here. The assistant finds the slots and keeps the proposal (origin: this
// Teams conversation); render/slots.ts turns them into buttons that carry only its id and the
// slot's start.
import type { FindRequest, Origin, SlotsReply } from '../../../core/assistant/index.ts';
import type { ParsedCommand } from '../../../core/scheduling/command-text/index.ts';
import type { Asker, TeamsActivity as Activity, TeamsDeps } from '../middleware/context.ts';
import { peopleOf } from '../middleware/people.ts';
import { card, type AdaptiveCard } from '../render/card.ts';
import { rotationElements } from '../render/rotation.ts';
import { proposalCard } from '../render/slots.ts';

export const MAX_SLOTS_SHOWN = 5;

/** What Teams asks the assistant to find; the origin is the asker's conversation. */
export interface ProposeInput extends Omit<FindRequest, 'origin' | 'understood' | 'unresolved'> {
  unresolved: string[];
  /** Shown under the title ("I understood: …"). */
  describe: string;
}

/** A Teams conversation, as the assistant names origins. */
export function teamsConversation(conversationId: string): Origin {
  return { platform: 'teams', reference: conversationId, thread: null };
}

export function renderSlots(asker: Asker, reply: SlotsReply): AdaptiveCard {
  return proposalCard(reply, asker.user.email);
}

/** "find …" and "book …": the people and time asked for, offered as times to book. */
export async function findCommand(
  deps: TeamsDeps,
  asker: Asker,
  activity: Activity,
  command: ParsedCommand,
  text: string,
): Promise<AdaptiveCard> {
  const people = await peopleOf(deps, asker, activity, command, text);
  const input: ProposeInput = {
    ...people,
    durationMinutes: command.durationMinutes,
    window: command.window,
    preferences: command.preferences,
    ...(command.exactStart ? { exactStart: command.exactStart } : {}),
    // "weekly 30m with @Raj": times whose every meeting works, booked as a series.
    ...(command.recurrence ? { recurrence: command.recurrence } : {}),
    title: command.title ?? null,
    describe: describe(command),
    notes: ignoredNote(command),
  };
  const reply = await offerTimes(deps, asker, input);
  const slots = renderSlots(asker, reply);
  // Beside the times, a fair rotation when the core offers one (core/assistant/rotation.ts).
  const rotation = await deps.assistant.rotation.alongside(asker, input, reply);
  if (!rotation) return slots;
  // The rotation first; the single times the find offered (if any) below it.
  return card(
    [
      ...rotationElements(rotation, reply.proposalId),
      ...(reply.slots.length > 0 ? slots.body : []),
    ],
    slots.actions ?? [],
  );
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

export async function proposeTimes(
  deps: TeamsDeps,
  asker: Asker,
  input: ProposeInput,
): Promise<AdaptiveCard> {
  return renderSlots(asker, await offerTimes(deps, asker, input));
}

/** The times the assistant offers, kept as a proposal whose origin is this conversation. */
function offerTimes(deps: TeamsDeps, asker: Asker, input: ProposeInput): Promise<SlotsReply> {
  const { describe: understood, ...request } = input;
  return deps.assistant.find.offer(
    asker,
    { ...request, origin: teamsConversation(asker.conversationId), understood },
    { limit: MAX_SLOTS_SHOWN },
  );
}
