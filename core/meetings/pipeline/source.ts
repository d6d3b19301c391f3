// The recording or captions a meeting is transcribed from, opened for the engine.
import { createSecretKey } from 'node:crypto';
import type { TranscriptionSource } from '../../speech/index.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import type { MeetingsKit } from '../kit.ts';
import { captionsSource, type CaptionsInput } from '../meetings-service.ts';
import type { MeetingDoc, SourceDoc } from '../models.ts';
import { PermanentFailure } from './failures.ts';

export async function sourceOf(
  kit: MeetingsKit,
  ctx: TenantContext,
  meeting: MeetingDoc,
): Promise<{
  source: TranscriptionSource;
  stored: SourceDoc;
  release(): Promise<void>;
}> {
  const { Sources } = await kit.models(ctx);
  const stored = await Sources.findById(meeting._id).lean();
  if (!stored || stored.sourceId !== meeting.sourceId || stored.state !== 'received') {
    throw new PermanentFailure(
      'The recording is gone before it was transcribed (recordings are kept at most 24 hours).',
    );
  }
  if (stored.kind === 'captions') {
    const opened = await kit.sealed.captions.open(ctx, {
      _id: meeting._id,
      captions: stored.captions,
    });
    const input = opened.captions as CaptionsInput;
    const source = captionsSource(input);
    return { source, stored, release: async () => undefined };
  }
  const { fileKey } = await kit.sealed.audioKeys.open(ctx, {
    _id: meeting._id,
    fileKey: stored.fileKey ?? '',
  });
  const key = Buffer.from(fileKey, 'base64');
  try {
    const plain = await kit.files.decryptForTranscription(
      ctx.tenantId,
      stored.file!,
      createSecretKey(key),
    );
    return {
      source: { kind: 'audio-file', path: plain.path },
      stored,
      release: plain.release,
    };
  } finally {
    key.fill(0);
  }
}
