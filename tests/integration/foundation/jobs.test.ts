import { Schema } from 'mongoose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRegistry } from '../../../core/jobs/registry.ts';
import { createJobRunner, resumedBySweep, type JobRunner } from '../../../core/jobs/runner.ts';
import { defineModel, openStore, type Store } from '../../../core/store/store.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';

interface Run {
  key: string;
  worker: string;
}
const Run = defineModel<Run>('JobTestRun', new Schema<Run>({ key: String, worker: String }));

const silent = pino({ level: 'silent' });
const stores: Store[] = [];
const runners: JobRunner[] = [];

async function worker(name: string): Promise<{ store: Store; runner: JobRunner }> {
  const store = await openStore({ uri: mongoUri() });
  const registry = new JobRegistry().add<{ key: string }>({
    name: 'test.record-run',
    async run(data, ctx) {
      // Slow enough that a second worker polling meanwhile would see the job if it were unlocked.
      await new Promise((r) => setTimeout(r, 300));
      await ctx.store.controlModel(Run).create({ key: data.key, worker: name });
    },
  });
  const runner = createJobRunner({
    store,
    registry,
    logger: silent,
    processEveryMs: 100,
    workerName: name,
  });
  stores.push(store);
  runners.push(runner);
  return { store, runner };
}

beforeAll(async () => {
  await Promise.all([worker('one'), worker('two')]);
});
afterAll(async () => {
  for (const r of runners) await r.stop();
  for (const s of stores) await s.close();
});

describe('jobs', () => {
  it('runs each job scheduled for now exactly once with two workers started', async () => {
    await Promise.all(runners.map((r) => r.start()));
    const keys = Array.from({ length: 8 }, () => testTenantId());
    // Enqueue from both workers, so both the scanning and the lock-on-enqueue paths compete.
    await Promise.all(keys.map((key, i) => runners[i % 2]!.now('test.record-run', { key })));

    const Runs = stores[0]!.controlModel(Run);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await Runs.countDocuments({ key: { $in: keys } })) < 8) {
      await new Promise((r) => setTimeout(r, 100));
    }
    // Give the workers many more polling rounds to (wrongly) run a job a second time.
    await new Promise((r) => setTimeout(r, 1500));
    const runs = await Runs.find({ key: { $in: keys } }).lean();
    expect(runs.map((r) => r.key).sort()).toEqual([...keys].sort());
  });
});

describe('jobs a sweep resumes', () => {
  it('run at once in the process that enqueues them, without a record, each once', async () => {
    const store = await openStore({ uri: mongoUri() });
    stores.push(store);
    const ran: string[] = [];
    let running = 0;
    let most = 0;
    const registry = new JobRegistry().add(
      resumedBySweep<{ key: string }>({
        name: 'test.swept',
        concurrency: 2,
        async run(data) {
          most = Math.max(most, ++running);
          await new Promise((r) => setTimeout(r, 50));
          ran.push(data.key);
          running -= 1;
        },
      }),
    );
    // A long poll: a job that waited for Agenda would not run within the test's wait.
    const runner = createJobRunner({ store, registry, logger: silent, processEveryMs: 60_000 });
    runners.push(runner);
    // Another runner on the same database that does not run jobs (as a web node's queue).
    const queue = createJobRunner({ store, registry: new JobRegistry(), logger: silent });
    await runner.start();
    const keys = Array.from({ length: 6 }, () => testTenantId());
    for (const key of keys) await queue.now('test.swept', { key });
    await queue.now('test.swept', { key: keys[0]! }); // waiting already: not taken twice
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && ran.length < keys.length) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect([...ran].sort()).toEqual([...keys].sort());
    expect(most).toBeLessThanOrEqual(2);
    const records = await store.control
      .db!.collection('jobs')
      .countDocuments({ name: 'test.swept' });
    expect(records).toBe(0);
    // Stopped, the runner takes nothing more: the job goes to Agenda for whichever worker runs.
    await runner.stop();
    await queue.now('test.swept', { key: 'after-stop' });
    expect(await store.control.db!.collection('jobs').countDocuments({ name: 'test.swept' })).toBe(
      1,
    );
  });
});
