// Generated requests for every JSON route in infra/server/route-schemas.ts: near-valid input made from
// the route's own schema with fields mutated, real and bogus ids in the path, malformed bodies
// and queries, and each kind of caller. Used by the generated-input test and the stall and
// soak benchmarks.
import fc from 'fast-check';
import { z } from 'zod';
import { routeSchemas, type RouteSchema } from '../../infra/server/route-schemas.ts';
import {
  mutatedArbitrary,
  validArbitrary,
  type JsonSchema,
  type ValueHints,
} from './json-schema-arbitrary.ts';

/** What exists on the server under test, so generated requests can name real things too. */
export interface Fixtures extends ValueHints {
  ids: {
    booking: string;
    poll: string;
    meeting: string;
    /** A booking page's slug, and a guest's booking on it. */
    slug: string;
    guestBooking: string;
  };
  tokens: { poll: string; ics: string };
}

/** Who sends a request; the sender turns this into headers. */
export type Credential = 'admin' | 'member' | 'api-key' | 'none' | 'zoom' | 'bad-zoom';

export interface GeneratedRequest {
  /** The route as registered, e.g. "POST /api/bookings/:id/reschedule". */
  route: string;
  method: RouteSchema['method'];
  /** Path and query as sent. */
  url: string;
  credential: Credential;
  headers: Record<string, string>;
  body?: string;
}

const BOGUS_IDS = [
  '0',
  'x',
  '000000000000000000000000',
  'a'.repeat(3_000),
  '__proto__',
  'constructor',
  'toString',
  '%00',
  '%E0%A4%A',
  '%',
  '..%2F..%2Fetc%2Fpasswd',
  encodeURIComponent('😀'),
  encodeURIComponent('{"$gt":""}'),
  '%20',
  'null',
  'undefined',
  '-1',
  '1e400',
  'NaN',
  '0x10',
];

function realId(fixtures: Fixtures, path: string, param: string): string {
  if (param === 'index') return '0';
  if (param === 'slug') return fixtures.ids.slug;
  if (path.includes('/booking-pages/')) return fixtures.ids.guestBooking;
  if (path.includes('/bookings/')) return fixtures.ids.booking;
  if (path.includes('/polls/')) return fixtures.ids.poll;
  return fixtures.ids.meeting;
}

function pathArbitrary(route: RouteSchema, fixtures: Fixtures): fc.Arbitrary<string> {
  const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  if (params.length === 0) return fc.constant(route.path);
  return fc
    .tuple(
      ...params.map((param) =>
        fc.oneof(
          { weight: 3, arbitrary: fc.constant(realId(fixtures, route.path, param)) },
          { weight: 2, arbitrary: fc.constantFrom(...BOGUS_IDS) },
        ),
      ),
    )
    .map((values) => {
      let i = 0;
      return route.path.replace(/:(\w+)/g, () => values[i++]!);
    });
}

const CREDENTIALS: Record<RouteSchema['auth'], Array<[Credential, number]>> = {
  public: [
    ['none', 3],
    ['admin', 1],
  ],
  session: [
    ['admin', 6],
    ['member', 2],
    ['api-key', 1],
    ['none', 1],
  ],
  admin: [
    ['admin', 7],
    ['member', 2],
    ['none', 1],
  ],
  'session-or-api-key': [
    ['admin', 4],
    ['api-key', 4],
    ['member', 1],
    ['none', 1],
  ],
  'zoom-app': [
    ['zoom', 7],
    ['bad-zoom', 2],
    ['none', 1],
  ],
  'office-sso': [['none', 1]],
};

function credentialArbitrary(route: RouteSchema): fc.Arbitrary<Credential> {
  return fc.oneof(
    ...CREDENTIALS[route.auth].map(([credential, weight]) => ({
      weight,
      arbitrary: fc.constant(credential),
    })),
  );
}

/** Percent-encoded; a lone surrogate (which no URL can carry) becomes U+FFFD first. */
const encode = (text: string) => encodeURIComponent(text.toWellFormed());

/** A value as query parameters: arrays repeat the key, objects use brackets. */
function toQuery(value: unknown): string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return encode(JSON.stringify(value) ?? '');
  }
  const parts: string[] = [];
  const add = (key: string, v: unknown) => {
    if (Array.isArray(v)) for (const item of v) add(key, item);
    else if (v && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) add(`${key}[${k}]`, inner);
    } else parts.push(`${encode(key)}=${encode(String(v ?? ''))}`);
  };
  for (const [key, v] of Object.entries(value)) add(key, v);
  return parts.join('&');
}

