// Who is asking about which meeting: the caller's session or API key as the core's meeting actor,
// and the meeting the path names.
import type { Request } from 'express';
import type { MeetingActor } from '../../core/meetings/index.ts';
import type { Auth } from '../../infra/http/authenticate.ts';

export function actorOf(auth: Auth): MeetingActor {
  return auth.kind === 'session'
    ? { kind: 'user', userId: auth.user._id, email: auth.user.email, name: auth.user.name }
    : { kind: 'api-key', keyId: auth.keyId };
}

export function meetingIdOf(req: Request): string {
  return String(req.params.id);
}
