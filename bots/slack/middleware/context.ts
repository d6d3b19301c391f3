// What every Slack handler works with: the core services, and who is asking — the Slack
// workspace's tenant and the Quorum person behind the Slack user, both from verified data.
import type { webApi } from '@slack/bolt';
import type { Assistant } from '../../../core/assistant/index.ts';
import type { CalendarConnections } from '../../../core/calendars/connections/connections.ts';
import type { UserDoc } from '../../../core/identity/models.ts';
import { getUserSettings, type UserSettings } from '../../../core/identity/user-settings.ts';
import type { Logger } from '../../../core/logger.ts';
import type { MeetingsService } from '../../../core/meetings/index.ts';
import type { AuditLog } from '../../../core/privacy/audit-log.ts';
import type { BookingService } from '../../../core/scheduling/booking/booking-service.ts';
import type { SchedulingDeps } from '../../../core/scheduling/find-times.ts';
import type { PollService } from '../../../core/scheduling/polls/poll-service.ts';
import { verifiedTenantContext, type TenantContext } from '../../../core/store/tenant-context.ts';
import type { SlackMessage } from '../render/help.ts';
import { notLinked, workspaceNotLinked } from '../render/notices.ts';
import { signLinkToken } from './link-token.ts';
import type { SlackPeople, Workspace } from './people.ts';
import type { SlackPolls } from '../store/polls.ts';
import type { WorkQueue } from './work-queue.ts';
import type { Workspaces } from '../store/workspaces.ts';

export interface SlackDeps {
  scheduling: SchedulingDeps;
  bookings: BookingService;
  polls: PollService;
  /** Absent when this Quorum records no meetings. */
  meetings: MeetingsService | undefined;
  calendars: CalendarConnections;
  audit: AuditLog;
  logger: Logger;
  workspaces: Workspaces;
  people: SlackPeople;
  /** The use cases: find, book, follow-up, agenda, summary, next. */
  assistant: Assistant;
  slackPolls: SlackPolls;
  queue: WorkQueue;
  baseUrl: string;
  linkKey: Uint8Array;
  /** True the first time `key` of `kind` is seen (a unique insert shared by every node). */
  once(kind: string, key: string): Promise<boolean>;
}

export interface Asker {
  ws: Workspace;
  ctx: TenantContext;
  user: UserDoc;
  settings: UserSettings;
  slackUserId: string;
}

export interface Caller {
  teamId: string;
  slackUserId: string;
  slackName: string;
  teamName: string;
}

/** Who a Slack payload comes from: a button, a modal's submission, a message shortcut. */
export function callerOf(body: {
  team?: { id: string; domain?: string } | null;
  user: { id: string; team_id?: string; name?: string; username?: string };
}): Caller {
  return {
    teamId: body.team?.id ?? body.user.team_id ?? '',
    slackUserId: body.user.id,
    slackName: body.user.name ?? body.user.username ?? body.user.id,
    teamName: body.team?.domain ?? body.team?.id ?? '',
  };
}

export async function connectUrl(deps: SlackDeps, caller: Caller): Promise<string> {
  const token = await signLinkToken(deps.linkKey, caller);
  return `${deps.baseUrl}/connect/slack?t=${token}`;
}

/** The Quorum person asking, or the message telling them how to become one. */
export async function whoIsAsking(
  deps: SlackDeps,
  client: webApi.WebClient,
  caller: Caller,
): Promise<{ ok: true; asker: Asker } | { ok: false; message: SlackMessage }> {
  const tenantId = await deps.workspaces.tenantOf(caller.teamId);
  if (!tenantId) return { ok: false, message: workspaceNotLinked(await connectUrl(deps, caller)) };
  const ws = { teamId: caller.teamId, tenantId };
  const found = await deps.people.quorumUser(client, ws, caller.slackUserId);
  if (!found.user) {
    return { ok: false, message: notLinked(await connectUrl(deps, caller), found.slackEmail) };
  }
  // The tenant comes from the workspace's installation, the person from the verified Slack user.
  const ctx = verifiedTenantContext(tenantId, 'installation', found.user._id);
  const settings = await getUserSettings(deps.scheduling.store, ctx, found.user._id);
  return {
    ok: true,
    asker: { ws, ctx, user: found.user, settings, slackUserId: caller.slackUserId },
  };
}
