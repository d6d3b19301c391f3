// "Book this rotation": the assistant books the plan's times as interleaved series, and the
// message that offered the plan is replaced by what was booked or by what went wrong. The button
// names the find's proposal (its people, length and count, and that it is the clicker's) and
// the times' first starts; the idempotency key is the proposal, so a double click books once.
import type { App, BlockButtonAction } from '@slack/bolt';
import { defaultTitle, type Problem, type ProposalRecord } from '../../../core/assistant/index.ts';
import type { SlackMessage } from '../render/help.ts';
import { escapeText } from '../render/limits.ts';
import { plain } from '../render/notices.ts';
import { ROTATION_ACTION, readRotationValue, rotationBookedMessage } from '../render/rotation.ts';
import { callerOf, whoIsAsking, type Asker, type SlackDeps } from '../middleware/context.ts';
import { slackConversation } from './find.ts';
import { bookingProblem, ephemeralReply, later, postToResponseUrl, type Reply } from './shared.ts';

const ASK_AGAIN = 'Ask again with `/meet weekly …`: the times are checked anew.';

export function registerRotation(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ROTATION_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const tell = ephemeralReply(body.response_url);
    // The plan's message becomes the answer: booked, or why not.
    const replace: Reply = (message) =>
      postToResponseUrl(body.response_url, { replace_original: true, ...message });
    later(deps, tell, async () => {
      const who = await whoIsAsking(deps, client, callerOf(body));
      if (!who.ok) {
        await tell(who.message);
        return;
      }
      await replace(await bookRotation(deps, who.asker, action.value ?? ''));
    });
  });
}

async function bookRotation(deps: SlackDeps, asker: Asker, value: string): Promise<SlackMessage> {
  const chosen = readRotationValue(value);
  if (!chosen) return plain(`This rotation is out of date. ${ASK_AGAIN}`);
  const proposal = await deps.assistant.book.proposal(asker, chosen.proposalId);
  if ('kind' in proposal) return plain(`These times have expired. ${ASK_AGAIN}`);
  const count = proposal.recurrence?.count;
  if (!count || chosen.starts.some((s) => s < Date.now())) {
    return plain(`This rotation is out of date. ${ASK_AGAIN}`);
  }
  const title = defaultTitle(proposal);
  const reply = await deps.assistant.rotation.book(asker, {
    attendees: proposal.attendees,
    durationMinutes: proposal.durationMinutes,
    count,
    starts: chosen.starts,
    title,
    linkType: asker.settings.defaultLinkType,
    idempotencyKey: `slack:${asker.ws.teamId}:${proposal._id}:rotation`,
    origin: originOf(asker, proposal),
  });
  if (reply.kind === 'problem') {
    // A meeting link that needs another calendar: the same buttons as a single booking shows.
    return reply.connectCalendar ? bookingProblem(deps, reply) : problemMessage(reply);
  }
  return rotationBookedMessage(reply, title);
}

/** The conversation the plan was asked in (the proposal's origin). */
function originOf(asker: Asker, proposal: ProposalRecord) {
  const [, channelId = ''] = proposal.origin.reference.split(':');
  return slackConversation(asker.ws.teamId, channelId, proposal.origin.thread);
}

function problemMessage(reply: Problem): SlackMessage {
  const text = `:warning: ${escapeText(reply.message)} ${escapeText(reply.whatToDo ?? '')}`.trim();
  return plain(`${text}\n${ASK_AGAIN}`);
}
