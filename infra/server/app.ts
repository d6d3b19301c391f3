// Builds the HTTP app: health, readiness, metrics, and the place every adapter mounts.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { pinoHttp } from 'pino-http';
import { redactString, type Logger } from '../../core/logger.ts';
import { UnreadableTitleError } from '../../core/privacy/sealed-titles.ts';
import type { Store } from '../../core/store/store.ts';
import type { JobRunner } from '../../core/jobs/runner.ts';
import { HttpError } from '../http/http-error.ts';
import { securityHeaders } from '../http/security-headers.ts';
import { sendNotFoundPage, wantsPage } from '../http/unconfigured-pages.ts';
import type { Metrics } from './metrics.ts';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  store: Store;
  /** The job runner when this node runs jobs; readiness then requires it to be started. */
  jobs?: JobRunner;
  /** Express "trust proxy": which proxies' X-Forwarded-For to believe (default loopback). */
  trustProxy?: string | number;
  /** `GET /metrics` answers only `Authorization: Bearer <this>`; without it, it is off. */
  metricsToken?: string;
}

/** Whether the request carries the metrics token (compared in constant time, by digest). */
function carriesToken(req: Request, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
  if (!given) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** Readiness: the database answers and, on worker nodes, jobs are running. */
export async function readiness(deps: AppDeps): Promise<string[]> {
  const reasons: string[] = [];
  try {
    await deps.store.ping();
  } catch (error) {
    reasons.push(`database unreachable: ${(error as Error).message}`);
  }
  if (deps.jobs && !deps.jobs.started) reasons.push('jobs not started');
  return reasons;
}

export function buildApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? 'loopback');
  app.use(securityHeaders());

  app.use((req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('x-request-id', id);
    const begun = performance.now();
    res.on('finish', () => {
      // Label by route pattern, never by raw path: ids in paths would explode the series.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      deps.metrics.observeRequest(
        route,
        req.method,
        res.statusCode,
        (performance.now() - begun) / 1000,
      );
    });
    next();
  });
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (_req, res) => String(res.getHeader('x-request-id')),
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
      quietReqLogger: true,
      // Log what identifies a request, never its credentials: no headers beyond the user
      // agent, and the URL with any secret-looking query values masked.
      serializers: {
        req: (req: {
          id: unknown;
          method: string;
          url: string;
          headers?: Record<string, unknown>;
          remoteAddress?: string;
        }) => ({
          id: req.id,
          method: req.method,
          url: redactString(req.url),
          userAgent: req.headers?.['user-agent'],
          remoteAddress: req.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const reasons = await readiness(deps);
    if (reasons.length === 0) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'unavailable', reasons });
  });

  // Metrics tell anyone who reads them how busy Quorum is and which routes fail, so they are
  // served only to a scraper that holds the token.
  app.get('/metrics', async (req, res) => {
    if (!deps.metricsToken) {
      res.status(404).json({
        error: 'metrics_off',
        message: 'Metrics are off. Set QUORUM_METRICS_TOKEN and scrape with that bearer token.',
      });
      return;
    }
    if (!carriesToken(req, deps.metricsToken)) {
      res.status(401).setHeader('www-authenticate', 'Bearer').json({
        error: 'unauthorized',
        message: 'Send Authorization: Bearer <QUORUM_METRICS_TOKEN>.',
      });
      return;
    }
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  return app;
}

/** Last handlers: unknown routes and errors, with a correlation id and never a stack trace. */
export function finishApp(app: express.Express, logger: Logger): void {
  app.use((req, res) => {
    if (req.method === 'GET' && wantsPage(req)) return sendNotFoundPage(req, res);
    res.status(404).json({ error: 'not_found', message: `No route for ${req.method} ${req.path}` });
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const requestId = String(res.locals.requestId ?? randomUUID());
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
      res.status(error.status).json({ error: error.code, message: error.message, requestId });
      return;
    }
    // A sealed title that cannot be opened: said so, never shown as its ciphertext.
    if (error instanceof UnreadableTitleError) {
      logger.error({ err: error, requestId }, 'request failed: a sealed title is unreadable');
      res.status(500).json({ error: 'content_unreadable', message: error.message, requestId });
      return;
    }
    // Errors raised by body parsers (malformed JSON, too large) carry a 4xx status.
    const status = (error as { status?: number }).status;
    if (status && status >= 400 && status < 500) {
      const tooLarge = status === 413;
      res.status(status).json({
        error: tooLarge ? 'too_large' : 'bad_request',
        message: tooLarge
          ? 'The request body is too large.'
          : 'The request body could not be read; send valid JSON.',
        requestId,
      });
      return;
    }
    logger.error({ err: error, requestId }, 'request failed');
    res.status(500).json({
      error: 'internal',
      message: 'Something went wrong on our side. Quote this id if you contact support.',
      requestId,
    });
  });
}
