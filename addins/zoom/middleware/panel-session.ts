// A Zoom user linked to a Quorum person gets a panel session: an ordinary Quorum session that
// lives one hour, in the session cookie, so the panel uses Quorum's own API like the web app.
import type { Request, Response } from 'express';
import { serialize } from 'cookie';
import type { AuditRecorder } from '../../../core/identity/audit-port.ts';
import type { UserDoc } from '../../../core/identity/models.ts';
import type { SessionService } from '../../../core/identity/sessions.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { SESSION_COOKIE } from '../../../infra/http/authenticate.ts';

/** A panel session lives an hour; the panel asks for a new one when it ends. */
export const PANEL_SESSION_MS = 60 * 60_000;

export function createPanelSessions(deps: {
  sessions: SessionService;
  audit: AuditRecorder;
  /** Quorum is served over https: the cookie may then travel in Zoom's frame. */
  secure: boolean;
}) {
  const { secure } = deps;
  async function startPanelSession(req: Request, res: Response, user: UserDoc) {
    const meta = { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
    const { token, expiresAt } = await deps.sessions.issue(user, {
      ...meta,
      ttlMs: PANEL_SESSION_MS,
    });
    await deps.audit(verifiedTenantContext(user.tenantId, 'session', user._id), {
      action: 'sign-in.succeeded',
      actor: `user:${user._id}`,
      target: `user:${user._id}`,
      ...meta,
      details: { method: 'zoom-app-context' },
    });
    res.append(
      'Set-Cookie',
      serialize(SESSION_COOKIE, token, {
        httpOnly: true,
        secure,
        // Zoom's web client frames the panel: the cookie must travel in that frame (https only).
        sameSite: secure ? 'none' : 'lax',
        path: '/',
        expires: expiresAt,
      }),
    );
    return { user: { name: user.name, email: user.email }, expiresAt: expiresAt.toISOString() };
  }

  return { start: startPanelSession };
}

export type PanelSessions = ReturnType<typeof createPanelSessions>;
