// Agenda set-up: jobs live in the same database as the control data (collection `jobs`),
// so any number of worker nodes coordinate through Agenda's job locks.
//
// Jobs whose loss a sweep repairs (see `resumedBySweep`, the meeting pipeline's per-meeting job)
// skip Agenda when the node that enqueues them runs them too: `now()` hands them to the started
// runner of this process, which runs them at once. Through Agenda each would cost a job record
// written, locked, updated and removed, every one of those a filter over the whole `jobs`
// collection on the embedded database (FerretDB serves only an exact `_id` from an index), so
// a backlog of thousands made each job slower than the last; and it waited for the next poll
// (every 2 s). A node that does not run jobs (web role) enqueues through Agenda as before, for
// the workers.
import { Agenda } from 'agenda';
import type { Db } from 'mongodb';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import { QuorumJobBackend } from './backend.ts';
import type { JobDefinition, JobRegistry } from './registry.ts';

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
  /** Jobs this runner took in process (see `resumedBySweep`) still waiting or running. */
  readonly inProcess: number;
  /** Resolves once no job taken in process waits or runs (what Agenda's records do not show). */
  idle(): Promise<void>;
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

const bySweep = new WeakSet<object>();

/**
 * Marks a job whose every run is also recorded elsewhere and found again by a sweep job if it
 * is lost (the meeting pipeline lists each meeting it owes work to, and its resume job
 * re-enqueues those left untouched): such a job may run in the process that enqueued it without
 * an Agenda record, since a crash before it finished costs only a delay until the sweep.
 */
export function resumedBySweep<D>(definition: JobDefinition<D>): JobDefinition<D> {
  bySweep.add(definition);
  return definition;
}

/** Runs sweep-resumed jobs in this process, each name at most its concurrency at a time. */
class LocalJobs {
  readonly #definitions = new Map<string, JobDefinition<never>>();
  readonly #run: (definition: JobDefinition<never>, data: Record<string, unknown>) => Promise<void>;
  readonly #waiting = new Map<string, Map<string, Record<string, unknown>>>();
  readonly #running = new Map<string, Set<Promise<void>>>();
  #open = true;

  constructor(
    definitions: readonly JobDefinition<never>[],
    run: (definition: JobDefinition<never>, data: Record<string, unknown>) => Promise<void>,
  ) {
    for (const definition of definitions) {
      if (bySweep.has(definition)) this.#definitions.set(definition.name, definition);
    }
    this.#run = run;
  }

  /** Takes the job if it is one of ours; the same job waiting already is not taken twice. */
  offer(name: string, data: Record<string, unknown>): boolean {
    if (!this.#open || !this.#definitions.has(name)) return false;
    const waiting = this.#waiting.get(name) ?? new Map<string, Record<string, unknown>>();
    this.#waiting.set(name, waiting);
    waiting.set(JSON.stringify(data), data);
    this.#pump(name);
    return true;
  }

  #pump(name: string): void {
    const definition = this.#definitions.get(name)!;
    const running = this.#running.get(name) ?? new Set<Promise<void>>();
    this.#running.set(name, running);
    const waiting = this.#waiting.get(name)!;
    while (this.#open && running.size < (definition.concurrency ?? 5) && waiting.size > 0) {
      const [key, data] = waiting.entries().next().value!;
      waiting.delete(key);
      const run: Promise<void> = this.#run(definition, data)
        .catch(() => undefined) // logged by #run; a lost run is the sweep's to find
        .finally(() => {
          running.delete(run);
          this.#pump(name);
        });
      running.add(run);
    }
  }

  get size(): number {
    let size = 0;
    for (const waiting of this.#waiting.values()) size += waiting.size;
    for (const running of this.#running.values()) size += running.size;
    return size;
  }

  async idle(): Promise<void> {
    while (this.size > 0) {
      await Promise.all([...this.#running.values()].flatMap((set) => [...set]));
    }
  }

  /** Takes nothing more; waiting jobs are dropped (the sweep finds them); running ones end. */
  async close(): Promise<void> {
    this.#open = false;
    this.#waiting.clear();
    await Promise.all([...this.#running.values()].flatMap((set) => [...set]));
  }
}

/** The started runner of each database in this process, for `now()` of any runner on it. */
const localByDb = new WeakMap<Db, LocalJobs>();

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
  let local: LocalJobs | undefined;

  async function run(definition: JobDefinition<never>, data: Record<string, unknown>, id: string) {
    const begun = performance.now();
    const jobLogger = logger.child({ job: definition.name, jobId: id });
    try {
      await definition.run(data as never, { store, logger: jobLogger });
      events?.onFinished?.(definition.name, 'success', (performance.now() - begun) / 1000);
    } catch (error) {
      jobLogger.error({ err: error }, 'job failed');
      events?.onFinished?.(definition.name, 'failure', (performance.now() - begun) / 1000);
      throw error;
    }
  }

  for (const definition of registry.list()) {
    agenda.define(
      definition.name,
      (job) => run(definition, job.attrs.data ?? {}, String(job.attrs._id)),
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
      local = new LocalJobs(registry.list(), (definition, data) => run(definition, data, 'local'));
      localByDb.set(db, local);
      for (const definition of registry.list()) {
        if (definition.every) await agenda.every(definition.every, definition.name);
        if (definition.runAtStart) await agenda.now(definition.name, {});
      }
      started = true;
    },
    async stop() {
      if (!started) return;
      started = false;
      if (localByDb.get(db) === local) localByDb.delete(db);
      await local?.close();
      // The store owns the database connection; Agenda must not close it.
      await agenda.stop(false);
    },
    async now(name, data = {}) {
      if (localByDb.get(db)?.offer(name, data)) return;
      await agenda.now(name, data);
    },
    async schedule(when, name, data = {}) {
      await agenda.schedule(when, name, data);
    },
    get inProcess() {
      return local?.size ?? 0;
    },
    async idle() {
      await local?.idle();
    },
  };
}
