// A message to the bot ("@Quorum find 30m with @Ana next week", or anything in a personal
// chat): the bot's own mention is taken out, the text is read by the shared parser in the
// asker's time zone, mentioned people become attendees, and each verb's listener answers with
// a card. A message carrying a button's data is the Action.Submit fallback (actions.ts).
import { parseCommandText } from '../../../core/scheduling/command-text/index.ts';
import {
  whoIsAsking,
  type Asker,
  type TeamsActivity as Activity,
  type TeamsDeps,
} from '../middleware/context.ts';
import { decode, mentionsOf } from '../middleware/people.ts';
import type { signInActivity } from '../middleware/sign-in.ts';
import { plainCard, type AdaptiveCard } from '../render/card.ts';
import { notUnderstoodCard } from '../render/help.ts';
import { cardActivity } from '../summaries.ts';
import { onSubmit } from './actions.ts';
import { agendaCommand } from './agenda.ts';
import { upcomingCommand } from './changes.ts';
import { connectCommand } from './connect.ts';
import { followUpCommand } from './followup.ts';
import { asksForHelp, helpCommand } from './help.ts';
import { nextCommand } from './next.ts';
import { pollCommand, postPoll, type PollAnswer } from './polls.ts';
import { findCommand } from './find.ts';
import { failure, type TurnContext } from './shared.ts';
import { summaryCommand } from './summary.ts';

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

export type Answer =
  | { kind: 'card'; card: AdaptiveCard }
  /** An activity of its own (the OAuth card of "connect"). */
  | { kind: 'activity'; activity: NonNullable<Awaited<ReturnType<typeof signInActivity>>> }
  | PollAnswer;

/** The answer to a command; `asker` is resolved by the caller (except for help and connect). */
export async function answerCommand(
  deps: TeamsDeps,
  activity: Activity,
  text: string,
  resolve: () => Promise<{ ok: true; asker: Asker } | { ok: false; card: AdaptiveCard }>,
): Promise<Answer> {
  const first = text.split(/\s+/)[0]?.toLowerCase() ?? '';
  if (asksForHelp(first)) return { kind: 'card', card: helpCommand() };
  if (first === 'connect') return connectCommand(deps, activity);
  const who = await resolve();
  if (!who.ok) return { kind: 'card', card: who.card };
  return answerVerb(deps, who.asker, activity, text);
}

async function answerVerb(
  deps: TeamsDeps,
  asker: Asker,
  activity: Activity,
  text: string,
): Promise<Answer> {
  // `next` takes no arguments, so it needs no parsing (the shared parser knows the other verbs).
  if (/^next$/i.test(text)) return { kind: 'card', card: await nextCommand(deps, asker) };
  // Teams tells the client's zone with each message; Quorum's own setting wins when it has one.
  const timeZone = asker.settings.timeZone || activity.localTimezone || 'UTC';
  const parsed = parseCommandText(text, { now: new Date(), timeZone });
  if (!parsed.ok) return { kind: 'card', card: notUnderstoodCard(parsed) };
  const command = parsed.command;
  const card = (value: AdaptiveCard): Answer => ({ kind: 'card', card: value });
  switch (command.verb) {
    case 'help':
      return card(helpCommand());
    case 'connect':
      return connectCommand(deps, activity);
    case 'find':
    case 'book':
      return card(await findCommand(deps, asker, activity, command, text));
    case 'poll':
      return pollCommand(deps, asker, activity, command, text);
    case 'followup':
      return card(await followUpCommand(deps, asker, command));
    case 'agenda':
      return card(await agendaCommand(deps, asker, command));
    case 'summary':
      return card(await summaryCommand(deps, asker));
    case 'cancel':
    case 'reschedule':
      return card(await upcomingCommand(deps, asker, command.verb));
  }
}

/** A message activity: a button's Action.Submit data, or a command. */
export async function onMessage(deps: TeamsDeps, turn: TurnContext): Promise<void> {
  try {
    const activity = turn.activity as Activity;
    const value = activity.value as { verb?: unknown } | undefined;
    // An Action.Submit (the fallback of Action.Execute) arrives as a message carrying its data.
    if (
      value &&
      typeof value === 'object' &&
      typeof value.verb === 'string' &&
      !activity.text?.trim()
    ) {
      await onSubmit(deps, turn, value as { verb: string });
      return;
    }
    const text = commandText(activity);
    const answer = await answerCommand(deps, activity, text, () =>
      whoIsAsking(deps, activity, turn.api),
    );
    if (answer.kind === 'activity') {
      await turn.send(answer.activity);
      return;
    }
    const sent = await turn.send(cardActivity(answer.card));
    if (answer.kind === 'poll') await postPoll(deps, turn, answer, sent.id);
  } catch (error) {
    await turn.send(cardActivity(plainCard(failure(deps.logger, error)))).catch(() => undefined);
  }
}
