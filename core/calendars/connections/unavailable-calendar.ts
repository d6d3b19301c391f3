// A calendar that cannot be reached at all (its grant was revoked, its secret cannot be opened):
// every call fails with the reason, so free/busy reports "availability unknown" for its owner
// instead of the owner looking free.
import type { CalendarProvider, ProviderKind } from '../provider.ts';

export function unavailableCalendar(kind: ProviderKind, reason: () => Error): CalendarProvider {
  const fail = () => Promise.reject(reason());
  return {
    kind,
    freeBusy: fail,
    createEvent: fail,
    updateEvent: fail,
    deleteEvent: fail,
    changeSeries: fail,
    upcoming: fail,
  };
}
