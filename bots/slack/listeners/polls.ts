// `/meet poll …`: candidate times from the calendars Quorum can see, posted in the channel.
// Slack users vote with the buttons (a second click takes a vote back); guests keep their own
// signed links. The poll service books the meeting once every required person has voted.
import type { App, BlockButtonAction, ViewSubmitAction, webApi } from '@slack/bolt';
import { z } from 'zod';
import { problem, type Problem } from '../../../core/assistant/index.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import type { ParsedCommand } from '../../../core/scheduling/command-text/index.ts';
import { bookingConfirmation } from '../render/booking.ts';
import { fitList } from '../render/limits.ts';
import { plain } from '../render/notices.ts';
import {
  BALLOT_VIEW,
  VOTE_ACTION,
  ballotModal,
  emailedLinksMessage,
  guestLinksMessage,
  pollMessage,
} from '../render/poll.ts';
import type { Asker, SlackDeps } from '../middleware/context.ts';
import { slackProfile } from '../middleware/people.ts';
import type { SlackPollDoc } from '../store/polls.ts';
import { MAX_SLOTS_SHOWN } from '../render/slots.ts';
import { ephemeralReply, labeller, later, postToResponseUrl, type Reply } from './shared.ts';

const MAX_OPTIONS = Math.min(MAX_SLOTS_SHOWN, 6);

export interface PollInput {
  attendees: Array<{ email: string; name?: string; optional: boolean; slackId?: string }>;
  unresolved: string[];
  channelId: string;
  parsed: ParsedCommand;
  reply: Reply;
  client: webApi.WebClient;
}

export async function createPoll(deps: SlackDeps, asker: Asker, input: PollInput): Promise<void> {
  const { parsed, reply } = input;
  const names = input.attendees.map((a) => a.name ?? a.email);
  const inSlack = input.attendees.flatMap((a) => (a.slackId ? [a.email] : []));
  const created = await deps.assistant.poll.create(asker, {
    attendees: input.attendees.map(({ slackId: _, ...person }) => person),
    durationMinutes: parsed.durationMinutes,
    window: parsed.window,
    preferences: parsed.preferences,
    title: parsed.title ?? `Meeting with ${fitList(names, 150)}`,
    maxOptions: MAX_OPTIONS,
    // Slack users vote with the buttons; the use case emails the others their links.
    votesHere: inSlack,
  });
  if (created.kind === 'problem') {
    await reply(plain(pollProblemText(created)));
    return;
  }
  const { poll, sent } = created;
  const slackPoll: SlackPollDoc = {
    _id: poll._id,
    teamId: asker.ws.teamId,
    channelId: input.channelId,
    organizerSlackId: asker.slackUserId,
    slackUsers: input.attendees.flatMap((a) =>
      a.slackId ? [{ email: a.email, slackId: a.slackId }] : [],
    ),
    createdAt: new Date(),
  };
  await deps.slackPolls.savePoll(asker.ctx, slackPoll);
  const message = pollMessage({
    poll,
    votes: [],
    label: labelFor(poll, slackPoll),
    organizerSlackId: asker.slackUserId,
  });
  // Posted by the bot, the message can be updated later when a guest votes on the web; where the
  // bot may not post (a channel it is not in, someone else's DM), through the command's reply.
  const posted = await input.client.chat
    .postMessage({ channel: input.channelId, ...message })
    .catch(() => undefined);
  if (posted?.ts) await deps.slackPolls.setPollMessage(asker.ctx, poll._id, posted.ts);
  else await reply({ response_type: 'in_channel', ...message });
  if (sent.emailed.length > 0) await reply(emailedLinksMessage(sent.emailed));
  if (sent.shareByHand.length > 0) await reply(guestLinksMessage(sent.shareByHand));
  if (input.unresolved.length > 0) {
    await reply(
      plain(
        `Not in the poll, as I could not tell who they are: ${fitList(input.unresolved, 2000)}. Mention people so Slack links them, or write their email.`,
      ),
    );
  }
}

function pollProblemText(problem: Problem): string {
  if (problem.code === 'no-people') {
    return 'Say who should vote, with @mentions or emails: `/meet poll 45 min with @ana bob@guest.example next week "Offsite"`';
  }
  return `${problem.message}${problem.whatToDo ? ` ${problem.whatToDo}` : ''}`;
}

