// The times offered to someone, kept in the tenant's database so a choice (a Slack button, a
// Teams card action, a web request) carries only the proposal's id and the slot's start. One
// store for every surface: each record names its origin, and keeps what booking from it means
// (a follow-up of, a reschedule of).
//
// Read only by exact `_id`. Proposals last a week; expired ones are removed by the
// proposal-expiry job (core/scheduling/proposal-expiry.ts), never while answering someone.
import type { RecurrenceRule } from '../../scheduling/recurrence/rule.ts';
import { Schema } from 'mongoose';
import { defineModel } from '../../store/store.ts';
import type { Platform } from '../asker.ts';

export const PROPOSALS_COLLECTION = 'proposals';

export interface ProposalRecord {
  _id: string;
  organizerId: string;
  /** Where the times were asked for; the booking is announced there. */
  origin: { platform: Platform; reference: string; thread: string | null };
  /** Stored sealed (PROPOSAL_TITLES); the proposal store opens it. */
  title: string | null;
  durationMinutes: number;
  attendees: Array<{ email: string; name?: string; optional: boolean }>;
  followUpOf: string | null;
  /** Booking from it moves this booking instead of making a new one. */
  rescheduleOf: string | null;
  slots: Array<{ start: Date; end: Date }>;
  /** The times offered are first meetings of this series (booking one books the series). */
  recurrence?: RecurrenceRule | null;
  createdAt: Date;
  expiresAt: Date;
}

/** How a proposal's title is sealed (core/privacy/sealed-titles.ts). */
export const PROPOSAL_TITLES = { collection: PROPOSALS_COLLECTION, what: 'proposal' } as const;

export const Proposal = defineModel<ProposalRecord>(
  'AssistantProposal',
  new Schema<ProposalRecord>(
    {
      _id: { type: String, required: true },
      organizerId: { type: String, required: true },
      origin: {
        _id: false,
        platform: { type: String, required: true },
        reference: { type: String, default: '' },
        thread: { type: String, default: null },
      },
      title: { type: String, default: null },
      durationMinutes: { type: Number, required: true },
      attendees: [{ _id: false, email: String, name: String, optional: Boolean }],
      followUpOf: { type: String, default: null },
      rescheduleOf: { type: String, default: null },
      slots: [{ _id: false, start: Date, end: Date }],
      recurrence: { type: Schema.Types.Mixed, default: null },
      createdAt: { type: Date, required: true },
      expiresAt: { type: Date, required: true },
    },
    { collection: PROPOSALS_COLLECTION, versionKey: false },
  ),
);
