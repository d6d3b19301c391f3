// Each JSON route's input schema, listed beside its handler so a test can reach it without a
// copy: tests/integration/http/generated-input.test.ts generates bad input for every entry.
import type { z } from 'zod';

/** What a caller must hold before the route reads its input. */
export type RouteAuth =
  | 'public'
  | 'session'
  | 'admin'
  /** A session, or an API key with the route's permission. */
  | 'session-or-api-key'
  /** An Office SSO token checked by Microsoft's keys (Outlook). */
  | 'office-sso'
  /** A signed x-zoom-app-context header (the Zoom panel). */
  | 'zoom-app';

export interface RouteSchema {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The route as mounted, `:param`s included. */
  path: string;
  /** Where the schema reads: the JSON body (the default) or the query string. */
  in?: 'body' | 'query';
  schema: z.ZodType;
  auth: RouteAuth;
}
