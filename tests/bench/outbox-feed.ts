// The outbox feed's appends on the embedded database, as a tenant summarizing ~6 meetings a
// second lists them: 5,000 events published within one hour (167 ms apart by their listing
// time, ~360 a minute), each appended to the feed by `OutboxLists.published`. Prints one JSON
// line: ms per append over the first and the last 500 appends, and in all; and the median ms of
// a consumer's poll (`waiting`) of those lists afterwards.
//
//   npm run bench -- outbox-feed                                      # this code's lists
//   npm run bench -- outbox-feed --module=<path to outbox-feed.ts>    # another version's
//
// (To compare with the hour lists before the minute lists: `git show 22d5fbf:core/delivery/
// outbox-feed.ts > core/delivery/outbox-feed.old.ts` and pass that; it imports its helpers by
// relative paths, so it must sit beside this one.) Figures are printed, never asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStore } from '../../core/store/store.ts';
import { startEmbeddedDb } from '../../infra/local/embedded-db.ts';

const EVENTS = 5_000;
const APART_MS = 167;
const WINDOW = 500;

/** `--module=<path>`: another version of outbox-feed.ts to measure; this code's by default. */
export function outboxFeedModuleFromArgs(args: string[]): string {
  const option = args.find((arg) => arg.startsWith('--module='))?.slice('--module='.length);
  return path.resolve(option ?? 'core/delivery/outbox-feed.ts');
}

export async function benchOutboxFeed(
  modulePath = outboxFeedModuleFromArgs([]),
): Promise<Record<string, unknown>[]> {
  const feed = (await import(
    pathToFileURL(modulePath).href
  )) as typeof import('../../core/delivery/outbox-feed.ts');

  const dir = mkdtempSync(path.join(os.tmpdir(), 'quorum-bench-feed-'));
  const db = await startEmbeddedDb({ dataDir: dir });
  try {
    const store = await openStore({ uri: db.uri });
    const lists = new feed.OutboxLists(
      store.controlModel(feed.OutboxFeedModel),
      store.controlModel(feed.OutboxDoneModel),
      7 * 86_400_000,
    );
    const start = Date.UTC(2030, 0, 1, 10, 0);
    const times: number[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const begun = performance.now();
      await lists.published(`tbench:m${i}:meeting.summarized`, new Date(start + i * APART_MS));
      times.push(performance.now() - begun);
    }
    // A consumer's poll then (no cursor yet: every live hour), five times.
    const polls: number[] = [];
    for (let i = 0; i < 5; i++) {
      const begun = performance.now();
      await lists.waiting('bench', new Date(start + 2 * 3_600_000));
      polls.push(performance.now() - begun);
    }
    const mean = (series: number[]) =>
      Math.round((series.reduce((a, b) => a + b, 0) / series.length) * 100) / 100;
    await store.close();
    return [
      {
        bench: 'outbox-feed.append',
        module: path.relative(process.cwd(), modulePath),
        events: EVENTS,
        unit: 'ms per append',
        first500: mean(times.slice(0, WINDOW)),
        last500: mean(times.slice(-WINDOW)),
        all: mean(times),
        pollMedianMs: Math.round([...polls].sort((a, b) => a - b)[2]! * 100) / 100,
      },
    ];
  } finally {
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) {
  const figures = await benchOutboxFeed(outboxFeedModuleFromArgs(process.argv.slice(2)));
  for (const f of figures) process.stdout.write(`${JSON.stringify(f)}\n`);
}
