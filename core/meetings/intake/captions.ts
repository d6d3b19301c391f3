// Captions a platform made (WebVTT, or Google Meet's caption entries): validated at once, so a
// bad file is refused while its sender waits, sealed, and transcribed in a job.
import { randomId } from '../../identity/ids.ts';
import { TranscriptionError, type TranscriptionSource } from '../../speech/index.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { MeetingError } from '../errors.ts';
import type { MeetingsKit } from '../kit.ts';
import type { MeetingStatus } from '../models.ts';
import { visibleMeeting, type MeetingActor } from '../records/access.ts';
import { insertSource, mayTakeSource, queueMeeting } from './sources.ts';

export type CaptionsInput =
  | { format: 'webvtt'; text: string }
  | { format: 'meet-entries'; entries: unknown; participants?: unknown; conferenceStart?: string };

/** What the captions transcriber reads for captions given to (or stored for) a meeting. */
export function captionsSource(input: CaptionsInput): TranscriptionSource {
  return input.format === 'webvtt'
    ? { kind: 'webvtt', text: input.text }
    : {
        kind: 'meet-entries',
        entries: input.entries,
        ...(input.participants === undefined ? {} : { participants: input.participants }),
        ...(input.conferenceStart === undefined ? {} : { conferenceStart: input.conferenceStart }),
      };
}

/** Validates captions now (a bad file is refused at once), transcribes them in a job. */
export async function addCaptions(
  kit: MeetingsKit,
  ctx: TenantContext,
  actor: MeetingActor,
  id: string,
  input: CaptionsInput,
): Promise<{ status: MeetingStatus; cues: number }> {
  const meeting = await visibleMeeting(kit, ctx, actor, id);
  mayTakeSource(meeting);
  const cues = await countCues(kit, input);
  const sealed = await kit.sealed.captions.seal(ctx, { _id: id, captions: input });
  const sourceId = randomId(12);
  await insertSource(kit, ctx, {
    _id: id,
    sourceId,
    kind: 'captions',
    file: null,
    fileKey: null,
    bytes: 0,
    contentType: null,
    captions: sealed.captions,
    captionsFormat: input.format,
    state: 'received',
    receivedAt: kit.now(),
  });
  await queueMeeting(kit, ctx, id, { kind: 'captions', sourceId }, 'captions');
  return { status: 'queued', cues };
}

/** How many cues the captions hold; refuses captions that cannot be read or say nothing. */
async function countCues(kit: MeetingsKit, input: CaptionsInput): Promise<number> {
  const captions = kit.transcriber('captions');
  if (!captions) throw new MeetingError('invalid', 'This deployment cannot read captions.');
  const source = captionsSource(input);
  let cues: number;
  try {
    cues = (await captions.transcribe(source)).length;
  } catch (error) {
    if (error instanceof TranscriptionError) {
      throw new MeetingError('invalid', error.message, { cause: error });
    }
    throw error;
  }
  if (cues === 0) {
    throw new MeetingError('invalid', 'The captions hold no spoken text; nothing to transcribe.');
  }
  return cues;
}
