// A slot's button opens the booking modal (at once: a trigger_id lasts 3 seconds); submitting
// it books on the organizer's calendar. The idempotency key comes from the interaction — the
// proposal and the slot chosen — so a double click or a double submit books once.
import type { App, BlockButtonAction, ViewSubmitAction, webApi } from '@slack/bolt';
import { z } from 'zod';
import { LINK_TYPES, type LinkType } from '../../../core/identity/user-settings.ts';
import { MeetingError } from '../../../core/meetings/index.ts';
import type { Slot } from '../../../core/scheduling/availability/index.ts';
import { BOOK_VIEW, bookingConfirmation, bookingModal } from '../render/booking.ts';
import type { SlackMessage } from '../render/help.ts';
import { escapeText } from '../render/limits.ts';
import { plain } from '../render/notices.ts';
import { slotText } from '../render/time.ts';
import { whoIsAsking, type Asker, type SlackDeps } from '../middleware/context.ts';
import type { ProposalDoc } from '../store/polls.ts';
import { callerOf } from './changes.ts';
import { PICK_ACTION, proposeTimes } from './find.ts';
import {
  bookingProblem,
  ephemeralReply,
  later,
  postToResponseUrl,
  slackOrigin,
  type Reply,
} from './shared.ts';

const EMAIL = /^[\w.%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}$/;
const MAX_ATTENDEES = 100;

const metadata = z.object({ p: z.string().min(1), s: z.number().int(), r: z.string().optional() });
type Metadata = z.infer<typeof metadata>;

interface Form {
  title: string;
  durationMinutes: number;
  linkType: LinkType;
  agenda: string | undefined;
  attendees: Array<{ email: string; optional: boolean }>;
}

type Values = ViewSubmitAction['view']['state']['values'];

/** Reads the modal; problems come back per field, the way Slack shows them under inputs. */
export function readForm(values: Values): { form: Form } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const title = values.title?.value?.value?.trim() ?? '';
  if (title === '') errors.title = 'Give the meeting a title.';
  const duration = Number(values.duration?.value?.selected_option?.value);
  if (!Number.isInteger(duration) || duration < 5 || duration > 480) {
    errors.duration = 'Choose a duration.';
  }
  const link = values.link?.value?.selected_option?.value ?? 'none';
  const attendees: Form['attendees'] = [];
  const wrong: string[] = [];
  for (const entry of (values.attendees?.value?.value ?? '').split(/[\n,;]+/)) {
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const optional = /\(optional\)\s*$/i.test(trimmed);
    const email = trimmed
      .replace(/\(optional\)\s*$/i, '')
      .trim()
      .toLowerCase();
    if (EMAIL.test(email)) attendees.push({ email, optional });
    else wrong.push(trimmed);
  }
  if (wrong.length > 0) {
    errors.attendees = `Not an email: ${wrong.slice(0, 3).join(', ')}${wrong.length > 3 ? ` and ${wrong.length - 3} more` : ''}.`;
  } else if (attendees.length > MAX_ATTENDEES) {
    errors.attendees = `At most ${MAX_ATTENDEES} attendees.`;
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    form: {
      title,
      durationMinutes: duration,
      linkType: (LINK_TYPES as readonly string[]).includes(link) ? (link as LinkType) : 'none',
      agenda: values.agenda?.value?.value?.trim() || undefined,
      attendees,
    },
  };
}

function defaultTitle(proposal: ProposalDoc): string {
  if (proposal.title) return proposal.title;
  const names = proposal.attendees.slice(0, 3).map((a) => a.name ?? a.email.split('@')[0]);
  const more = proposal.attendees.length > 3 ? ` +${proposal.attendees.length - 3}` : '';
  return names.length > 0 ? `Meeting with ${names.join(', ')}${more}` : 'Meeting';
}

