// One meeting per booking, and per idempotency key: the first creator takes a claim (a unique
// `_id`), later ones get the meeting that holds it.
import { isDuplicateKeyError } from '../../privacy/duplicate-key.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { MeetingError } from '../errors.ts';
import type { MeetingsKit } from '../kit.ts';
import type { MeetingDoc } from '../models.ts';

const CLAIM_WAIT_MS = 2_000;
const STALE_CLAIM_MS = 60_000;

/** Takes `claimId` for a new meeting, or returns the meeting that already holds it. */
export async function claimOrExisting(
  kit: MeetingsKit,
  ctx: TenantContext,
  claimId: string,
  meetingId: string,
): Promise<MeetingDoc | null> {
  const { Claims, Meetings } = await kit.models(ctx);
  const deadline = Date.now() + CLAIM_WAIT_MS;
  for (;;) {
    try {
      await Claims.create({ _id: claimId, meetingId, createdAt: kit.now() });
      return null;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const claim = await Claims.findById(claimId).lean();
    if (!claim) continue;
    const holder = await Meetings.findById(claim.meetingId).lean();
    if (holder && !holder.deletion) return holder;
    // Its creator died between claim and record: give the claim up after a while.
    if (!holder && claim.createdAt.getTime() < kit.now().getTime() - STALE_CLAIM_MS) {
      await Claims.deleteOne({ _id: claimId });
      continue;
    }
    if (Date.now() > deadline) {
      throw new MeetingError('conflict', 'That meeting is being created or deleted; try again.');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
