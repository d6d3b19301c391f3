// Whose time zone a message is written in: a colleague's own setting; a guest's the zone they
// chose where they chose one, else the organizer's (the meeting's). Read by exact `_id` only.
import { User } from '../identity/models.ts';
import { getUserSettings } from '../identity/user-settings.ts';
import { findActiveTenantUsersByEmails } from '../identity/users.ts';
import type { Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';

export async function zonesOf(
  store: Store,
  ctx: TenantContext,
  emails: readonly string[],
  fallback: string,
): Promise<Map<string, string>> {
  const members = await findActiveTenantUsersByEmails(store, ctx.tenantId, emails);
  const zones = new Map(emails.map((email) => [email, fallback]));
  await Promise.all(
    members.map(async (member) => {
      zones.set(member.email, (await getUserSettings(store, ctx, member._id)).timeZone);
    }),
  );
  return zones;
}

/** Which of these addresses belong to people of the organization. */
export async function membersAmong(store: Store, ctx: TenantContext, emails: readonly string[]) {
  const members = await findActiveTenantUsersByEmails(store, ctx.tenantId, emails);
  return new Set(members.map((m) => m.email));
}

export async function personName(store: Store, userId: string): Promise<string | undefined> {
  const user = await store.controlModel(User).findById(userId, { name: 1 }).lean();
  return user?.name ?? undefined;
}
