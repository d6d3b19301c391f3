// Who is asking and where from: what every use case of the assistant is called with. Each
// surface establishes it in its own middleware (a Slack user through its workspace link, a
// Teams user through the Bot Connector's token, a web session) from verified data only.
import type { UserDoc } from '../identity/models.ts';
import type { UserSettings } from '../identity/user-settings.ts';
import type { BookingDoc } from '../scheduling/booking/booking-model.ts';
import type { TenantContext } from '../store/tenant-context.ts';

/** The verified Quorum person asking, in their tenant, with their settings. */
export interface Asker {
  ctx: TenantContext;
  user: UserDoc;
  settings: UserSettings;
}

export const PLATFORMS = ['slack', 'teams', 'web', 'outlook', 'zoom'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * Where a request came from, so answers and announcements go back there: the platform and its
 * own reference for the conversation (Slack: `${teamId}:${channelId}`, Teams: the conversation
 * id; empty for the web app), and the thread inside it when there is one.
 */
export interface Origin {
  platform: Platform;
  reference: string;
  thread?: string | null;
}

/** The origin as a booking keeps it (`conversationId`, `threadId`). */
export function bookingOrigin(origin: Origin): NonNullable<BookingDoc['origin']> {
  return {
    platform: origin.platform,
    ...(origin.reference ? { conversationId: origin.reference } : {}),
    ...(origin.thread ? { threadId: origin.thread } : {}),
  };
}

/** The person as the meetings service names who acts. */
export function actorOf(asker: Pick<Asker, 'user'>) {
  return {
    kind: 'user' as const,
    userId: asker.user._id,
    email: asker.user.email,
    name: asker.user.name,
  };
}
