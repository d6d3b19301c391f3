// What every Teams handler works with: the core services, and who is asking — the Quorum tenant
// of the activity's Microsoft tenant and the Quorum person behind the Teams user, both from an
// activity the SDK has verified (or, in local development, accepted).
import type { Activity, Client as ApiClient } from '@microsoft/teams.api';
import type { Assistant } from '../../../core/assistant/index.ts';
import type { CalendarConnections } from '../../../core/calendars/connections/connections.ts';
import type { UserDoc } from '../../../core/identity/models.ts';
import { getUserSettings, type UserSettings } from '../../../core/identity/user-settings.ts';
import type { Logger } from '../../../core/logger.ts';
import type { MeetingActor, MeetingsService } from '../../../core/meetings/index.ts';
import type { BookingService } from '../../../core/scheduling/booking/booking-service.ts';
import type { SchedulingDeps } from '../../../core/scheduling/find-times.ts';
import type { PollService } from '../../../core/scheduling/polls/poll-service.ts';
import { verifiedTenantContext, type TenantContext } from '../../../core/store/tenant-context.ts';
import { plainCard, type AdaptiveCard } from '../render/card.ts';
import { connectCard } from '../render/connect.ts';
import type { Directory } from './directory.ts';
import { linkUrl } from './link-token.ts';
import type { TeamsSso } from './sign-in.ts';

/** An activity with the fields Quorum reads from any of its kinds. */
export type TeamsActivity = Activity & {
  text?: string;
  value?: unknown;
  localTimezone?: string;
  replyToId?: string;
};

export interface TeamsDeps {
  /** The use cases every surface calls (core/assistant). */
  assistant: Assistant;
  scheduling: SchedulingDeps;
  bookings: BookingService;
  polls: PollService;
  meetings: MeetingsService | undefined;
  calendars: CalendarConnections;
  logger: Logger;
  directory: Directory;
  baseUrl: string;
  linkKey: Uint8Array;
  /** Teams single sign-on, when the bot has credentials (its app registration is the resource). */
  sso?: TeamsSso;
  /** True the first time `key` of `kind` is seen (a unique insert shared by every node). */
  once(kind: string, key: string): Promise<boolean>;
}

export interface Asker {
  msTenantId: string;
  tenantId: string;
  ctx: TenantContext;
  user: UserDoc;
  settings: UserSettings;
  conversationId: string;
  conversationType: string;
  api: ApiClient;
}

/** The Microsoft tenant of an activity (channelData is what Teams fills in). */
export function msTenantOf(activity: Activity): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  return channelData?.tenant?.id ?? activity.conversation?.tenantId ?? undefined;
}

export function botActor(): MeetingActor {
  return { kind: 'api-key', keyId: 'teams-bot' };
}

export function userActor(user: UserDoc): MeetingActor {
  return { kind: 'user', userId: user._id, email: user.email, name: user.name };
}

async function connectLink(deps: TeamsDeps, activity: Activity, msTenantId: string) {
  return linkUrl(deps.baseUrl, deps.linkKey, {
    msTenantId,
    aadObjectId: activity.from.aadObjectId ?? activity.from.id,
    name: activity.from.name ?? 'you',
    conversationId: activity.conversation.id,
  });
}

/** A connect card for the person asking: their personal link to Quorum's connect page. */
export async function connectCardFor(
  deps: TeamsDeps,
  activity: Activity,
  reason: string,
): Promise<AdaptiveCard> {
  const msTenantId = msTenantOf(activity);
  if (!msTenantId || !activity.from.aadObjectId) {
    return plainCard(
      'Teams did not say who you are here, so Quorum cannot link you. Write to Quorum in a personal chat and send "connect".',
    );
  }
  return connectCard(await connectLink(deps, activity, msTenantId), reason);
}

/** The Quorum person asking, or the card telling them how to become one. */
export async function whoIsAsking(
  deps: TeamsDeps,
  activity: Activity,
  api: ApiClient,
): Promise<{ ok: true; asker: Asker } | { ok: false; card: AdaptiveCard }> {
  const msTenantId = msTenantOf(activity);
  if (!msTenantId) {
    return {
      ok: false,
      card: plainCard(
        'This conversation did not say which Microsoft organization it belongs to, so Quorum cannot tell who you are.',
      ),
    };
  }
  const tenantId = await deps.directory.tenantOf(msTenantId);
  if (!tenantId) {
    return {
      ok: false,
      card: await connectCardFor(
        deps,
        activity,
        'Your Microsoft organization is not linked to a Quorum organization yet. An administrator of your Quorum links it by connecting here.',
      ),
    };
  }
  const where = { msTenantId, tenantId, conversationId: activity.conversation.id };
  const found = await deps.directory.quorumUser(api, where, activity.from);
  if (!found.user) {
    return {
      ok: false,
      card: await connectCardFor(
        deps,
        activity,
        found.teamsEmail
          ? `Quorum has no account with ${found.teamsEmail}. Connect to link your Teams account to your Quorum account.`
          : 'Quorum does not know you yet. Connect to link your Teams account to your Quorum account.',
      ),
    };
  }
  // The tenant comes from the verified activity's Microsoft tenant, the person from its sender.
  const ctx = verifiedTenantContext(tenantId, 'installation', found.user._id);
  const settings = await getUserSettings(deps.scheduling.store, ctx, found.user._id);
  return {
    ok: true,
    asker: {
      msTenantId,
      tenantId,
      ctx,
      user: found.user,
      settings,
      conversationId: activity.conversation.id,
      conversationType: activity.conversation.conversationType ?? 'personal',
      api,
    },
  };
}
