// Storage migration: retention start dates written by an earlier version counted from the later
// of a meeting's end and its transcription, so a meeting dated years ahead kept its transcript
// for years. Retention now counts from when the content arrived; for a meeting transcribed
// before this version, the best record of that left is its transcription time (its recording or
// captions, and their arrival time, went then). Idempotent: a meeting already counted from its
// transcription (or earlier) is left alone, and the retention list moves before the record, as
// everywhere (listing.ts), so a run killed half-way is finished by the next start.
import type { MigrationStep } from '../../store/migrations.ts';
import type { MeetingsKit } from '../kit.ts';
import { moveRetention } from '../listing.ts';
import type { MeetingDoc } from '../models.ts';

type Counted = Pick<MeetingDoc, '_id' | 'retainFrom' | 'transcribedAt' | 'purgedAt' | 'deletion'>;

/** A meeting whose content is still kept and counted from later than it arrived. */
function countedLate(m: Counted): m is Counted & { transcribedAt: Date } {
  return m.transcribedAt !== null && !m.purgedAt && !m.deletion && m.retainFrom > m.transcribedAt;
}

export function retentionFromArrivalStep(kit: MeetingsKit): MigrationStep {
  return {
    name: 'meetings-retention-from-arrival',
    description: 'retention of transcribed meetings counted from their transcription',
    async runForTenant(_store, ctx) {
      const { Meetings, lists } = await kit.models(ctx);
      let moved = 0;
      // A scan, as migrations may: every meeting record of the tenant, the fields needed.
      const all = Meetings.find(
        {},
        { _id: 1, retainFrom: 1, transcribedAt: 1, purgedAt: 1, deletion: 1 },
      )
        .lean<Counted[]>()
        .cursor();
      for await (const meeting of all) {
        if (!countedLate(meeting)) continue;
        await moveRetention(lists, meeting._id, meeting.retainFrom, meeting.transcribedAt);
        await Meetings.updateOne(
          { _id: meeting._id },
          { $set: { retainFrom: meeting.transcribedAt } },
        );
        moved += 1;
      }
      return moved;
    },
  };
}
