// The X-Zoom-App-Context header (also what zoomSdk.getAppContext() returns): JSON sealed by
// Zoom with AES-256-GCM under SHA-256(client secret). Zoom's documented layout, base64:
//   [iv length: 1 byte][iv][aad length: 2 bytes LE][aad][cipher length: 4 bytes LE][cipher][tag]
// A context that does not open, is not JSON of the documented shape, or has expired is refused:
// it is the only thing that says which Zoom user is asking.
import { createDecipheriv, createHash } from 'node:crypto';
import type { Request } from 'express';
import { z } from 'zod';
import { HttpError } from '../../../infra/http/http-error.ts';

export const APP_CONTEXT_HEADER = 'x-zoom-app-context';
const MAX_CONTEXT_CHARS = 8192;
const TAG_BYTES = 16;

const contextShape = z.looseObject({
  /** Where the app was opened: panel (main client), meeting, webinar, chat… */
  typ: z.string().min(1),
  /** The Zoom user id. */
  uid: z.string().min(1),
  /** The meeting's UUID, in a meeting. */
  mid: z.string().min(1).optional(),
  /** Created and expiry times, milliseconds since the epoch. */
  ts: z.number(),
  exp: z.number(),
});
export type ZoomAppContext = z.infer<typeof contextShape>;

export class AppContextError extends Error {
  override name = 'AppContextError';
}

function unpack(encoded: string) {
  const buf = Buffer.from(encoded, 'base64');
  let at = 0;
  const take = (n: number): Buffer => {
    if (n < 0 || at + n > buf.length) throw new AppContextError('the app context is truncated');
    const part = buf.subarray(at, at + n);
    at += n;
    return part;
  };
  const iv = take(take(1).readUInt8(0));
  const aad = take(take(2).readUInt16LE(0));
  const cipherText = take(take(4).readInt32LE(0));
  const tag = buf.subarray(at);
  if (tag.length !== TAG_BYTES) throw new AppContextError('the app context has no valid tag');
  return { iv, aad, cipherText, tag };
}

/** Opens and checks a context; throws AppContextError with a reason (never the content). */
export function decryptAppContext(
  encoded: string | undefined,
  clientSecret: string,
  now = Date.now(),
): ZoomAppContext {
  if (!encoded) throw new AppContextError('no Zoom app context was sent');
  if (encoded.length > MAX_CONTEXT_CHARS) throw new AppContextError('the app context is too long');
  const { iv, aad, cipherText, tag } = unpack(encoded);
  let plain: string;
  try {
    const key = createHash('sha256').update(clientSecret).digest();
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    plain = Buffer.concat([decipher.update(cipherText), decipher.final()]).toString('utf8');
  } catch {
    throw new AppContextError('the app context was not sealed by Zoom for this app');
  }
  let parsed;
  try {
    parsed = contextShape.safeParse(JSON.parse(plain));
  } catch {
    throw new AppContextError('the app context is not JSON');
  }
  if (!parsed.success) throw new AppContextError('the app context lacks its user or times');
  if (parsed.data.exp < now) throw new AppContextError('the app context has expired');
  return parsed.data;
}

/** Who is asking in the panel: the app context Zoom sealed, opened and checked; else 401. */
export function zoomContextOf(req: Request, clientSecret: string): ZoomAppContext {
  try {
    return decryptAppContext(req.get(APP_CONTEXT_HEADER), clientSecret);
  } catch (error) {
    if (error instanceof AppContextError) {
      throw new HttpError(
        401,
        'invalid_app_context',
        `Open Quorum from the Zoom client: ${error.message}.`,
      );
    }
    throw error;
  }
}