export function registerBooking(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(PICK_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const tell = ephemeralReply(body.response_url);
    // Not queued: the modal must open within the trigger_id's 3 seconds.
    try {
      const who = await whoIsAsking(deps, client, callerOf(body));
      if (!who.ok) {
        await tell(who.message);
        return;
      }
      const [proposalId = '', startText = ''] = (action.value ?? '').split('|');
      const proposal = await deps.proposals.get(who.asker.ctx, proposalId);
      const start = Number(startText);
      if (!proposal || proposal.organizerId !== who.asker.user._id) {
        await tell(
          plain(
            'These times have expired or were offered to someone else. Ask again with `/meet find …`.',
          ),
        );
        return;
      }
      const meta: Metadata = { p: proposal._id, s: start, r: body.response_url };
      await client.views.open({
        trigger_id: body.trigger_id,
        view: bookingModal({
          title: defaultTitle(proposal),
          start,
          durationMinutes: proposal.durationMinutes,
          attendees: proposal.attendees,
          linkType: who.asker.settings.defaultLinkType,
          privateMetadata: JSON.stringify(meta),
        }),
      });
    } catch (error) {
      deps.logger.error({ err: error }, 'booking modal could not open');
      await tell(plain(':warning: The booking form could not open. Click the time again.')).catch(
        () => {},
      );
    }
  });

  app.view<ViewSubmitAction>(BOOK_VIEW, async ({ ack, body, view, client }) => {
    const read = readForm(view.state.values);
    if ('errors' in read) {
      await ack({ response_action: 'errors', errors: read.errors });
      return;
    }
    const parsed = metadata.safeParse(safeJson(view.private_metadata));
    await ack();
    const responseUrl = parsed.success ? parsed.data.r : undefined;
    const tell = tellVia(client, body.user.id, responseUrl);
    if (!parsed.success) {
      await tell(plain('This booking form is out of date. Ask again with `/meet find …`.'));
      return;
    }
    later(deps, tell, () => book(deps, client, body, parsed.data, read.form, tell));
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Back to the person: through the slot list's response_url, else a direct message. */
function tellVia(
  client: webApi.WebClient,
  slackUserId: string,
  responseUrl: string | undefined,
): Reply {
  return async (message) => {
    if (responseUrl) {
      await postToResponseUrl(responseUrl, {
        response_type: 'ephemeral',
        replace_original: false,
        ...message,
      });
      return;
    }
    await client.chat.postMessage({
      channel: slackUserId,
      text: message.text,
      blocks: message.blocks,
    });
  };
}

async function book(
  deps: SlackDeps,
  client: webApi.WebClient,
  body: ViewSubmitAction,
  meta: Metadata,
  form: Form,
  tell: Reply,
): Promise<void> {
  const who = await whoIsAsking(deps, client, {
    teamId: body.team?.id ?? body.user.team_id ?? '',
    slackUserId: body.user.id,
    slackName: body.user.name,
    teamName: body.team?.domain ?? '',
  });
  if (!who.ok) {
    await tell(who.message);
    return;
  }
  const asker = who.asker;
  const proposal = await deps.proposals.get(asker.ctx, meta.p);
  if (!proposal || proposal.organizerId !== asker.user._id) {
    await tell(plain('These times have expired. Ask again with `/meet find …`.'));
    return;
  }
  const start = new Date(meta.s);
  const end = new Date(meta.s + form.durationMinutes * 60_000);
  const names = new Map(proposal.attendees.map((a) => [a.email, a.name]));
  let result;
  try {
    result = await deps.bookings.book(asker.ctx, {
      organizerEmail: asker.user.email,
      title: form.title,
      start,
      end,
      attendees: form.attendees
        .filter((a) => a.email !== asker.user.email)
        .map((a) => ({ ...a, ...(names.get(a.email) ? { name: names.get(a.email)! } : {}) })),
      linkType: form.linkType,
      ...(form.agenda ? { description: form.agenda } : {}),
      idempotencyKey: `slack:${asker.ws.teamId}:${proposal._id}:${meta.s}`,
      origin: slackOrigin(asker.ws.teamId, proposal.channelId, proposal.threadTs),
      ...(proposal.followUpOf ? { followUpOf: proposal.followUpOf } : {}),
    });
  } catch (error) {
    await tell(bookingProblem(deps, error));
    return;
  }
  if (!result.ok) {
    if (result.reason === 'in-progress') {
      await tell(plain(`:hourglass: ${result.message}`));
      return;
    }
    await tell(await takenMeanwhile(deps, client, asker, proposal, result.alternatives, form));
    return;
  }
  if (result.alreadyBooked) {
    await tell(
      plain(
        `This time was already booked: *${escapeText(result.booking.title)}*, ${slotText(result.booking.start, result.booking.end)}.`,
      ),
    );
    return;
  }
  await recordMeeting(deps, asker, result.booking._id, form.agenda);
  await announce(
    deps,
    client,
    asker,
    proposal,
    bookingConfirmation(result.booking, asker.slackUserId),
  );
  if (meta.r) {
    await postToResponseUrl(meta.r, {
      replace_original: true,
      ...plain(
        `:white_check_mark: Booked *${escapeText(result.booking.title)}* for ${slotText(result.booking.start, result.booking.end)}.`,
      ),
    });
  }
}

/**
 * The meeting record goes with the booking, the agenda typed in the form as its invite text:
 * `/meet agenda` reads its topics from there, and summaries find their way back to Slack.
 */
async function recordMeeting(
  deps: SlackDeps,
  asker: Asker,
  bookingId: string,
  agenda: string | undefined,
): Promise<void> {
  if (!deps.meetings) return;
  const actor = {
    kind: 'user' as const,
    userId: asker.user._id,
    email: asker.user.email,
    name: asker.user.name,
  };
  try {
    await deps.meetings.create(asker.ctx, actor, {
      bookingId,
      ...(agenda ? { description: agenda } : {}),
    });
  } catch (error) {
    // The booking stands without it; `/meet agenda` creates it later.
    if (!(error instanceof MeetingError)) throw error;
    deps.logger.warn({ err: error }, 'meeting record not created with its booking');
  }
}

/** The confirmation goes where the times were asked for; when the bot may not post there, to the organizer. */
async function announce(
  deps: SlackDeps,
  client: webApi.WebClient,
  asker: Asker,
  proposal: ProposalDoc,
  message: SlackMessage,
): Promise<void> {
  try {
    await client.chat.postMessage({
      channel: proposal.channelId,
      ...(proposal.threadTs ? { thread_ts: proposal.threadTs } : {}),
      text: message.text,
      blocks: message.blocks,
    });
  } catch (error) {
    deps.logger.info(
      { err: error },
      'confirmation not posted in its channel; sent to the organizer',
    );
    await client.chat.postMessage({
      channel: asker.slackUserId,
      text: message.text,
      blocks: message.blocks,
    });
  }
}

async function takenMeanwhile(
  deps: SlackDeps,
  client: webApi.WebClient,
  asker: Asker,
  proposal: ProposalDoc,
  alternatives: Slot[],
  form: Form,
): Promise<SlackMessage> {
  return proposeTimes(deps, client, asker, {
    attendees: proposal.attendees,
    unresolved: [],
    durationMinutes: form.durationMinutes,
    window: { start: new Date(), end: new Date(Date.now() + 14 * 86_400_000) },
    title: form.title,
    channelId: proposal.channelId,
    threadTs: proposal.threadTs,
    ...(proposal.followUpOf ? { followUpOf: proposal.followUpOf } : {}),
    describe: 'That time was taken in the meantime; these are the next best.',
    found: {
      timeZone: asker.settings.timeZone,
      slots: alternatives,
      unknown: [],
      required: [],
      optional: [],
    },
  });
}
