// The `jobs` collection stays bounded: one-time jobs that succeeded are removed (whether run
// now, at a set time, or once at start), recurring jobs keep their single record, and a job
// that failed stays, with its reason.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRegistry } from '../../../core/jobs/registry.ts';
import { createJobRunner, type JobRunner } from '../../../core/jobs/runner.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';

let store: Store;
let runner: JobRunner;
const ran = new Map<string, number>();
const count = (name: string) => ran.set(name, (ran.get(name) ?? 0) + 1);

async function waitFor(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  // A control database of its own: the jobs collection holds only this file's jobs.
  store = await openStore({ uri: mongoUri(), controlDbName: `qc_${testTenantId()}` });
  const registry = new JobRegistry()
    .add({
      name: 'test.per-item',
      async run() {
        count('test.per-item');
      },
    })
    .add({
      name: 'test.recurring',
      every: '1 hour',
      runAtStart: true,
      async run() {
        count('test.recurring');
      },
    })
    .add({
      name: 'test.failing',
      async run() {
        count('test.failing');
        throw new Error('the remote service said no');
      },
    });
  runner = createJobRunner({
    store,
    registry,
    logger: pino({ level: 'silent' }),
    processEveryMs: 100,
  });
});
afterAll(async () => {
  await runner?.stop();
  await store?.close();
});

describe('the jobs collection', () => {
  it('holds no one-time job once it succeeded, only recurring jobs and failures', async () => {
    await runner.start();
    for (let item = 0; item < 15; item++) await runner.now('test.per-item', { item });
    for (let item = 15; item < 20; item++) {
      await runner.schedule(new Date(Date.now() + 300), 'test.per-item', { item });
    }
    await runner.now('test.failing', {});
    const jobs = store.control.db!.collection('jobs');

    await waitFor(
      'every job to have run',
      async () =>
        ran.get('test.per-item') === 20 &&
        (ran.get('test.recurring') ?? 0) >= 1 &&
        ran.get('test.failing') === 1,
    );
    await waitFor(
      'the finished one-time jobs to be removed',
      async () =>
        (await jobs.countDocuments({ name: 'test.per-item' })) === 0 &&
        (await jobs.countDocuments({ name: 'test.recurring', type: { $ne: 'single' } })) === 0,
    );
    const left = await jobs.find({}, { sort: { name: 1 } }).toArray();
    expect(
      left.map((job) => ({
        name: job.name,
        repeats: job.repeatInterval ?? null,
        failed: job.failReason ?? null,
      })),
    ).toEqual([
      { name: 'test.failing', repeats: null, failed: 'the remote service said no' },
      { name: 'test.recurring', repeats: '1 hour', failed: null },
    ]);
  });
});
