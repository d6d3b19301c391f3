// Who the attendees are: a person of the tenant (with working hours, zone and a calendar Quorum
// may read) or a guest whose calendar Quorum cannot see.
import type { UserDoc } from '../identity/models.ts';
import { findActiveTenantUsersByEmails } from '../identity/users.ts';
import {
  asAcceptableHours,
  asWorkingHours,
  getUserSettings,
  type UserSettings,
} from '../identity/user-settings.ts';
import type { CalendarProvider } from '../calendars/provider.ts';
import type { Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import type { AcceptableHours, WorkingHoursRule } from './availability/index.ts';

export interface PersonCalendar {
  provider: CalendarProvider;
  /** The id the provider knows this person's calendar by (usually their email). */
  calendarId: string;
  /** Called when the provider says the grant was revoked: the connection needs reconnecting. */
  markRevoked?(): Promise<void>;
}

/** How to reach a person's calendar: their connected one, or the local calendar. */
export type CalendarResolver = (ctx: TenantContext, user: UserDoc) => Promise<PersonCalendar>;

export interface Colleague {
  kind: 'colleague';
  email: string;
  user: UserDoc;
  settings: UserSettings;
  workingHours: WorkingHoursRule[];
  /** The hours Quorum must never use for them, even for a least-burden time. */
  acceptableHours: AcceptableHours | undefined;
  calendar: PersonCalendar;
}
export interface Guest {
  kind: 'guest';
  email: string;
}
export type Person = Colleague | Guest;

export async function resolvePeople(
  deps: { store: Store; calendarFor: CalendarResolver },
  ctx: TenantContext,
  emails: string[],
): Promise<Map<string, Person>> {
  const wanted = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
  // The tenant comes from the verified context: people of other tenants are guests here.
  // Each email is looked up by its key document (exact `_id`), then the accounts by id.
  const users = await findActiveTenantUsersByEmails(deps.store, ctx.tenantId, wanted);
  const byEmail = new Map(users.map((u) => [u.email, u]));
  const people = new Map<string, Person>();
  for (const email of wanted) {
    const user = byEmail.get(email);
    if (!user) {
      people.set(email, { kind: 'guest', email });
      continue;
    }
    const settings = await getUserSettings(deps.store, ctx, user._id);
    people.set(email, {
      kind: 'colleague',
      email,
      user,
      settings,
      workingHours: asWorkingHours(settings),
      acceptableHours: asAcceptableHours(settings),
      calendar: await deps.calendarFor(ctx, user),
    });
  }
  return people;
}
