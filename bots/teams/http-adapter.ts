// The Teams SDK inside Quorum's one HTTP server: instead of its own listener, the SDK hands its
// messaging handler to this adapter (its IHttpServerAdapter seam), and Quorum's router calls
// it for POST /api/messages. The SDK keeps doing what it owns — validating the Bot Connector
// token, routing the activity, building the invoke response.
import express, { Router } from 'express';
import type { HttpMethod, HttpRouteHandler, IHttpServerAdapter } from '@microsoft/teams.apps';

export const MESSAGES_PATH = '/api/messages';

export class QuorumTeamsAdapter implements IHttpServerAdapter {
  readonly router = Router();
  #handler: HttpRouteHandler | undefined;

  constructor() {
    this.router.post(MESSAGES_PATH, express.json({ limit: '512kb' }), async (req, res, next) => {
      if (!this.#handler) {
        res.status(503).json({ error: 'unavailable', message: 'The Teams bot is starting.' });
        return;
      }
      try {
        const body: unknown = req.body;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          res.status(400).json({ error: 'bad_request', message: 'Send one activity as JSON.' });
          return;
        }
        const response = await this.#handler({
          body,
          headers: req.headers as Record<string, string | string[]>,
        });
        if (response.body === undefined) res.status(response.status).end();
        else res.status(response.status).json(response.body);
      } catch (error) {
        next(error);
      }
    });
  }

  registerRoute(method: HttpMethod, path: string, handler: HttpRouteHandler): void {
    // Only the messaging endpoint is served; the SDK's other routes (remote functions, tabs)
    // are not used by Quorum.
    if (method === 'POST' && path === MESSAGES_PATH) this.#handler = handler;
  }
}
