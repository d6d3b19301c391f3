// Deleting a whole meeting at someone's request: its data key first (so every copy of its
// ciphertext, backups included, is unreadable from that moment), then its content and record,
// with a certificate. The plan (what there was to delete) is written onto the meeting before
// anything goes, so a run that dies midway is finished later with the same counts and the
// same single certificate.
import { deleteByIds } from '../../store/by-id.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { countContent, eraseContent } from '../content.ts';
import type { MeetingsKit } from '../kit.ts';
import { CURRENT, DUE } from '../lists.ts';
import { unlistMeeting } from '../listing.ts';
import type { MeetingDoc } from '../models.ts';
import { meetingScope } from '../sealed-content.ts';
import { certifyOwed } from './source-certificates.ts';

export const MEETING_SUBJECT = 'meeting';

export async function removeMeeting(
  kit: MeetingsKit,
  ctx: TenantContext,
  meeting: MeetingDoc,
  by: string,
): Promise<string> {
  const { Meetings, Claims, Sources, lists } = await kit.models(ctx);
  const id = meeting._id;
  let plan = meeting.deletion;
  if (!plan) {
    // Listed first: a run that dies after writing the plan is found and finished by the job.
    await lists.addDue(DUE.deleting, CURRENT, [id]);
    plan = {
      counts: {
        'meeting records': 1,
        'meeting data keys (destroyed)': 1,
        ...(await countContent(kit, ctx, [meeting])).get(id),
      },
      startedAt: kit.now(),
      by,
    };
    await Meetings.updateOne({ _id: id }, { $set: { deletion: plan, updatedAt: kit.now() } });
  }
  // A recording or captions deleted a moment ago may still owe its certificate (its record then
  // says only what the certificate will): issue it now, so nothing naming the meeting stays.
  if (meeting.sourceDeletedAt !== null && (await Sources.findById(id, { owed: 1 }).lean())?.owed) {
    await certifyOwed(kit, ctx);
  }
  await kit.deps.envelope.destroyDataKey(ctx, meetingScope(id));
  await eraseContent(kit, ctx, [meeting], 'caller');
  await deleteByIds(Claims, meeting.claimIds ?? []);

  const { certificates, audit } = kit.deps;
  const kept = [
    {
      what: 'the data key tombstone',
      why: 'it records when the key was destroyed, so nothing is ever encrypted for this meeting again',
    },
    { what: 'audit log entries naming the meeting', why: 'the audit log is append-only evidence' },
  ];
  if (meeting.bookingId) {
    kept.unshift({
      what: `booking ${meeting.bookingId} (title, times, attendees)`,
      why: "it is the event on the organizer's calendar; cancelling it is a separate step",
    });
  }
  const target = `meeting:${id}`;
  // A new certificate writes the audit entry itself, so that it covers it; one found here was
  // audited with it unless it was issued before certificates did that.
  const existing = await certificates.issuedFor(ctx, MEETING_SUBJECT, id);
  const certificateId =
    existing?.certificateId ??
    (
      await certificates.issueDeletionCertificate(
        ctx,
        {
          subject: { kind: MEETING_SUBJECT, id },
          deleted: plan.counts,
          kept,
          at: kit.now(),
          audit: { actor: plan.by, target },
        },
        { scrub: 'tenant' },
      )
    ).certificate.id;
  if (existing && !existing.audited) {
    await audit.append(ctx, {
      action: 'data.deleted',
      actor: plan.by,
      target,
      details: { certificateId, kind: MEETING_SUBJECT },
    });
  }
  // The proof exists; now the last record goes, off every list first.
  await unlistMeeting(lists, meeting);
  await Meetings.deleteOne({ _id: id });
  await lists.removeDue(DUE.deleting, CURRENT, [id]);
  return certificateId;
}
