// Why a booking, reschedule or cancel was refused, for the surface to say so.
export class BookingError extends Error {
  override name = 'BookingError';
  readonly code:
    'not-found' | 'not-organizer' | 'cancelled' | 'link-unavailable' | 'not-a-colleague';
  constructor(code: BookingError['code'], message: string) {
    super(message);
    this.code = code;
  }
}
