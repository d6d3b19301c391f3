// Why connecting a calendar did not work, in words meant for the person connecting it.

export type ConnectionProblem =
  /** This server has no OAuth client for that provider. */
  | 'not-configured'
  /** The person (or their administrator) said no on the provider's consent screen. */
  | 'declined'
  /** The provider granted less than Quorum needs (e.g. an unticked box in Google's consent). */
  | 'missing-scopes'
  /** No refresh token came back, so the connection would stop working within the hour. */
  | 'no-refresh-token'
  /** Access cannot be granted without the person (or an administrator) consenting first. */
  | 'consent-required'
  /** The provider refused the authorization code or answered unexpectedly. */
  | 'grant-failed'
  /** The CalDAV server refused the username or app password. */
  | 'caldav-refused'
  /** No CalDAV server answered properly at that address. */
  | 'caldav-unreachable'
  /** The CalDAV address is not https (only a server on this machine may use http). */
  | 'caldav-insecure'
  /** The CalDAV address points into a private network, which this deployment does not allow. */
  | 'caldav-private-address';

export class CalendarConnectionError extends Error {
  override name = 'CalendarConnectionError';
  readonly problem: ConnectionProblem;
  constructor(problem: ConnectionProblem, message: string, options?: ErrorOptions) {
    super(message, options);
    this.problem = problem;
  }
}
