// Who is free when, per person, over a window: the Schedule page's week grid. Reads calendars
// live; stores nothing.
import { Router } from 'express';
import { z } from 'zod';
import { availabilityOverview } from '../../core/scheduling/availability-overview.ts';
import type { SchedulingDeps } from '../../core/scheduling/find-times.ts';
import { requireUser } from '../http/authenticate.ts';
import { parseInput } from '../http/validate.ts';

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const body = z
  .object({
    emails: z
      .array(z.email().transform((e) => e.toLowerCase()))
      .max(30)
      .default([]),
    window: z.object({ start: instant, end: instant }),
  })
  .refine((b) => b.window.end > b.window.start, {
    message: 'window.end must be after window.start',
    path: ['window', 'end'],
  })
  .refine((b) => b.window.end.getTime() - b.window.start.getTime() <= 14 * 86_400_000, {
    message: 'the window may span at most 14 days',
    path: ['window'],
  });

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
