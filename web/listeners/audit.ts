// The tenant's audit log and the result of verifying its hash chain, for administrators and
// for API keys with the audit:read permission.
import { Router } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../../core/privacy/audit-log.ts';
import { HttpError } from '../../infra/http/http-error.ts';
import { authOf, requireAccess } from '../../infra/http/authenticate.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import { parseInput } from '../../infra/http/validate.ts';

const query = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
});

export const auditRouteSchemas: RouteSchema[] = [
  { method: 'GET', path: '/api/audit', in: 'query', schema: query, auth: 'session-or-api-key' },
];

export function auditRoutes(deps: { audit: AuditLog }): Router {
  const router = Router();
  router.get('/api/audit', async (req, res) => {
    const auth = requireAccess(req, res, 'audit:read');
    const viewer = authOf(res);
    if (viewer?.kind === 'session' && viewer.user.role !== 'admin') {
      throw new HttpError(
        403,
        'admin_only',
        'Only an administrator of your organization can read the audit log.',
      );
    }
    const { limit, before } = parseInput(query, req.query);
    const [entries, verification] = await Promise.all([
      deps.audit.entries(auth.ctx, { limit, ...(before ? { before } : {}) }),
      deps.audit.verifyAuditChain(auth.ctx),
    ]);
    res.json({ verification, entries });
  });
  return router;
}
