// Online-meeting links without a booking: for a host (the Outlook task pane) that writes the
// invite itself and only needs the join link. Zoom only: a Teams link comes from Outlook's own
// Teams toggle, and a Meet link exists only on an event created in Google Calendar.
import { Router } from 'express';
import { z } from 'zod';
import type { ZoomMeetings } from '../../core/scheduling/booking/booking-service.ts';
import { requireUser } from '../../infra/http/authenticate.ts';
import { HttpError } from '../../infra/http/http-error.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import { boundedRange, instant, MAX_SPAN } from '../../infra/http/time-input.ts';
import { parseInput } from '../../infra/http/validate.ts';

const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => zone === 'UTC' || Intl.supportedValuesOf('timeZone').includes(zone), {
    message: 'must be an IANA time zone such as Europe/Berlin',
  });

// Times bounded like every other time people send: 2000–2099, at most 24 hours long.
const body = boundedRange(
  z.object({
    type: z.literal('zoom'),
    title: z.string().trim().min(1).max(200),
    start: instant,
    end: instant,
    timeZone,
  }),
  (b) => b,
  [],
  MAX_SPAN.event,
  'a meeting',
);

export const onlineMeetingRouteSchemas: RouteSchema[] = [
  { method: 'POST', path: '/api/online-meetings', schema: body, auth: 'session' },
];

export function onlineMeetingRoutes(deps: { zoom: ZoomMeetings | undefined }): Router {
  const router = Router();
  router.post('/api/online-meetings', async (req, res) => {
    const { ctx, user } = requireUser(req, res);
    const input = parseInput(body, req.body);
    if (!deps.zoom) {
      throw new HttpError(
        409,
        'zoom_not_configured',
        'This Quorum has no Zoom integration. Choose another link, or ask an administrator to set it up.',
      );
    }
    const made = await deps.zoom.create(ctx, user._id, {
      title: input.title,
      start: input.start,
      end: input.end,
      timeZone: input.timeZone,
    });
    if (!made) {
      throw new HttpError(
        409,
        'zoom_not_linked',
        'Link your Zoom account first: open Quorum from Apps in the Zoom client and choose Authorize, then try again.',
      );
    }
    res.status(201).json({ type: 'zoom', joinUrl: made.joinUrl });
  });
  return router;
}
