// The Outlook add-in's routes: its pages and office.js (transport.ts), and signing in from the
// task pane (listeners/sign-in.ts).
import { Router } from 'express';
import type { AuditRecorder } from '../../core/identity/audit-port.ts';
import type { MicrosoftTokenVerifier } from '../../core/identity/microsoft-token.ts';
import type { SessionService } from '../../core/identity/sessions.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../core/store/store.ts';
import { signInRoutes } from './listeners/sign-in.ts';
import { outlookPages } from './transport.ts';

export { outlookRouteSchemas } from './listeners/sign-in.ts';
export { dialogOpenerPolicy } from './transport.ts';

export interface OutlookRouteDeps {
  store: Store;
  sessions: SessionService;
  audit: AuditRecorder;
  logger: Logger;
  openSignup: boolean;
  /** Office SSO tokens are checked with this; absent when Microsoft sign-in is not set up. */
  verifyMicrosoftToken: MicrosoftTokenVerifier | undefined;
}

export function outlookRoutes(deps: OutlookRouteDeps): Router {
  const router = Router();
  outlookPages(router);
  signInRoutes(router, deps);
  return router;
}
