// Who is asking in the meeting side panel: the panel signs in with Teams SSO (transport.ts),
// from a Microsoft tenant linked to a Quorum organization; the person is the Teams user's link,
// else their Entra email.
import type { Request } from 'express';
import type { UserDoc } from '../../../core/identity/models.ts';
import { findActiveTenantUserByEmail } from '../../../core/identity/users.ts';
import type { TeamsSsoVerifier } from '../transport.ts';
import type { TeamsDeps } from './context.ts';

export interface PanelUser {
  msTenantId: string;
  tenantId: string;
  user: UserDoc;
}

/** A refusal the panel shows: its HTTP status, a code and the sentence for the person. */
export class PanelError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The person behind the request's bearer token; a PanelError when there is none Quorum knows. */
export async function panelUser(
  teams: TeamsDeps,
  verify: TeamsSsoVerifier | undefined,
  req: Request,
): Promise<PanelUser> {
  const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
  if (!token || !verify) {
    throw new PanelError(401, 'unauthenticated', 'Open this panel in Teams to sign in.');
  }
  const identity = await verify(token);
  if (!identity) {
    throw new PanelError(401, 'unauthenticated', 'Teams did not give a valid sign-in token.');
  }
  const { msTenantId: tid, objectId: oid, email } = identity;
  const tenantId = await teams.directory.tenantOf(tid);
  if (!tenantId) {
    throw new PanelError(
      403,
      'not_linked',
      'Your Microsoft organization is not linked to Quorum yet: send "connect" to Quorum in Teams.',
    );
  }
  const linked = oid ? await teams.directory.linkedUser(tid, tenantId, oid) : undefined;
  const user =
    linked ??
    (email ? await findActiveTenantUserByEmail(teams.scheduling.store, tenantId, email) : null);
  if (!user) {
    throw new PanelError(
      403,
      'not_linked',
      'Quorum does not know you yet: send "connect" to Quorum in Teams.',
    );
  }
  return { msTenantId: tid, tenantId, user };
}
