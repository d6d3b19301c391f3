// Booking pages: public event types guests book themselves.
export { BookingPage, type BookingPageDoc } from './booking-page-model.ts';
export {
  BookingPageError,
  bookingPageInput,
  createBookingPagesService,
  guestBookingInput,
  MAX_PAGE_SLOTS,
  PAGE_GRANULARITY_MINUTES,
  type BookingPageInput,
  type BookingPagesService,
  type GuestBookingInput,
  type GuestBookingResult,
  type PublicBookingPage,
} from './booking-pages-service.ts';
export { confirmationIcs, type ConfirmationEvent } from './confirmation-ics.ts';
export { createAttemptLimiter, type AttemptLimiter } from './attempt-limiter.ts';