const RAW_QUERY_TAILS = ['', '', '', '', '&%E0%A4%A', '&t=%', '&limit[$gt]=1', '&&&=', '&q'];

/** How the body travels: usually good JSON; sometimes broken JSON or odd headers. */
const bodyFraming = fc.constantFrom(
  'json',
  'json',
  'json',
  'json',
  'json',
  'json',
  'json',
  'json',
  'truncated',
  'trailing',
  'bom',
  'text-plain',
  'utf-7',
  'gzip-lie',
  'unknown-encoding',
);

function frame(value: unknown, framing: string): { body: string; headers: Record<string, string> } {
  const json = JSON.stringify(value) ?? 'null';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  switch (framing) {
    case 'truncated':
      return { body: json.slice(0, Math.max(1, json.length >> 1)), headers };
    case 'trailing':
      return { body: `${json}}garbage`, headers };
    case 'bom':
      return { body: `\ufeff${json}`, headers };
    case 'text-plain':
      return { body: json, headers: { 'content-type': 'text/plain' } };
    case 'utf-7':
      return { body: json, headers: { 'content-type': 'application/json; charset=utf-7' } };
    case 'gzip-lie':
      return { body: json, headers: { ...headers, 'content-encoding': 'gzip' } };
    case 'unknown-encoding':
      return { body: json, headers: { ...headers, 'content-encoding': 'x-unheard-of' } };
    default:
      return { body: json, headers };
  }
}

/** Requests for one route: its input mostly near-valid, sometimes fully valid. */
export function routeRequests(
  route: RouteSchema,
  fixtures: Fixtures,
): fc.Arbitrary<GeneratedRequest> {
  const schema = z.toJSONSchema(route.schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  const input = fc.oneof(
    { weight: 1, arbitrary: validArbitrary(schema, fixtures) },
    { weight: 3, arbitrary: mutatedArbitrary(schema, fixtures) },
  );
  // Guests' routes take their signed link as ?t=.
  const needsToken = route.path.startsWith('/api/public/polls/') && route.in !== 'query';
  const token = fc.oneof(
    { weight: 3, arbitrary: fc.constant(fixtures.tokens.poll) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', 'short', 'x'.repeat(2_001), `${'a'.repeat(40)}.b.c`),
    },
  );
  return fc
    .record({
      path: pathArbitrary(route, fixtures),
      credential: credentialArbitrary(route),
      input,
      framing: bodyFraming,
      tail: fc.constantFrom(...RAW_QUERY_TAILS),
      token,
      // Callers from many addresses (the server trusts X-Forwarded-For from loopback), so
      // per-address limits do not hide what lies behind them.
      ip: fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => `198.51.${a}.${b}`),
    })
    .map(({ path, credential, input, framing, tail, token, ip }) => {
      const name = `${route.method} ${route.path}`;
      if (route.in === 'query') {
        // Guests' signed links: the real token for the real id, most of the time.
        let value = input;
        if (
          route.path.includes('/bookings/:id/ics') &&
          value &&
          typeof value === 'object' &&
          !Array.isArray(value) &&
          typeof (value as { t?: unknown }).t === 'string'
        ) {
          value = { ...value, t: fixtures.tokens.ics };
        }
        // Node refuses request heads over 16 KiB (431) and drops the connection; keep URLs
        // under 8 KiB, as browsers and proxies do, cutting escapes in half on the way.
        const url = `${path}?${toQuery(value)}`.slice(0, 8_000);
        return {
          route: name,
          method: route.method,
          url: `${url}${tail}`,
          credential,
          headers: { 'x-forwarded-for': ip },
        };
      }
      const { body, headers } = frame(input, framing);
      const query = needsToken ? `?t=${encodeURIComponent(token)}` : '';
      return {
        route: name,
        method: route.method,
        url: `${path}${query}`,
        credential,
        headers: { ...headers, 'x-forwarded-for': ip },
        body,
      };
    });
}

/** Requests spread evenly over every registered JSON route. */
export function badRequests(
  fixtures: Fixtures,
  routes: RouteSchema[] = routeSchemas,
): fc.Arbitrary<GeneratedRequest> {
  return fc.oneof(...routes.map((route) => routeRequests(route, fixtures)));
}

/** A request as one line a person can replay. */
export function describeRequest(request: GeneratedRequest, limit = 600): string {
  const body = request.body === undefined ? '' : ` ${request.body}`;
  const text = `${request.method} ${request.url} [${request.credential}${
    request.headers['content-type'] ? `, ${request.headers['content-type']}` : ''
  }${request.headers['content-encoding'] ? `, ${request.headers['content-encoding']}` : ''}]${body}`;
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} chars)` : text;
}
