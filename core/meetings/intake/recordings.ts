// Recordings: streamed into an encrypted file under a key of their own (sealed with the
// meeting's key), then transcribed in a job with the engine the tenant chose.
import { createSecretKey, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { randomId } from '../../identity/ids.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import { MeetingError } from '../errors.ts';
import type { MeetingsKit } from '../kit.ts';
import type { MeetingStatus } from '../models.ts';
import { RECORDING_SUFFIX, RecordingTooLargeError } from '../recording-files.ts';
import { visibleMeeting, type MeetingActor } from '../records/access.ts';
import { insertSource, mayTakeSource, queueMeeting } from './sources.ts';

/**
 * Streams a recording into an encrypted file (never whole in memory). Refuses it before
 * reading when its declared size is over the tenant's limit, and stops reading the moment
 * it grows past it (RecordingTooLargeError either way; nothing is kept).
 */
export async function addRecording(
  kit: MeetingsKit,
  ctx: TenantContext,
  actor: MeetingActor,
  id: string,
  body: Readable,
  info: { contentType: string | null; declaredBytes?: number },
): Promise<{ status: MeetingStatus; bytes: number; engine: string }> {
  const meeting = await visibleMeeting(kit, ctx, actor, id);
  mayTakeSource(meeting);
  const settings = await kit.settings(ctx);
  const engine = settings.transcriptionEngine;
  const transcriber = kit.transcriber(engine);
  if (!transcriber?.accepts.has('audio-file')) {
    throw new MeetingError(
      'invalid',
      `Your organization transcribes with ${engine}, which this deployment does not have; ` +
        'an administrator can choose another engine in the settings.',
    );
  }
  const limit = settings.recordingLimitMb * 1024 * 1024;
  if (info.declaredBytes !== undefined && info.declaredBytes > limit) {
    throw new RecordingTooLargeError(limit);
  }
  const sourceId = randomId(12);
  const file = `${id}.${sourceId}${RECORDING_SUFFIX}`;
  const fileKey = randomBytes(32);
  try {
    // Fail-closed: without the meeting key the upload is refused before a byte is stored.
    const { fileKey: sealedKey } = await kit.sealed.audioKeys.seal(ctx, {
      _id: id,
      fileKey: fileKey.toString('base64'),
    });
    await insertSource(kit, ctx, {
      _id: id,
      sourceId,
      kind: 'audio',
      file,
      fileKey: sealedKey,
      bytes: 0,
      contentType: info.contentType,
      captionsFormat: null,
      state: 'uploading',
      receivedAt: kit.now(),
    });
    const bytes = await writeRecording(kit, ctx, id, body, { file, fileKey, limit });
    await queueMeeting(kit, ctx, id, { kind: 'audio', sourceId }, engine);
    return { status: 'queued', bytes, engine };
  } finally {
    fileKey.fill(0);
  }
}

/** Writes the file and marks the source received; an empty or failed file leaves nothing. */
async function writeRecording(
  kit: MeetingsKit,
  ctx: TenantContext,
  id: string,
  body: Readable,
  target: { file: string; fileKey: Buffer; limit: number },
): Promise<number> {
  const { file, fileKey, limit } = target;
  const { Sources } = await kit.models(ctx);
  let bytes: number;
  try {
    bytes = await kit.files.write(
      body,
      { tenantId: ctx.tenantId, file },
      createSecretKey(fileKey),
      limit,
    );
    if (bytes === 0) throw new MeetingError('invalid', 'The recording is empty.');
  } catch (error) {
    await kit.files.remove(ctx.tenantId, file);
    await Sources.deleteOne({ _id: id });
    throw error;
  }
  await Sources.updateOne({ _id: id }, { $set: { state: 'received', bytes } });
  return bytes;
}
