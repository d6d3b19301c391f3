// The registry of job definitions: every background job Quorum runs is declared here, from
// one place, so every worker node defines the same set.
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';

export interface JobContext {
  store: Store;
  logger: Logger;
}

export interface JobDefinition<Data = Record<string, unknown>> {
  name: string;
  run(data: Data, ctx: JobContext): Promise<void>;
  /** How many of this job one node runs at once. */
  concurrency?: number;
  /** How long a node holds a job's lock before another node may take it over. */
  lockLifetimeMs?: number;
  /** Repeat on this interval (human-readable or cron), scheduled once across all nodes. */
  every?: string;
  /** Also run once when a worker starts (retention jobs catch up after downtime). */
  runAtStart?: boolean;
  /**
   * Delete a one-time job's record once it succeeds (the default), so per-item jobs and the
   * runs at start do not pile up in `jobs`. Recurring jobs keep their one record; failed jobs
   * stay, with their reason.
   */
  removeOnComplete?: boolean;
}

export class JobRegistry {
  readonly #definitions = new Map<string, JobDefinition<never>>();

  add<Data>(definition: JobDefinition<Data>): this {
    if (this.#definitions.has(definition.name)) {
      throw new Error(`job "${definition.name}" is defined twice`);
    }
    this.#definitions.set(definition.name, definition as JobDefinition<never>);
    return this;
  }

  addAll(definitions: ReadonlyArray<JobDefinition<never>>): this {
    for (const definition of definitions) this.add(definition);
    return this;
  }

  list(): JobDefinition<never>[] {
    return [...this.#definitions.values()];
  }
}
