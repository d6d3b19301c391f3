// After a meeting: its summary, decisions and action items go to the Slack channel it was
// booked from, or to the organizer by direct message. Events come from the meetings outbox
// (consumer "slack"), at least once: a marker written after posting keeps a re-delivered event
// from posting twice, short of a crash between the two.
import { Schema } from 'mongoose';
import type { webApi } from '@slack/bolt';
import { findActiveTenantUserByEmail } from '../../core/identity/users.ts';
import type { Logger } from '../../core/logger.ts';
import {
  MeetingError,
  type MeetingView,
  type MeetingsService,
  type Outbox,
  type OutboxEvent,
} from '../../core/meetings/index.ts';
import type { BookingService } from '../../core/scheduling/booking/booking-service.ts';
import { isDuplicateKeyError } from '../../core/privacy/duplicate-key.ts';
import { defineModel, type Store } from '../../core/store/store.ts';
import { verifiedTenantContext, type TenantContext } from '../../core/store/tenant-context.ts';
import { escapeText } from './render/limits.ts';
import { summaryMessage } from './render/meetings.ts';
import type { SlackDeps } from './middleware/context.ts';
import { readOrigin } from './listeners/shared.ts';
import type { SlackPeople } from './middleware/people.ts';
import type { Workspaces } from './store/workspaces.ts';
import { SWEEP_COMMENT } from '../../core/store/query-rule.ts';

export const OUTBOX_CONSUMER = 'slack';
const MARKER_LIFETIME_MS = 8 * 86_400_000;

interface PostedDoc {
  _id: string;
  at: Date;
}
const SummaryPosted = defineModel<PostedDoc>(
  'SlackSummaryPosted',
  new Schema<PostedDoc>(
    { _id: { type: String, required: true }, at: { type: Date, required: true } },
    { collection: 'slack_summary_posts', versionKey: false },
  ),
);

/** Action-item owners as Slack mentions when Quorum knows their Slack account. */
export async function ownerMentions(
  deps: Pick<SlackDeps, 'people' | 'scheduling'>,
  client: webApi.WebClient,
  teamId: string,
  ctx: TenantContext,
  meeting: MeetingView,
): Promise<(owner: string) => string> {
  const owners = [...new Set(meeting.actionItems.flatMap((i) => (i.owner ? [i.owner] : [])))];
  const mentions = new Map<string, string>();
  for (const owner of owners) {
    const wanted = owner.trim().toLowerCase();
    const participant = meeting.participants.find(
      (p) => p.email === wanted || p.name?.trim().toLowerCase() === wanted,
    );
    if (!participant) continue;
    const user = await findActiveTenantUserByEmail(
      deps.scheduling.store,
      ctx.tenantId,
      participant.email,
    );
    // Only people of the organization are mentioned; a guest's Slack account is not looked up.
    const slackId = user && (await deps.people.slackUserOf(client, teamId, user));
    if (slackId) mentions.set(owner, `<@${slackId}>`);
  }
  return (owner) => mentions.get(owner) ?? `*${escapeText(owner)}*`;
}

export interface SummaryDeliveryDeps {
  store: Store;
  outbox: Outbox;
  meetings: MeetingsService;
  bookings: BookingService;
  workspaces: Workspaces;
  people: SlackPeople;
  scheduling: SlackDeps['scheduling'];
  clientFor(botToken: string): webApi.WebClient;
  logger: Logger;
}

export function createSummaryDelivery(deps: SummaryDeliveryDeps) {
  const Posted = deps.store.controlModel(SummaryPosted);

  /**
   * Posts a meeting's summary to the channel it was booked from, else by DM (to `dmEmail`, or the
   * organizer). False when there is nothing to post or no one to post it to.
   */
  async function postSummary(
    tenantId: string,
    meetingId: string,
    options: { dmEmail?: string } = {},
  ): Promise<boolean> {
    const workspaces = await deps.workspaces.ofTenant(tenantId);
    if (workspaces.length === 0) return false;
    const ctx = verifiedTenantContext(tenantId, 'system');
    // The tenant's own consumer reads the meeting the way a tenant-wide reader does.
    let meeting: MeetingView;
    try {
      meeting = await deps.meetings.get(
        ctx,
        { kind: 'api-key', keyId: 'slack-summaries' },
        meetingId,
      );
    } catch (error) {
      // Deleted since, or its content is unreadable: there is nothing to post.
      if (error instanceof MeetingError) return false;
      throw error;
    }
    if (!meeting.summary) return false;
    const booking = meeting.bookingId ? await deps.bookings.get(ctx, meeting.bookingId) : undefined;
    const origin = readOrigin(booking?.origin ?? null);
    const workspace = workspaces.find((w) => w._id === origin?.teamId) ?? workspaces[0]!;
    const credentials = await deps.workspaces.credentialsFor(workspace._id);
    if (!credentials) throw new Error(`no bot token for Slack workspace ${workspace._id}`);
    const client = deps.clientFor(credentials.botToken);
    const mention = await ownerMentions(deps, client, workspace._id, ctx, meeting);
    const message = summaryMessage(meeting, mention);
    if (origin && origin.teamId === workspace._id) {
      try {
        await client.chat.postMessage({
          channel: origin.channelId,
          ...(origin.threadTs ? { thread_ts: origin.threadTs } : {}),
          ...message,
        });
        return true;
      } catch (error) {
        deps.logger.info({ err: error }, 'summary could not go to its channel; sending it by DM');
      }
    }
    const person = await findActiveTenantUserByEmail(
      deps.store,
      tenantId,
      options.dmEmail ?? meeting.organizerEmail,
    );
    const slackId = person && (await deps.people.slackUserOf(client, workspace._id, person));
    if (!slackId) return false;
    await client.chat.postMessage({ channel: slackId, ...message });
    return true;
  }

  async function post(event: OutboxEvent): Promise<void> {
    if (await Posted.exists({ _id: event.id })) return;
    await postSummary(event.tenantId, event.meetingId);
    try {
      await Posted.create({ _id: event.id, at: new Date() });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  return {
    postSummary,
    /** Posts what the outbox holds for Slack; returns how many events were handled. */
    async deliver(): Promise<number> {
      const events = await deps.outbox.claim(OUTBOX_CONSUMER, { limit: 20 });
      let handled = 0;
      for (const event of events) {
        try {
          if (event.type === 'meeting.summarized') await post(event);
          await deps.outbox.ack(OUTBOX_CONSUMER, event.id);
          handled += 1;
        } catch (error) {
          deps.logger.warn(
            { err: error, event: event.id },
            'meeting summary not posted to Slack yet',
          );
          await deps.outbox.release(OUTBOX_CONSUMER, event.id);
        }
      }
      if (events.length > 0) {
        await Posted.deleteMany(
          { at: { $lt: new Date(Date.now() - MARKER_LIFETIME_MS) } },
          { comment: `${SWEEP_COMMENT}:summary-markers` },
        );
      }
      return handled;
    },
  };
}

export type SummaryDelivery = ReturnType<typeof createSummaryDelivery>;
