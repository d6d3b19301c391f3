// Bad input generated for every JSON route from its own schema (infra/server/route-schemas.ts): near-
// valid bodies and queries with fields mutated, broken JSON, real and bogus ids, every kind of
// caller. No answer may be a 5xx, and none may carry a stack trace.
//
// Replay a failure with its seed: QUORUM_FUZZ_SEED=<seed> npx vitest run <this file>.
// QUORUM_FUZZ_REQUESTS changes how many requests are sent (10,000 by default).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeSchemas } from '../../../infra/server/route-schemas.ts';
import { badRequests, describeRequest, type GeneratedRequest } from '../../support/bad-requests.ts';
import { startFakeZoom, ZOOM_WEBHOOK_SECRET, type FakeZoom } from '../../support/fake-zoom.ts';
import {
  prepareFuzzTarget,
  sendAll,
  STACK_TRACE,
  type FuzzTarget,
} from '../../support/fuzz-target.ts';
import { startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

const SEED = Number(process.env.QUORUM_FUZZ_SEED ?? 20_260_517);
const REQUESTS = Number(process.env.QUORUM_FUZZ_REQUESTS ?? 10_000);
const CONCURRENCY = 8;

fc.configureGlobal({ seed: SEED, numRuns: REQUESTS });

let zoom: FakeZoom;
let app: TestQuorum;
let target: FuzzTarget;

beforeAll(async () => {
  zoom = await startFakeZoom();
  app = await startTestQuorum({
    ZOOM_CLIENT_ID: zoom.clientId,
    ZOOM_CLIENT_SECRET: zoom.clientSecret,
    ZOOM_WEBHOOK_SECRET_TOKEN: ZOOM_WEBHOOK_SECRET,
    ZOOM_API_URL: zoom.apiUrl,
    ZOOM_OAUTH_URL: zoom.oauthUrl,
    // Only errors: 10,000 request lines would be most of the work.
    LOG_LEVEL: 'warn',
  });
  target = await prepareFuzzTarget(app.url, { zoomClientSecret: zoom.clientSecret });
});
afterAll(async () => {
  await app?.stop();
  await zoom?.stop();
});

describe('generated bad input', () => {
  it('covers every JSON route in the registry', () => {
    const routes = routeSchemas.map((r) => `${r.method} ${r.path}`);
    expect(new Set(routes).size, 'a route is registered twice').toBe(routes.length);
    for (const route of [
      'POST /api/scheduling/find',
      'POST /api/bookings',
      'POST /api/meetings',
      'POST /api/public/booking-pages/:slug/bookings',
      'POST /api/online-meetings',
      'PUT /api/me/settings',
    ]) {
      expect(routes).toContain(route);
    }
  });

  it(`answers ${REQUESTS} generated requests with no 5xx and no stack trace (seed ${SEED})`, async () => {
    const requests = fc.sample(badRequests(target.fixtures));
    expect(requests).toHaveLength(REQUESTS);
    const failures: string[] = [];
    const statuses = new Map<string, Map<number, number>>();
    const busy = new Map<string, number>();
    await sendAll(requests, target.send, CONCURRENCY, (request: GeneratedRequest, answer) => {
      if (answer instanceof Error) {
        failures.push(`no answer (${answer.message}): ${describeRequest(request)}`);
        return;
      }
      busy.set(request.route, (busy.get(request.route) ?? 0) + answer.ms);
      const counts = statuses.get(request.route) ?? new Map<number, number>();
      counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1);
      statuses.set(request.route, counts);
      if (answer.status >= 500) {
        failures.push(
          `${answer.status} ${answer.text.slice(0, 200)}\n    ${describeRequest(request)}`,
        );
      } else if (STACK_TRACE.test(answer.text)) {
        failures.push(`stack trace in ${answer.status}: ${describeRequest(request)}`);
      }
    });
    // What the routes answered, so a run that reached nothing deeper than 400 shows it.
    const summary = [...statuses]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([route, counts]) =>
          `${route}: ${[...counts]
            .sort(([a], [b]) => a - b)
            .map(([status, n]) => `${status}×${n}`)
            .join(' ')} (${Math.round((busy.get(route) ?? 0) / 1000)} s in all)`,
      );
    console.log(`generated input, seed ${SEED}:\n  ${summary.join('\n  ')}`);
    expect(
      failures.length,
      `${failures.length} of ${REQUESTS} requests failed (seed ${SEED}; replay with ` +
        `QUORUM_FUZZ_SEED=${SEED}):\n${failures.slice(0, 50).join('\n')}\n\nserver log:\n` +
        app
          .logs()
          .split('\n')
          .filter((line) => line.includes('"level":50'))
          .slice(0, 10)
          .join('\n'),
    ).toBe(0);
    // Most routes must have been reached past their input check at least once.
    const reachedHandlers = [...statuses.values()].filter((counts) =>
      [...counts.keys()].some((status) => status < 400 || status === 404 || status === 409),
    ).length;
    expect(reachedHandlers).toBeGreaterThan(routeSchemas.length / 2);
  }, 180_000);
});
