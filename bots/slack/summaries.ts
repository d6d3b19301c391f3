// After a meeting: its summary, decisions and action items go to the Slack channel it was
// booked from, or to the organizer by direct message. Slack's delivery channel: the outbox
// consumer (core/delivery) claims each event for "slack", hands it here, and makes sure it is
// posted once; this file only renders and posts.
import type { webApi } from '@slack/bolt';
import { findActiveTenantUserByEmail } from '../../core/identity/users.ts';
import type { Logger } from '../../core/logger.ts';
import type { Assistant, Owners } from '../../core/assistant/index.ts';
import { summaryChannel } from '../../core/delivery/index.ts';
import { summaryMarkersStep } from '../../core/delivery/outbox-migration.ts';
import type { Store } from '../../core/store/store.ts';
import { escapeText } from './render/limits.ts';
import { summaryMessage } from './render/meetings.ts';
import { readOrigin } from './listeners/shared.ts';
import type { SlackPeople } from './middleware/people.ts';
import type { Workspaces } from './store/workspaces.ts';

export const OUTBOX_CONSUMER = 'slack';

/** The markers this file kept of posted summaries, before core/delivery's send ledger. */
export const slackSummaryMarkersStep = summaryMarkersStep(OUTBOX_CONSUMER);

/** Action-item owners as Slack mentions when Quorum knows their Slack account. */
export async function ownerMentions(
  people: SlackPeople,
  client: webApi.WebClient,
  teamId: string,
  owners: Owners,
): Promise<(owner: string) => string> {
  const mentions = new Map<string, string>();
  for (const [owner, user] of owners) {
    const slackId = await people.slackUserOf(client, teamId, user);
    if (slackId) mentions.set(owner, `<@${slackId}>`);
  }
  return (owner) => mentions.get(owner) ?? `*${escapeText(owner)}*`;
}

/** Who reads the meeting: the tenant's own consumer, the way a tenant-wide reader does. */
const SUMMARY_READER = { kind: 'api-key', keyId: 'slack-summaries' } as const;

export interface SummaryDeliveryDeps {
  store: Store;
  assistant: Pick<Assistant, 'share'>;
  workspaces: Workspaces;
  people: SlackPeople;
  clientFor(botToken: string): webApi.WebClient;
  logger: Logger;
}

export function createSummaryDelivery(deps: SummaryDeliveryDeps) {
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
    const shared = await deps.assistant.share.summary(tenantId, meetingId, SUMMARY_READER);
    if (!shared) return false;
    const { meeting } = shared;
    const origin = readOrigin(shared.origin);
    const workspace = workspaces.find((w) => w._id === origin?.teamId) ?? workspaces[0]!;
    const credentials = await deps.workspaces.credentialsFor(workspace._id);
    if (!credentials) throw new Error(`no bot token for Slack workspace ${workspace._id}`);
    const client = deps.clientFor(credentials.botToken);
    const mention = await ownerMentions(deps.people, client, workspace._id, shared.owners);
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

  /** What the outbox consumer (core/delivery) hands Slack: it posts, and only that. */
  const channel = summaryChannel(OUTBOX_CONSUMER, postSummary);

  return { postSummary, channel };
}

export type SummaryDelivery = ReturnType<typeof createSummaryDelivery>;
