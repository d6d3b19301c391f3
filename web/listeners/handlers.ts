// The shape of this app's route handlers: one named function per route, given its
// dependencies explicitly; a listener's factory only registers them (`router.get(path, on(fn))`).
import type { Request, Response } from 'express';

/**
 * A request whose route parameters are single path segments (`:id`), never arrays: no route
 * of the web app uses a wildcard parameter.
 */
export type Req = Request<Record<string, string>>;
export type Handler<D> = (deps: D, req: Req, res: Response) => Promise<void> | void;

/** Adapts named handlers to Express, each closing over the same dependencies. */
export function withDeps<D>(deps: D) {
  return (handler: Handler<D>) => (req: Request, res: Response) => handler(deps, req as Req, res);
}
