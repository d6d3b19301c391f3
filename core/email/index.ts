// Email: one port (MailTransport, implemented with SMTP in infra/providers/smtp), one durable
// outbox every flow queues through (outbox.ts, sent by the jobs in jobs.ts), and the flows:
// invitations for bookings (invitations.ts), … Without SMTP_URL email is off: nothing is queued,
// and `outbox.enabled` tells surfaces to show the links to share by hand.
export { EmailOutbox, type QueuedEmail, type SentEmail, type SendOutcome } from './outbox.ts';
export { emailJobs, SEND_EMAIL, SEND_DUE_EMAIL, SEND_REMINDER } from './jobs.ts';
export { Reminders, type ReminderJobData } from './reminders.ts';
export { summaryMailChannel } from './summary-mail.ts';
export {
  emailPreferencesInput,
  emailPreferencesOf,
  saveEmailPreferences,
  type EmailPreferences,
} from './preferences.ts';
export {
  BookingInvitation,
  InvitationError,
  Invitations,
  type BookingChange,
  type InvitationAnswer,
} from './invitations.ts';
export { PollMail, type PollSent } from './poll-mail.ts';
export { PageMail, type PageBooking } from './page-mail.ts';
export { EMAIL_EXPIRING_COLLECTIONS } from './models.ts';
export {
  headerText,
  isPlainAddress,
  safeRecipient,
  type MailTransport,
  type OutgoingMail,
  type RenderedEmail,
} from './message.ts';
export { renderEmail, formatWhen } from './render.ts';
