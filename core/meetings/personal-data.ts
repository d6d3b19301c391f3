// Meetings in "export my data" and account erasure.
//
// Export: every meeting the person organized or was invited to, decrypted for them (they may
// read all of it anyway). Erasure: meetings they organized are deleted whole, each with its own
// certificate; in meetings of others they are taken off the participant list, and the
// transcript lines and action items attributed to them are re-labelled "Former participant",
// so the others keep their record without the person's name in it.
import type { PersonalDataSection } from '../identity/personal-data.ts';
import type { UserDoc } from '../identity/models.ts';
import { findByIds } from '../store/by-id.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import { relabelActionItemOwners } from './action-items.ts';
import { MeetingError } from './errors.ts';
import type { MeetingsKit } from './kit.ts';
import type { MeetingDoc } from './models.ts';
import type { MeetingsService } from './meetings-service.ts';
import { attendeeKeyOf } from './records/participants.ts';
import { titleOf } from './records/titles.ts';
import { removeMeeting } from './retention/removal.ts';
import { chunkIdsOf } from './transcript-store.ts';

export const FORMER_PARTICIPANT = 'Former participant';

function namesOf(user: UserDoc): Set<string> {
  return new Set([user.name.trim().toLowerCase(), user.email.toLowerCase()]);
}

export function meetingsSection(kit: MeetingsKit, service: MeetingsService): PersonalDataSection {
  /** Every meeting the person organized or was invited to, oldest first, from their timelines. */
  async function meetingsOf(ctx: TenantContext, user: UserDoc): Promise<MeetingDoc[]> {
    const { Meetings, lists } = await kit.models(ctx);
    const email = user.email.toLowerCase();
    const ids = await lists.newest([`u:${user._id}`, `e:${email}`], undefined, Infinity);
    const found = await findByIds(Meetings, ids);
    return found
      .filter(
        (m) => !m.deletion && (m.organizerId === user._id || m.participantEmails.includes(email)),
      )
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  }

  /** Re-labels the person's transcript lines, chunk by chunk; counts them. */
  async function relabelSegments(
    ctx: TenantContext,
    meeting: MeetingDoc,
    names: Set<string>,
    apply: boolean,
  ): Promise<number> {
    const { Chunks } = await kit.models(ctx);
    let segments = 0;
    for (const stored of await findByIds(Chunks, chunkIdsOf(meeting))) {
      const chunk = await kit.sealed.chunks.open(ctx, stored);
      let changed = 0;
      const relabelled = chunk.segments.map((segment) => {
        if (!names.has(segment.speaker.trim().toLowerCase())) return segment;
        changed += 1;
        return { ...segment, speaker: FORMER_PARTICIPANT };
      });
      segments += changed;
      if (apply && changed > 0) {
        const resealed = await kit.sealed.chunks.seal(ctx, { ...chunk, segments: relabelled });
        await Chunks.updateOne({ _id: stored._id }, { $set: { segments: resealed.segments } });
      }
    }
    return segments;
  }

  /** Re-labels what the person said and owns in someone else's meeting; counts it. */
  async function pseudonymize(
    ctx: TenantContext,
    meeting: MeetingDoc,
    user: UserDoc,
    apply: boolean,
  ): Promise<{ segments: number; actionItems: number }> {
    const names = namesOf(user);
    const { Meetings, lists } = await kit.models(ctx);
    const segments = await relabelSegments(ctx, meeting, names, apply);
    const actionItems = await relabelActionItemOwners(
      kit,
      ctx,
      meeting._id,
      (owner) => (names.has(owner.trim().toLowerCase()) ? FORMER_PARTICIPANT : null),
      apply,
    );
    if (apply) {
      const email = user.email.toLowerCase();
      const participants = meeting.participants.filter((p) => p.email !== email);
      const participantEmails = participants.map((p) => p.email);
      const attendeeKey = attendeeKeyOf(participantEmails);
      // On the timelines of the people it now has, before the record says so.
      await lists.addToTimeline(`a:${attendeeKey}`, meeting._id, meeting.startsAt);
      await Meetings.updateOne(
        { _id: meeting._id },
        { $set: { participants, participantEmails, attendeeKey, updatedAt: kit.now() } },
      );
      await lists.removeFromTimeline(`e:${email}`, meeting._id, meeting.startsAt);
      if (attendeeKey !== meeting.attendeeKey) {
        await lists.removeFromTimeline(`a:${meeting.attendeeKey}`, meeting._id, meeting.startsAt);
      }
    }
    return { segments, actionItems };
  }

  /** The title for a damaged meeting's line in the export; none when it is what is damaged. */
  async function titleOrNull(ctx: TenantContext, meeting: MeetingDoc): Promise<string | null> {
    return titleOf(kit, ctx, meeting).catch((error: unknown) => {
      if (error instanceof MeetingError) return null;
      throw error;
    });
  }

  async function walk(ctx: TenantContext, user: UserDoc, apply: boolean) {
    const counts = {
      'meetings organized (deleted, each with its own certificate)': 0,
      'meeting participations removed': 0,
      'transcript segments re-labelled "Former participant"': 0,
      'action items re-labelled "Former participant"': 0,
    };
    for (const meeting of await meetingsOf(ctx, user)) {
      if (meeting.organizerId === user._id) {
        counts['meetings organized (deleted, each with its own certificate)'] += 1;
        if (apply) await removeMeeting(kit, ctx, meeting, `user:${user._id}`);
        continue;
      }
      counts['meeting participations removed'] += 1;
      const relabelled = await pseudonymize(ctx, meeting, user, apply);
      counts['transcript segments re-labelled "Former participant"'] += relabelled.segments;
      counts['action items re-labelled "Former participant"'] += relabelled.actionItems;
    }
    return counts;
  }

  return {
    name: 'meetings',
    async export(ctx, user) {
      const actor = { kind: 'user' as const, userId: user._id, email: user.email, name: user.name };
      const out: unknown[] = [];
      for (const meeting of await meetingsOf(ctx, user)) {
        try {
          out.push(await service.get(ctx, actor, meeting._id));
        } catch (error) {
          // One damaged meeting must not withhold the rest of the export.
          if (!(error instanceof MeetingError)) throw error;
          out.push({
            id: meeting._id,
            title: await titleOrNull(ctx, meeting),
            unreadable: error.message,
          });
        }
      }
      return out;
    },
    count: (ctx, user) => walk(ctx, user, false),
    erase: (ctx, user) => walk(ctx, user, true),
  };
}
