// Meetings in "export my data" and account erasure.
//
// Export: every meeting the person organized or was invited to, decrypted for them (they may
// read all of it anyway). Erasure: meetings they organized are deleted whole, each with its own
// certificate; in meetings of others they are taken off the participant list, and the
// transcript lines and action items attributed to them are re-labelled "Former participant",
// so the others keep their record without the person's name in it.
import type { PersonalDataSection } from '../identity/personal-data.ts';
import type { UserDoc } from '../identity/models.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import { MeetingError } from './errors.ts';
import type { MeetingsKit } from './kit.ts';
import type { MeetingDoc } from './models.ts';
import { attendeeKeyOf, type MeetingsService } from './meetings-service.ts';
import { removeMeeting } from './removal.ts';

export const FORMER_PARTICIPANT = 'Former participant';

function mine(user: UserDoc) {
  return {
    $or: [{ organizerId: user._id }, { participantEmails: user.email.toLowerCase() }],
    deletion: null,
  };
}

function namesOf(user: UserDoc): Set<string> {
  return new Set([user.name.trim().toLowerCase(), user.email.toLowerCase()]);
}

export function meetingsSection(kit: MeetingsKit, service: MeetingsService): PersonalDataSection {
  async function meetingsOf(ctx: TenantContext, user: UserDoc): Promise<MeetingDoc[]> {
    const { Meetings } = await kit.models(ctx);
    return Meetings.find(mine(user)).sort({ startsAt: 1 }).lean();
  }

  /** Re-labels what the person said and owns in someone else's meeting; counts it. */
  async function pseudonymize(
    ctx: TenantContext,
    meeting: MeetingDoc,
    user: UserDoc,
    apply: boolean,
  ): Promise<{ segments: number; actionItems: number }> {
    const names = namesOf(user);
    const { Segments, ActionItems, Meetings } = await kit.models(ctx);
    let segments = 0;
    for (const stored of await Segments.find({ meetingId: meeting._id }).lean()) {
      const segment = await kit.sealed.segments.open(ctx, stored);
      if (!names.has(segment.speaker.trim().toLowerCase())) continue;
      segments += 1;
      if (apply) {
        const resealed = await kit.sealed.segments.seal(ctx, {
          ...segment,
          speaker: FORMER_PARTICIPANT,
        });
        await Segments.updateOne({ _id: stored._id }, { $set: { speaker: resealed.speaker } });
      }
    }
    let actionItems = 0;
    for (const stored of await ActionItems.find({ meetingId: meeting._id }).lean()) {
      const item = await kit.sealed.actionItems.open(ctx, stored);
      if (item.owner === null || !names.has(item.owner.trim().toLowerCase())) continue;
      actionItems += 1;
      if (apply) {
        const resealed = await kit.sealed.actionItems.seal(ctx, {
          ...item,
          owner: FORMER_PARTICIPANT,
        });
        await ActionItems.updateOne({ _id: stored._id }, { $set: { owner: resealed.owner } });
      }
    }
    if (apply) {
      const participants = meeting.participants.filter((p) => p.email !== user.email.toLowerCase());
      const participantEmails = participants.map((p) => p.email);
      await Meetings.updateOne(
        { _id: meeting._id },
        {
          $set: {
            participants,
            participantEmails,
            attendeeKey: attendeeKeyOf(participantEmails),
            updatedAt: kit.now(),
          },
        },
      );
    }
    return { segments, actionItems };
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
          out.push({ id: meeting._id, title: meeting.title, unreadable: error.message });
        }
      }
      return out;
    },
    count: (ctx, user) => walk(ctx, user, false),
    erase: (ctx, user) => walk(ctx, user, true),
  };
}
