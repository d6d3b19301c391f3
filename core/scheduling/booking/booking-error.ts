// Why a booking, reschedule or cancel was refused, for the surface to say so.
export class BookingError extends Error {
  override name = 'BookingError';
  readonly code:
    | 'not-found'
    | 'not-organizer'
    | 'cancelled'
    | 'link-unavailable'
    | 'not-a-colleague'
    /** A recurrence that breaks a bound (the message names the field), or a change of one. */
    | 'invalid-series'
    | 'not-a-series';
  constructor(code: BookingError['code'], message: string) {
    super(message);
    this.code = code;
  }
}
