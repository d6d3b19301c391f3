// The email outbox's collections, all in the control database (the sender serves every tenant):
//
// - `email_messages`: one document per message, `_id` `<tenantId>|<key>`; the key is the flow's
//   own ("invite:<booking>:<sequence>:<address>"), so a flow that runs twice queues one message.
//   Its content (recipient's name, subject, bodies, iCalendar part) is sealed under the tenant's
//   titles key and dropped once sent; what stays (address, kind, state, when) is what the web app
//   shows as sent. Expires 60 days after it was queued (core/store/expiry.ts).
// - `email_queue`: bounded by design — one small pointer per message not yet sent (or given up),
//   removed when it is; the sender reads the due ones by time.
// - `email_leases`: bounded by design — one lease per message being sent right now.
// - `email_refs`: per booking or poll (`<tenantId>|<ref>`), the keys of the messages it caused,
//   read by exact `_id` for "what was sent". Expires with its messages.
import { Schema } from 'mongoose';
import { defineModel } from '../store/store.ts';

export type EmailState = 'queued' | 'sending' | 'sent' | 'failed';

export interface EmailMessageDoc {
  _id: string;
  tenantId: string;
  key: string;
  /** What caused it: `booking:<id>`, `poll:<id>`, … */
  ref: string;
  /** invitation, update, cancellation, poll-invitation, … */
  kind: string;
  to: string;
  /** Sealed RenderedEmail; null once sent. */
  content: string | null;
  state: EmailState;
  attempts: number;
  error?: string;
  createdAt: Date;
  sentAt?: Date;
  expiresAt: Date;
}

export const EmailMessage = defineModel<EmailMessageDoc>(
  'EmailMessage',
  new Schema<EmailMessageDoc>(
    {
      _id: { type: String, required: true },
      tenantId: { type: String, required: true },
      key: { type: String, required: true },
      ref: { type: String, required: true },
      kind: { type: String, required: true },
      to: { type: String, required: true },
      content: { type: String, default: null },
      state: { type: String, required: true },
      attempts: { type: Number, default: 0 },
      error: String,
      createdAt: { type: Date, required: true },
      sentAt: Date,
      expiresAt: { type: Date, required: true },
    },
    { collection: 'email_messages', versionKey: false },
  ),
);

export interface EmailQueueDoc {
  _id: string;
  tenantId: string;
  key: string;
  dueAt: Date;
  createdAt: Date;
}

export const EmailQueue = defineModel<EmailQueueDoc>(
  'EmailQueue',
  new Schema<EmailQueueDoc>(
    {
      _id: { type: String, required: true },
      tenantId: { type: String, required: true },
      key: { type: String, required: true },
      dueAt: { type: Date, required: true },
      createdAt: { type: Date, required: true },
    },
    { collection: 'email_queue', versionKey: false },
  ),
);

export interface EmailRefsDoc {
  _id: string;
  keys: string[];
  expiresAt: Date;
}

export const EmailRefs = defineModel<EmailRefsDoc>(
  'EmailRefs',
  new Schema<EmailRefsDoc>(
    {
      _id: { type: String, required: true },
      keys: { type: [String], default: [] },
      expiresAt: { type: Date, required: true },
    },
    { collection: 'email_refs', versionKey: false },
  ),
);

export const EMAIL_EXPIRING_COLLECTIONS = ['email_messages', 'email_refs', 'email_leases'];
