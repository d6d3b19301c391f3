// The times offered in a card, in the tenant's database: a button carries only the proposal's
// id and the slot's start.
import { Schema } from 'mongoose';
import { defineModel } from '../../../core/store/store.ts';
import type { TenantContext } from '../../../core/store/tenant-context.ts';
import type { TeamsDeps } from '../middleware/context.ts';

export interface TeamsProposalDoc {
  _id: string;
  organizerId: string;
  conversationId: string;
  title: string | null;
  durationMinutes: number;
  attendees: Array<{ email: string; name?: string; optional: boolean }>;
  followUpOf: string | null;
  /** Set when these times move an existing booking. */
  rescheduleOf: string | null;
  slots: Array<{ start: Date; end: Date }>;
  createdAt: Date;
  expiresAt: Date;
}
export const TeamsProposal = defineModel<TeamsProposalDoc>(
  'TeamsProposal',
  new Schema<TeamsProposalDoc>(
    {
      _id: { type: String, required: true },
      organizerId: { type: String, required: true },
      conversationId: { type: String, required: true },
      title: { type: String, default: null },
      durationMinutes: { type: Number, required: true },
      attendees: [{ _id: false, email: String, name: String, optional: Boolean }],
      followUpOf: { type: String, default: null },
      rescheduleOf: { type: String, default: null },
      slots: [{ _id: false, start: Date, end: Date }],
      createdAt: { type: Date, required: true },
      expiresAt: { type: Date, required: true },
    },
    { collection: 'teams_proposals', versionKey: false },
  ),
);

/** A proposal still on offer, by its id from a button; undefined once expired. */
export async function proposalOf(
  deps: TeamsDeps,
  ctx: TenantContext,
  id: unknown,
): Promise<TeamsProposalDoc | undefined> {
  if (typeof id !== 'string' || id.length > 64) return undefined;
  const Proposals = await deps.scheduling.store.tenantModel(ctx, TeamsProposal);
  const doc = await Proposals.findById(id).lean();
  return doc && doc.expiresAt > new Date() ? doc : undefined;
}
