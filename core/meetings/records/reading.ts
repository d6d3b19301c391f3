// Opening a meeting's sealed content for a reader. Decryption problems become "unreadable":
// shown to nobody, explained to everybody.
import { DecryptionFailedError } from '../../privacy/errors.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { readActionItems } from '../action-items.ts';
import { MeetingError } from '../errors.ts';
import type { MeetingsKit } from '../kit.ts';
import type { MeetingDoc } from '../models.ts';
import { readTranscript } from '../transcript-store.ts';

export async function readable<T>(what: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (!(error instanceof DecryptionFailedError)) throw error;
    const why =
      error.reason === 'not-authentic' || error.reason === 'malformed'
        ? 'it failed its integrity check (it was altered or damaged)'
        : 'its key is gone or unavailable';
    throw new MeetingError('unreadable', `The ${what} of this meeting cannot be shown: ${why}.`, {
      cause: error,
    });
  }
}

export function openTranscript(kit: MeetingsKit, ctx: TenantContext, meeting: MeetingDoc) {
  return readable('transcript', () => readTranscript(kit, ctx, meeting));
}

export function openActionItems(kit: MeetingsKit, ctx: TenantContext, meetingId: string) {
  return readable('action items', () => readActionItems(kit, ctx, meetingId));
}

export async function openDescription(kit: MeetingsKit, ctx: TenantContext, meeting: MeetingDoc) {
  if (meeting.description === undefined) return null;
  const opened = await readable('invite description', () =>
    kit.sealed.descriptions.open(ctx, { _id: meeting._id, description: meeting.description }),
  );
  return opened.description ?? null;
}
