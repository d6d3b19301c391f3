// Agenda set-up: jobs live in the same database as the control data (collection `jobs`),
// so any number of worker nodes coordinate through Agenda's job locks.
import { Agenda } from 'agenda';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import { QuorumJobBackend } from './backend.ts';
import type { JobRegistry } from './registry.ts';

export interface JobEvents {
  onFinished?(job: string, outcome: 'success' | 'failure', seconds: number): void;
}

export interface JobRunner {
  readonly agenda: Agenda;
  /** Starts processing jobs (worker role). Web-only nodes may still enqueue without starting. */
  start(): Promise<void>;
  /** Stops taking jobs and waits for running ones to release their locks. */
  stop(): Promise<void>;
  readonly started: boolean;
  now(name: string, data?: Record<string, unknown>): Promise<void>;
  schedule(when: Date, name: string, data?: Record<string, unknown>): Promise<void>;
}

export interface JobRunnerOptions {
  store: Store;
  registry: JobRegistry;
  logger: Logger;
  events?: JobEvents;
  /** How often a worker looks for due jobs. */
  processEveryMs?: number;
  /** Name of this node, recorded on locked jobs. */
  workerName?: string;
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { store, registry, logger, events } = options;
  const db = store.control.db;
  if (!db) throw new Error('database connection is not open');
  const agenda = new Agenda({
    backend: new QuorumJobBackend(db, 'jobs'),
    processEvery: options.processEveryMs ?? 2000,
    ...(options.workerName ? { name: options.workerName } : {}),
  });
  let started = false;

  for (const definition of registry.list()) {
    agenda.define(
      definition.name,
      async (job) => {
        const begun = performance.now();
        const jobLogger = logger.child({ job: definition.name, jobId: String(job.attrs._id) });
        try {
          await definition.run((job.attrs.data ?? {}) as never, { store, logger: jobLogger });
          events?.onFinished?.(definition.name, 'success', (performance.now() - begun) / 1000);
        } catch (error) {
          jobLogger.error({ err: error }, 'job failed');
          events?.onFinished?.(definition.name, 'failure', (performance.now() - begun) / 1000);
          throw error;
        }
      },
      {
        ...(definition.concurrency ? { concurrency: definition.concurrency } : {}),
        ...(definition.lockLifetimeMs ? { lockLifetime: definition.lockLifetimeMs } : {}),
        removeOnComplete: definition.removeOnComplete ?? true,
      },
    );
  }
  agenda.on('error', (error) => logger.error({ err: error }, 'job scheduler error'));

  return {
    agenda,
    get started() {
      return started;
    },
    async start() {
      await agenda.start();
      for (const definition of registry.list()) {
        if (definition.every) await agenda.every(definition.every, definition.name);
        if (definition.runAtStart) await agenda.now(definition.name, {});
      }
      started = true;
    },
    async stop() {
      if (!started) return;
      started = false;
      // The store owns the database connection; Agenda must not close it.
      await agenda.stop(false);
    },
    async now(name, data = {}) {
      await agenda.now(name, data);
    },
    async schedule(when, name, data = {}) {
      await agenda.schedule(when, name, data);
    },
  };
}
