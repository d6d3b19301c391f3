// `/meet …`: acknowledged at once (help inline, everything else empty), then read with the
// shared parser in the asker's time zone and handed to the matching handler.
import type { App, SlashCommand, webApi } from '@slack/bolt';
import {
  parseCommandText,
  type ParsedCommand,
} from '../../../core/scheduling/command-text/index.ts';
import { COMMAND, helpMessage, type SlackMessage } from '../render/help.ts';
import { notUnderstood } from '../render/notices.ts';
import { escapeText } from '../render/limits.ts';
import { whoIsAsking, type Asker, type Caller, type SlackDeps } from '../middleware/context.ts';
import { connectMessage } from './connect.ts';
import { nextMeeting } from './next.ts';
import { followUp } from './followup.ts';
import { agenda, summary } from './meetings.ts';
import { createPoll } from './polls.ts';
import { attendeesWithout, proposeTimes } from './find.ts';
import { upcomingToChange } from './changes.ts';
import { later, postToResponseUrl, type Reply } from './shared.ts';

// "optional" before people marks them as optional: "with @ana optional @raj @mei".
const OPTIONAL_PART = /\boptional(?:ly)?:?\s+(.*)$/is;
const SLACK_USER = /<@([A-Z0-9]+)(?:\|[^>]*)?>/g;
const EMAIL = /[\w.%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}/g;

function optionalRefs(text: string): Set<string> {
  const part = OPTIONAL_PART.exec(text)?.[1] ?? '';
  return new Set([
    ...[...part.matchAll(SLACK_USER)].map((m) => m[1]!),
    ...[...part.matchAll(EMAIL)].map((m) => m[0].toLowerCase()),
  ]);
}

export function registerCommands(app: App, deps: SlackDeps): void {
  app.command(COMMAND, async ({ command, ack, client }) => {
    const text = command.text.trim();
    const first = text.split(/\s+/)[0]?.toLowerCase() ?? '';
    if (first === '' || first === 'help') {
      await ack({ response_type: 'ephemeral', ...helpMessage() });
      return;
    }
    await ack();
    const reply: Reply = (message) =>
      postToResponseUrl(command.response_url, { response_type: 'ephemeral', ...message });
    later(deps, reply, () => runCommand(deps, client, command, text, reply));
  });
}

async function runCommand(
  deps: SlackDeps,
  client: webApi.WebClient,
  command: SlashCommand,
  text: string,
  reply: Reply,
): Promise<void> {
  const caller: Caller = {
    teamId: command.team_id,
    slackUserId: command.user_id,
    slackName: command.user_name,
    teamName: command.team_domain,
  };
  if (/^connect\b/i.test(text)) {
    await reply(await connectMessage(deps, client, caller));
    return;
  }
  const who = await whoIsAsking(deps, client, caller);
  if (!who.ok) {
    await reply(who.message);
    return;
  }
  const asker = who.asker;
  // `next` takes no arguments, so it needs no parsing (the shared parser knows the other verbs).
  if (/^next$/i.test(text)) {
    await reply(await nextMeeting(deps, asker));
    return;
  }
  const parsed = parseCommandText(text, { now: new Date(), timeZone: asker.settings.timeZone });
  if (!parsed.ok) {
    await reply(notUnderstood(parsed));
    return;
  }
  const request = { caller, channelId: command.channel_id, text, reply };
  const message = await answer(deps, client, asker, parsed.command, request);
  if (message) await reply(message);
}

async function answer(
  deps: SlackDeps,
  client: webApi.WebClient,
  asker: Asker,
  parsed: ParsedCommand,
  request: { caller: Caller; channelId: string; text: string; reply: Reply },
): Promise<SlackMessage | undefined> {
  const { text, reply } = request;
  const where = { channelId: request.channelId, threadTs: null };
  switch (parsed.verb) {
    case 'help':
      return helpMessage();
    case 'connect':
      return connectMessage(deps, client, request.caller);
    case 'find':
    case 'book': {
      const people = await peopleOf(deps, client, asker, parsed, text);
      return proposeTimes(deps, asker, {
        ...people,
        ...where,
        durationMinutes: parsed.durationMinutes,
        window: parsed.window,
        preferences: parsed.preferences,
        ...(parsed.exactStart ? { exactStart: parsed.exactStart } : {}),
        // "/meet weekly 30m with @raj @maya": times whose every meeting works, booked as a series.
        ...(parsed.recurrence ? { recurrence: parsed.recurrence } : {}),
        title: parsed.title ?? null,
        describe: describe(parsed),
        notes: ignoredNote(parsed),
      });
    }
    case 'poll': {
      const people = await peopleOf(deps, client, asker, parsed, text);
      await createPoll(deps, asker, { ...people, ...where, parsed, reply, client });
      return undefined;
    }
    case 'followup':
      return followUp(deps, asker, { ...where, parsed });
    case 'agenda':
      return agenda(deps, asker, parsed);
    case 'summary':
      return summary(deps, client, asker);
    case 'cancel':
    case 'reschedule':
      return upcomingToChange(deps, asker, parsed.verb);
  }
}

/** The people mentioned, as attendees (optional when typed after "optional"). */
async function peopleOf(
  deps: SlackDeps,
  client: webApi.WebClient,
  asker: Asker,
  parsed: ParsedCommand,
  text: string,
) {
  const optional = optionalRefs(text);
  const resolved = await deps.people.attendees(client, asker.ws, parsed.attendees);
  const attendees = resolved.people.map((p) => ({
    email: p.email,
    ...(p.name ? { name: p.name } : {}),
    ...(p.key !== p.email ? { slackId: p.key } : {}),
    optional: optional.has(p.key),
  }));
  return {
    attendees: attendeesWithout(asker.user.email, attendees),
    unresolved: resolved.unresolved,
  };
}

function describe(parsed: ParsedCommand): string {
  return `I understood: ${parsed.understood.join('; ')}`;
}

function ignoredNote(parsed: ParsedCommand): string[] {
  const ignored = parsed.ignored.filter((w) => !/^optional(ly)?:?$/i.test(w));
  return ignored.length > 0
    ? [`I left out words I did not understand: ${escapeText(ignored.join(', '))}.`]
    : [];
}
