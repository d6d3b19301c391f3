// A slot's button opens the booking modal (at once: a trigger_id lasts 3 seconds); submitting
// it books on the organizer's calendar. The idempotency key comes from the interaction — the
// proposal and the slot chosen — so a double click or a double submit books once.
import type { App, BlockButtonAction, ViewSubmitAction, webApi } from '@slack/bolt';
import { z } from 'zod';
import { LINK_TYPES, type LinkType } from '../../../core/identity/user-settings.ts';
import { defaultTitle } from '../../../core/assistant/index.ts';
import {
  BOOK_VIEW,
  alreadyBookedMessage,
  bookedMessage,
  bookingConfirmation,
  bookingModal,
} from '../render/booking.ts';
import type { SlackMessage } from '../render/help.ts';
import { plain } from '../render/notices.ts';
import { MAX_SLOTS_SHOWN } from '../render/slots.ts';
import { callerOf, whoIsAsking, type Asker, type SlackDeps } from '../middleware/context.ts';
import { PICK_ACTION, renderSlots } from './find.ts';
import { bookingProblem, ephemeralReply, later, postToResponseUrl, type Reply } from './shared.ts';

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
      const proposal = await deps.assistant.book.proposal(who.asker, proposalId);
      const start = Number(startText);
      if ('kind' in proposal) {
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
  const who = await whoIsAsking(deps, client, callerOf(body));
  if (!who.ok) {
    await tell(who.message);
    return;
  }
  const asker = who.asker;
  const reply = await deps.assistant.book.fromProposal(
    asker,
    {
      proposalId: meta.p,
      start: meta.s,
      title: form.title,
      durationMinutes: form.durationMinutes,
      attendees: form.attendees,
      linkType: form.linkType,
      ...(form.agenda ? { agenda: form.agenda } : {}),
      idempotencyKey: `slack:${asker.ws.teamId}:${meta.p}:${meta.s}`,
    },
    { limit: MAX_SLOTS_SHOWN },
  );
  if (reply.kind === 'problem') {
    await tell(bookingProblem(deps, reply));
    return;
  }
  if (reply.kind === 'slots') {
    await tell(renderSlots(deps, reply));
    return;
  }
  if (reply.alreadyBooked) {
    await tell(alreadyBookedMessage(reply.booking));
    return;
  }
  if (reply.announce) {
    await announce(
      deps,
      client,
      asker,
      reply.announce,
      bookingConfirmation(reply.booking, asker.slackUserId),
    );
  }
  if (meta.r) {
    await postToResponseUrl(meta.r, { replace_original: true, ...bookedMessage(reply.booking) });
  }
}

/** The confirmation goes where the times were asked for; when the bot may not post there, to the organizer. */
async function announce(
  deps: SlackDeps,
  client: webApi.WebClient,
  asker: Asker,
  where: { reference: string; thread: string | null },
  message: SlackMessage,
): Promise<void> {
  const channelId = where.reference.split(':')[1] ?? '';
  try {
    await client.chat.postMessage({
      channel: channelId,
      ...(where.thread ? { thread_ts: where.thread } : {}),
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
