// Calendar connections: a person's grant to one calendar account, in the tenant database.
//
// A connection's `_id` is random (its secrets are sealed for that id). Who has which connection
// is kept in `calendar_connection_keys`, one document per person and provider
// (`_id: <userId>:<provider>` -> the connection's id): finding a person's calendar reads those
// by exact `_id`, and claiming one with a unique insert keeps two simultaneous connects of the
// same provider from making two records.
//
// Only what is needed to reach the calendar is kept, and every secret in it (OAuth access and
// refresh tokens, a CalDAV app password) is stored sealed by the envelope (core/privacy), bound
// to this record and field. Calendar contents are never stored here.
import { Schema } from 'mongoose';
import { defineModel } from '../../store/store.ts';

export type ConnectionProvider = 'google' | 'microsoft' | 'caldav';
export type OAuthProvider = Exclude<ConnectionProvider, 'caldav'>;
export type ConnectionStatus = 'connected' | 'needs-reconnect';

/** Each provider's name as people read it. */
export const PROVIDER_LABEL: Record<ConnectionProvider, string> = {
  google: 'Google',
  microsoft: 'Microsoft',
  caldav: 'CalDAV',
};

export const CONNECTIONS_COLLECTION = 'calendar_connections';

/** The sealed fields; each is sealed for (collection, record id, field name). */
export type SealedField = 'accessToken' | 'refreshToken' | 'password';

export interface CalendarConnectionDoc {
  _id: string;
  userId: string;
  provider: ConnectionProvider;
  /** The calendar id free/busy is asked for and the organizer of booked events. */
  accountEmail: string;
  status: ConnectionStatus;
  /** Why the connection needs reconnecting (shown to its owner), when it does. */
  problem: string | null;
  /** Scopes the provider granted (OAuth only). */
  scopes: string[];
  /**
   * The OAuth client holding the grant when it is not the provider's sign-in client (`teams`:
   * the Teams app, through Teams SSO); a refresh must go to the client that was granted.
   */
  grantedTo: string | null;
  accessToken: string | null;
  refreshToken: string | null;
  /** When the access token stops working; null when the provider did not say. */
  expiresAt: Date | null;
  /** CalDAV only. */
  serverUrl: string | null;
  username: string | null;
  password: string | null;
  connectedAt: Date;
  refreshedAt: Date | null;
}

export const CalendarConnection = defineModel<CalendarConnectionDoc>(
  'CalendarConnection',
  (() => {
    const schema = new Schema<CalendarConnectionDoc>(
      {
        _id: { type: String, required: true },
        userId: { type: String, required: true },
        provider: { type: String, enum: ['google', 'microsoft', 'caldav'], required: true },
        accountEmail: { type: String, required: true, lowercase: true, trim: true },
        status: { type: String, enum: ['connected', 'needs-reconnect'], required: true },
        problem: { type: String, default: null },
        scopes: { type: [String], default: [] },
        grantedTo: { type: String, default: null },
        accessToken: { type: String, default: null },
        refreshToken: { type: String, default: null },
        expiresAt: { type: Date, default: null },
        serverUrl: { type: String, default: null },
        username: { type: String, default: null },
        password: { type: String, default: null },
        connectedAt: { type: Date, required: true },
        refreshedAt: { type: Date, default: null },
      },
      { collection: CONNECTIONS_COLLECTION, versionKey: false },
    );
    return schema;
  })(),
);

export const CONNECTION_PROVIDERS: readonly ConnectionProvider[] = [
  'google',
  'microsoft',
  'caldav',
];

/** One connection per person and provider: connecting again replaces the grant. */
export interface ConnectionKeyDoc {
  /** `<userId>:<provider>`. */
  _id: string;
  connectionId: string;
}

export const ConnectionKey = defineModel<ConnectionKeyDoc>(
  'CalendarConnectionKey',
  new Schema<ConnectionKeyDoc>(
    {
      _id: { type: String, required: true },
      connectionId: { type: String, required: true },
    },
    { collection: 'calendar_connection_keys', versionKey: false },
  ),
);

export function connectionKeyId(userId: string, provider: ConnectionProvider): string {
  return `${userId}:${provider}`;
}

/** What a connection looks like outside the store: state, never secrets. */
export interface ConnectionSummary {
  id: string;
  provider: ConnectionProvider;
  accountEmail: string;
  status: ConnectionStatus;
  problem: string | null;
  scopes: string[];
  serverUrl: string | null;
  username: string | null;
  connectedAt: string;
  refreshedAt: string | null;
}

export function summarize(doc: CalendarConnectionDoc): ConnectionSummary {
  return {
    id: doc._id,
    provider: doc.provider,
    accountEmail: doc.accountEmail,
    status: doc.status,
    problem: doc.problem,
    scopes: doc.scopes,
    serverUrl: doc.serverUrl,
    username: doc.username,
    connectedAt: doc.connectedAt.toISOString(),
    refreshedAt: doc.refreshedAt?.toISOString() ?? null,
  };
}
