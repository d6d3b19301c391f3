// Administrators create, list and revoke API keys for their own tenant.
import { Router } from 'express';
import { z } from 'zod';
import { API_KEY_PERMISSIONS, type ApiKeyService } from '../../core/identity/api-keys.ts';
import type { AuditRecorder } from '../../core/identity/audit-port.ts';
import { requireAdmin } from '../../infra/http/authenticate.ts';
import { notFound } from '../../infra/http/http-error.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import { parseInput } from '../../infra/http/validate.ts';

const createBody = z.object({
  name: z.string().trim().min(1).max(80),
  permissions: z.array(z.enum(API_KEY_PERMISSIONS)).min(1),
});

export const apiKeyRouteSchemas: RouteSchema[] = [
  { method: 'POST', path: '/api/admin/api-keys', schema: createBody, auth: 'admin' },
];

export function apiKeyRoutes(deps: { apiKeys: ApiKeyService; audit: AuditRecorder }): Router {
  const router = Router();

  router.get('/api/admin/api-keys', async (req, res) => {
    const { ctx } = requireAdmin(req, res);
    res.json({ keys: await deps.apiKeys.list(ctx) });
  });

  router.post('/api/admin/api-keys', async (req, res) => {
    const { ctx, user } = requireAdmin(req, res);
    const body = parseInput(createBody, req.body);
    const created = await deps.apiKeys.create(ctx, body);
    await deps.audit(ctx, {
      action: 'api-key.created',
      actor: `user:${user._id}`,
      target: `api-key:${created.id}`,
      ip: req.ip ?? null,
      userAgent: req.get('user-agent') ?? null,
      details: { permissions: body.permissions },
    });
    // The key is shown this once; only its digest is stored.
    res.status(201).json({ id: created.id, key: created.key, permissions: body.permissions });
  });

  router.delete('/api/admin/api-keys/:id', async (req, res) => {
    const { ctx, user } = requireAdmin(req, res);
    if (!(await deps.apiKeys.revoke(ctx, req.params.id!))) throw notFound('That API key');
    await deps.audit(ctx, {
      action: 'api-key.revoked',
      actor: `user:${user._id}`,
      target: `api-key:${req.params.id!}`,
      ip: req.ip ?? null,
      userAgent: req.get('user-agent') ?? null,
    });
    res.json({ revoked: true });
  });

  return router;
}
