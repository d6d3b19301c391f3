import { Schema } from 'mongoose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRegistry } from '../../../core/jobs/registry.ts';
import { createJobRunner, type JobRunner } from '../../../core/jobs/runner.ts';
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
