// Who is free when, per person, over a window: the Schedule page's week grid. Reads calendars
// live; stores nothing.
import { Router } from 'express';
import { z } from 'zod';
import { availabilityOverview } from '../../core/scheduling/availability-overview.ts';
import type { SchedulingDeps } from '../../core/scheduling/find-times.ts';
import { requireUser } from '../../infra/http/authenticate.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import { boundedRange, instant, MAX_SPAN } from '../../infra/http/time-input.ts';
import { parseInput } from '../../infra/http/validate.ts';

const body = boundedRange(
  z.object({
    emails: z
      .array(z.email().transform((e) => e.toLowerCase()))
      .max(30)
      .default([]),
    window: z.object({ start: instant, end: instant }),
  }),
  (b) => b.window,
  ['window'],
  MAX_SPAN.overviewWindow,
);

export const availabilityRouteSchemas: RouteSchema[] = [
  { method: 'POST', path: '/api/scheduling/availability', schema: body, auth: 'session' },
];

export function availabilityRoutes(deps: SchedulingDeps): Router {
  const router = Router();
  router.post('/api/scheduling/availability', async (req, res) => {
    const { ctx, user } = requireUser(req, res);
    const { emails, window } = parseInput(body, req.body);
    // The viewer is always the first row: their own week is what the others are compared with.
    const people = await availabilityOverview(deps, ctx, {
      emails: [user.email, ...emails.filter((e) => e !== user.email)],
      window,
    });
    const iso = (list: Array<{ start: number; end: number }>) =>
      list.map((i) => ({
        start: new Date(i.start).toISOString(),
        end: new Date(i.end).toISOString(),
      }));
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      window: { start: window.start.toISOString(), end: window.end.toISOString() },
      people: people.map((p) => ({ ...p, working: iso(p.working), busy: iso(p.busy) })),
    });
  });
  return router;
}
