// The signed-in person's own data: who am I, export everything, delete my account.
import { Router } from 'express';
import { z } from 'zod';
import type { AuditRecorder } from '../../core/identity/audit-port.ts';
import {
  ACCOUNT_RETENTION_DAYS,
  exportPersonalData,
  softDeleteAccount,
  type PersonalDataSection,
} from '../../core/identity/personal-data.ts';
import type { Store } from '../../core/store/store.ts';
import { requireUser } from '../../infra/http/authenticate.ts';
import { parseInput } from '../../infra/http/validate.ts';

export function meRoutes(deps: {
  store: Store;
  audit: AuditRecorder;
  sections: PersonalDataSection[];
}): Router {
  const router = Router();

  router.get('/api/me', (req, res) => {
    const { user } = requireUser(req, res);
    res.json({
      id: user._id,
      name: user.name,
      email: user.email,
      role: user.role,
      tenantId: user.tenantId,
    });
  });

  router.get('/api/me/export', async (req, res) => {
    const { ctx, user } = requireUser(req, res);
    const data = await exportPersonalData(deps.sections, ctx, user);
    res.setHeader('Content-Disposition', 'attachment; filename="quorum-export.json"');
    res.json(data);
  });

  router.delete('/api/me', async (req, res) => {
    const { ctx, user } = requireUser(req, res);
    parseInput(
      z.object({ confirm: z.literal(user.email, { error: 'type your email address to confirm' }) }),
      req.body,
    );
    await softDeleteAccount(deps.store, user);
    await deps.audit(ctx, {
      action: 'account.deleted',
      actor: `user:${user._id}`,
      target: `user:${user._id}`,
      ip: req.ip ?? null,
      userAgent: req.get('user-agent') ?? null,
    });
    res.json({ deleted: true, erasedAfterDays: ACCOUNT_RETENTION_DAYS });
  });

  return router;
}
