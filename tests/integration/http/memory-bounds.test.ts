// What the server keeps in memory does not grow with bad input. The real server in this process
// takes requests that once made it hold on to memory for good, and generated bad requests for
// every JSON route; what it holds is then read by size (deterministic) and, for the JS heap,
// after a full garbage collection, against bounds far from what a leak of these requests would
// leave. Resident memory over 20,000 requests is the soak benchmark's figure
// (`npm run bench -- soak`), not asserted here: it depends on the machine.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { IANAZone } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldTimeZones } from '../../../core/time-zones.ts';
import { badRequests } from '../../support/bad-requests.ts';
import { prepareFuzzTarget, sendAll, type FuzzTarget } from '../../support/fuzz-target.ts';
import { startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

let app: TestQuorum;
let target: FuzzTarget;

// A full collection on demand, without starting the test runner with --expose-gc.
v8.setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const MB = 1024 * 1024;
function heapAfterGc(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

beforeAll(async () => {
  app = await startTestQuorum({ LOG_LEVEL: 'warn' });
  target = await prepareFuzzTarget(app.url, { domain: 'memory.example' });
});
afterAll(async () => {
  await app?.stop();
});

const settings = (timeZone: string) => ({
  timeZone,
  workingHours: [{ days: ['mon', 'tue'], start: '09:00', end: '17:00' }],
  defaultLinkType: 'none',
});

/** The n-th spelling of a zone name, upper and lower case mixed by the bits of n. */
function spelling(name: string, n: number): string {
  return [...name]
    .map((c, i) => ((n >> (i % 16)) & 1 ? c.toUpperCase() : c.toLowerCase()))
    .join('');
}

describe('memory under bad input', () => {
  it('holds one zone for every spelling of its name (luxon kept a formatter per spelling)', async () => {
    const zone = 'America/Argentina/Buenos_Aires';
    const before = heldTimeZones();
    for (let n = 0; n < 150; n++) {
      const saved = await target.admin('PUT', '/api/me/settings', settings(spelling(zone, n)));
      expect(saved.status).toBe(200);
      // Reading "next week" in the person's zone: luxon is handed the spelling they saved.
      const parsed = await target.admin('POST', '/api/scheduling/parse', {
        text: '30m next week',
      });
      expect(parsed.status).toBe(200);
    }
    expect(heldTimeZones().zones - before.zones).toBeLessThanOrEqual(1);
    expect(IANAZone.create(spelling(zone, 1))).toBe(IANAZone.create(spelling(zone, 2)));
    expect(IANAZone.create(spelling(zone, 3)).isValid).toBe(true);
    // A name that is no zone is not kept by luxon either.
    expect(IANAZone.create('Mars/Olympus')).not.toBe(IANAZone.create('Mars/Olympus'));
  });

  it('refuses a time zone name longer than any zone without keeping it', async () => {
    const heapBefore = heapAfterGc();
    for (let n = 0; n < 40; n++) {
      const long = `Europe/${'x'.repeat(900_000)}${n}`;
      const saved = await target.admin('PUT', '/api/me/settings', settings(long));
      expect(saved.status).toBe(400);
      expect(JSON.stringify(saved.body)).toContain('timeZone');
    }
    expect(heldTimeZones().longestName).toBeLessThanOrEqual(64);
    // 40 names of 900 KB were 36 MB held for good.
    const grown = (heapAfterGc() - heapBefore) / MB;
    console.info(`heap after GC, 40 long zone names: ${grown.toFixed(1)} MB more`);
    expect(grown).toBeLessThan(12);
  });

  it('keeps what it caches within its bounds, and its heap, over generated bad requests', async () => {
    const send = async (count: number, seed: number) => {
      fc.configureGlobal({ seed, numRuns: count });
      let answered = 0;
      await sendAll(fc.sample(badRequests(target.fixtures)), target.send, 8, (_r, answer) => {
        if (!(answer instanceof Error)) answered += 1;
      });
      return answered;
    };
    // Warmed up: code compiled, pools opened, caches filled once.
    await send(300, 1);
    const heapBefore = heapAfterGc();
    expect(await send(1_500, 2)).toBe(1_500);
    const held = heldTimeZones();
    expect(held.zones).toBeLessThanOrEqual(1_000);
    expect(held.unknown).toBeLessThanOrEqual(10_000);
    expect(held.longestName).toBeLessThanOrEqual(64);
    // A leak of a few KB per request would be several MB here; the heap comes back within 1 MB
    // or so when nothing is kept.
    const grown = (heapAfterGc() - heapBefore) / MB;
    console.info(`heap after GC, 1,500 generated bad requests: ${grown.toFixed(1)} MB more`);
    expect(grown).toBeLessThan(12);
  });
});
