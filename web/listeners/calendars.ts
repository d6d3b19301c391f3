// A person's calendar connections: list them with their state, connect a CalDAV account,
// disconnect any of them. Secrets never leave the server.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { CalendarConnectionError } from '../../core/calendars/connections/connection-error.ts';
import type { CalendarConnections } from '../../core/calendars/connections/connections.ts';
import type { AuditRecorder } from '../../core/identity/audit-port.ts';
import { requireUser } from '../../infra/http/authenticate.ts';
import { HttpError, notFound } from '../../infra/http/http-error.ts';
import type { RouteSchema } from '../../infra/http/route-schema.ts';
import { parseInput } from '../../infra/http/validate.ts';

const caldavBody = z.object({
  serverUrl: z.string().trim().min(1).max(2000),
  username: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

export const calendarRouteSchemas: RouteSchema[] = [
  { method: 'POST', path: '/api/calendars/caldav', schema: caldavBody, auth: 'session' },
];

/**
 * The settings (core/config.ts) an administrator sets to offer a Google or Microsoft calendar;
 * the Calendars page names them when a provider is not set up, instead of hiding it.
 */
const OAUTH_SETTINGS: Record<string, string[]> = {
  google: ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'],
  microsoft: ['MICROSOFT_CLIENT_ID', 'MICROSOFT_CLIENT_SECRET', 'MICROSOFT_TENANT_ID (optional)'],
};

const clientMeta = (req: Request) => ({
  ip: req.ip ?? null,
  userAgent: req.get('user-agent') ?? null,
});

export function calendarRoutes(deps: {
  connections: CalendarConnections;
  audit: AuditRecorder;
}): Router {
  const router = Router();

  router.get('/api/calendars', async (req, res) => {
    const { ctx, user } = requireUser(req, res);
    const connections = await deps.connections.list(ctx, user._id);
    res.json({
      connections,
      // What "Connect" buttons to show; with no connection, the local calendar answers.
      available: [...deps.connections.oauthProviders, 'caldav'],
      fallback: connections.length === 0 ? 'local' : null,
      notConfigured: Object.entries(OAUTH_SETTINGS)
        .filter(([p]) => !(deps.connections.oauthProviders as string[]).includes(p))
        .map(([provider, settings]) => ({ provider, settings })),
    });
  });

  router.post('/api/calendars/caldav', async (req, res) => {
    const { ctx, user } = requireUser(req, res);
    const body = parseInput(caldavBody, req.body);
    let connection;
    try {
      connection = await deps.connections.connectCalDav(ctx, user, body);
    } catch (error) {
      if (error instanceof CalendarConnectionError) {
        throw new HttpError(400, error.problem, error.message);
      }
      throw error;
    }
    await deps.audit(ctx, {
      action: 'calendar.connected',
      actor: `user:${user._id}`,
      target: `calendar:${connection.id}`,
      ...clientMeta(req),
      details: { provider: 'caldav', server: new URL(connection.serverUrl!).origin },
    });
    res.status(201).json({ connection });
  });

  router.delete('/api/calendars/:id', async (req, res) => {
    const { ctx, user } = requireUser(req, res);
    const result = await deps.connections.disconnect(ctx, user._id, req.params.id!);
    if (!result) throw notFound('That calendar connection');
    await deps.audit(ctx, {
      action: 'calendar.disconnected',
      actor: `user:${user._id}`,
      target: `calendar:${req.params.id!}`,
      ...clientMeta(req),
      details: { provider: result.provider, revokedAtProvider: result.revokedAtProvider },
    });
    res.json({ disconnected: true, ...result });
  });

  return router;
}
