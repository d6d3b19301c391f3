// Shares a meeting's summary to a chat platform the organization has connected (from the Zoom
// panel, for one): the platform's adapter posts it where the meeting was booked, else to the
// person asking by direct message. Adapters register as share targets when they are on.
import { Router } from 'express';
import { z } from 'zod';
import type { Logger } from '../../core/logger.ts';
import type { MeetingsService } from '../../core/meetings/index.ts';
import { requireUser } from '../../infra/http/authenticate.ts';
import { HttpError } from '../../infra/http/http-error.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import { parseInput } from '../../infra/http/validate.ts';
import { actorOf } from '../middleware/meeting-actor.ts';
import { asHttp } from '../render/meetings.ts';

export interface ShareTarget {
  /** Whether the organization has this platform connected (e.g. a Slack workspace installed). */
  connected(tenantId: string): Promise<boolean>;
  /** Posts the summary; false when there was no summary or no one to post it to. */
  share(tenantId: string, meetingId: string, requesterEmail: string): Promise<boolean>;
}

const body = z.object({ to: z.enum(['slack', 'teams']) });

export const meetingShareRouteSchemas: RouteSchema[] = [
  { method: 'POST', path: '/api/meetings/:id/share', schema: body, auth: 'session' },
];

export function meetingShareRoutes(deps: {
  meetings: MeetingsService;
  targets: Partial<Record<'slack' | 'teams', ShareTarget>>;
  logger?: Logger;
}): Router {
  const router = Router();

  router.get('/api/share-targets', async (req, res) => {
    const auth = requireUser(req, res);
    const connected: string[] = [];
    for (const [name, target] of Object.entries(deps.targets)) {
      if (target && (await target.connected(auth.ctx.tenantId))) connected.push(name);
    }
    res.json({ targets: connected });
  });

  router.post('/api/meetings/:id/share', async (req, res) => {
    const auth = requireUser(req, res);
    const { to } = parseInput(body, req.body);
    const meetingId = String(req.params.id);
    // Only someone who may read the meeting may share it.
    const meeting = await deps.meetings.get(auth.ctx, actorOf(auth), meetingId).catch((error) => {
      throw asHttp(error);
    });
    const target = deps.targets[to];
    if (!target || !(await target.connected(auth.ctx.tenantId))) {
      throw new HttpError(
        409,
        'not_connected',
        `Your organization has not connected ${to === 'slack' ? 'Slack' : 'Teams'} to Quorum.`,
      );
    }
    if (!meeting.summary) {
      throw new HttpError(409, 'no_summary', 'This meeting has no summary yet; share it later.');
    }
    const platform = to === 'slack' ? 'Slack' : 'Teams';
    let posted: boolean;
    try {
      posted = await target.share(auth.ctx.tenantId, meetingId, auth.user.email);
    } catch (error) {
      // The platform refused or could not be reached: say which, never its internals.
      deps.logger?.warn({ err: error, meetingId, to }, 'summary not shared');
      throw new HttpError(
        502,
        'share_failed',
        `${platform} did not take the summary just now. Try again in a moment; if it keeps ` +
          `failing, ask your administrator to check Quorum's ${platform} connection.`,
      );
    }
    if (!posted) {
      throw new HttpError(
        409,
        'no_recipient',
        to === 'slack'
          ? 'Quorum could not find where to post it: link your Slack account with /meet connect.'
          : 'Quorum knows no Teams chat for this meeting: add Quorum to the meeting or the chat it was booked from.',
      );
    }
    res.json({ shared: to });
  });
  return router;
}