export function labelFor(
  poll: { participants: Array<{ email: string; name?: string }> },
  slackPoll: SlackPollDoc | undefined,
) {
  return labeller(
    new Map(poll.participants.map((p) => [p.email, p.name ?? p.email])),
    new Map((slackPoll?.slackUsers ?? []).map((u) => [u.email, u.slackId])),
  );
}

const ballotMeta = z.object({ p: z.string().min(1), r: z.string().min(1) });

/** Who votes: their Quorum email, or their Slack email for people outside Quorum. */
async function voter(
  deps: SlackDeps,
  client: webApi.WebClient,
  teamId: string,
  slackUserId: string,
) {
  const tenantId = await deps.workspaces.tenantOf(teamId);
  if (!tenantId) return undefined;
  // The tenant comes from the workspace; who votes from the verified Slack user.
  const ctx = verifiedTenantContext(tenantId, 'installation');
  const person = await deps.people.quorumUser(client, { teamId, tenantId }, slackUserId);
  const email = person.user?.email ?? (await slackProfile(client, slackUserId))?.email ?? undefined;
  return { ctx, email };
}

export function registerPolls(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(VOTE_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const tell = ephemeralReply(body.response_url);
    // Not queued: the ballot must open within the trigger_id's 3 seconds.
    try {
      const pollId = action.value ?? '';
      const who = await voter(deps, client, body.team?.id ?? body.user.team_id ?? '', body.user.id);
      const ballot = who
        ? await deps.assistant.poll.ballot({ ctx: who.ctx, email: who.email ?? '' }, pollId)
        : problem('not-found', 'This poll no longer exists.');
      if (ballot.kind === 'problem') {
        await tell(plain(ballot.message));
        return;
      }
      await client.views.open({
        trigger_id: body.trigger_id,
        view: ballotModal(
          ballot.poll,
          ballot.mine,
          JSON.stringify({ p: pollId, r: body.response_url }),
        ),
      });
    } catch (error) {
      deps.logger.error({ err: error }, 'ballot could not open');
      await tell(plain(':warning: The ballot could not open. Click Vote again.')).catch(() => {});
    }
  });

  app.view<ViewSubmitAction>(BALLOT_VIEW, async ({ ack, body, view, client }) => {
    await ack();
    const meta = ballotMeta.safeParse(safeJson(view.private_metadata));
    if (!meta.success) return;
    const yes = (view.state.values.yes?.value?.selected_options ?? [])
      .map((o) => Number(o.value))
      .filter(Number.isInteger);
    const tell = ephemeralReply(meta.data.r);
    later(deps, tell, () =>
      vote(
        deps,
        client,
        body.team?.id ?? body.user.team_id ?? '',
        body.user.id,
        meta.data,
        yes,
        tell,
      ),
    );
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function vote(
  deps: SlackDeps,
  client: webApi.WebClient,
  teamId: string,
  slackUserId: string,
  meta: z.infer<typeof ballotMeta>,
  yes: number[],
  tell: Reply,
): Promise<void> {
  const who = await voter(deps, client, teamId, slackUserId);
  if (!who?.email) {
    await tell(plain('I could not tell who you are, so your vote was not counted.'));
    return;
  }
  const pollId = meta.p;
  const after = await deps.assistant.poll.vote({ ctx: who.ctx, email: who.email }, pollId, yes, {
    via: 'slack',
    once: (id) => deps.once('poll-booked', id),
  });
  if (after.kind === 'problem') {
    await tell(plain(`:warning: ${after.message}`));
    return;
  }
  const slackPoll = await deps.slackPolls.getPoll(who.ctx, pollId);
  const organizerSlackId = slackPoll?.organizerSlackId ?? slackUserId;
  await postToResponseUrl(meta.r, {
    replace_original: true,
    ...pollMessage({
      poll: after.poll,
      votes: after.cast.map((v) => ({ email: v.email, yes: v.yes })),
      label: labelFor(after.poll, slackPoll),
      organizerSlackId,
    }),
  });
  // Racing final votes both see "booked"; the assistant reports the booking once.
  if (after.booked) {
    await postToResponseUrl(meta.r, {
      response_type: 'in_channel',
      replace_original: false,
      ...bookingConfirmation(after.booked, organizerSlackId),
    });
  }
}
