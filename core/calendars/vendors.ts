// The port for the calendar services a person can connect (Google, Microsoft 365, any CalDAV
// server). Core decides which one answers for a person; the providers layer (infra/providers)
// builds it, so core never loads a vendor SDK (googleapis, the Graph client, tsdav).
import type { AccessTokenSource, CalendarProvider } from './provider.ts';

/** A CalDAV account as stored by a connection: where, who, and the app password. */
export interface CalDavAccount {
  serverUrl: string;
  username: string;
  password: string;
  /** The account owner's calendar id (usually their email); free/busy is asked for it. */
  ownerId: string;
}

export interface CalendarVendors {
  /** Google Calendar, with the connection's OAuth tokens. */
  google(tokens: AccessTokenSource): Promise<CalendarProvider>;
  /** Microsoft 365 through Microsoft Graph, with the connection's OAuth tokens. */
  microsoft(tokens: AccessTokenSource): Promise<CalendarProvider>;
  /** A CalDAV server, signed in to with HTTP Basic. */
  caldav(account: CalDavAccount): CalendarProvider;
}
