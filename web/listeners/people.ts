// The organization's people: everyone may look colleagues up (to invite them); administrators
// add accounts.
import { Router } from 'express';
import { z } from 'zod';
import { AccountError, addMember } from '../../core/identity/accounts.ts';
import { tenantMembers } from '../../core/identity/users.ts';
import type { Store } from '../../core/store/store.ts';
import { requireAdmin, requireUser } from '../../infra/http/authenticate.ts';
import { HttpError } from '../../infra/http/http-error.ts';
import { newPassword } from '../../infra/http/password-input.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import { parseInput } from '../../infra/http/validate.ts';

const newPerson = z.object({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(120),
  password: newPassword,
});

export const peopleRouteSchemas: RouteSchema[] = [
  { method: 'POST', path: '/api/admin/people', schema: newPerson, auth: 'admin' },
];

export function peopleRoutes(deps: { store: Store }): Router {
  const router = Router();

  router.get('/api/people', async (req, res) => {
    const { ctx } = requireUser(req, res);
    // The tenant's member list: one document read by exact `_id`, whatever the tenant's size.
    const people = (await tenantMembers(deps.store, ctx.tenantId)).slice(0, 1000);
    res.json({
      people: people.map((p) => ({ id: p.id, name: p.name, email: p.email, role: p.role })),
    });
  });

  router.post('/api/admin/people', async (req, res) => {
    const { ctx } = requireAdmin(req, res);
    const body = parseInput(newPerson, req.body);
    try {
      const user = await addMember(deps.store, ctx, body);
      res.status(201).json({ id: user._id, name: user.name, email: user.email, role: user.role });
    } catch (error) {
      if (error instanceof AccountError) {
        // `email-taken` means taken in this organization only: an address with an account in
        // another one is added like any new address (core/identity/users.ts says why), so this
        // answer reveals nothing about other organizations.
        throw new HttpError(error.code === 'email-taken' ? 409 : 400, error.code, error.message);
      }
      throw error;
    }
  });

  return router;
}
