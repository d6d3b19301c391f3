// Storage migrations: data written by an earlier version moves to the current layout at start,
// once, and resumably.
//
// Each step is idempotent: it reads the old layout, writes the new one by exact `_id` (upserts,
// so writing twice changes nothing) and only then removes the old records. A run killed half-way
// leaves no record of being done, so the next start runs the step again and finishes it; nothing
// is lost, because old records go only after their new copies are written.
//
// Steps run before the server takes requests. A tenant created by this version has nothing in
// any old layout: it is recorded done for every current step when it is created
// (`recordStepsDoneForNewTenant`), so no later start reads its data to find nothing to move.
import { Schema } from 'mongoose';
import type { Logger } from '../logger.ts';
import { everyTenant } from '../meetings/tenants.ts';
import { upsertByIds } from './by-id.ts';
import { defineModel, type Store } from './store.ts';
import type { TenantContext } from './tenant-context.ts';

export interface MigrationStep {
  /** Unique and stable: a step's name is never reused or renamed once shipped. */
  readonly name: string;
  /** What the step moves, for the log line. */
  readonly description: string;
  /** Moves one tenant's data; returns how many records it moved. Must be idempotent. */
  runForTenant(store: Store, ctx: TenantContext): Promise<number>;
}

/**
 * One record per step and tenant once that step finished for it. Bounded by design: the number
 * of migration steps times the number of tenants, never the data a tenant keeps.
 */
interface MigrationRecord {
  _id: string;
  step: string;
  tenantId: string;
  moved: number;
  finishedAt: Date;
}

export const MigrationRecordModel = defineModel<MigrationRecord>(
  'MigrationRecord',
  new Schema<MigrationRecord>(
    {
      _id: { type: String, required: true },
      step: { type: String, required: true },
      tenantId: { type: String, required: true },
      moved: { type: Number, required: true },
      finishedAt: { type: Date, required: true },
    },
    { collection: 'migrations', versionKey: false },
  ),
);

/**
 * The names of the steps this version runs, per store, declared by the composition (which
 * knows the steps; the code that creates tenants does not, and importing them there would make
 * a cycle).
 */
const currentSteps = new WeakMap<Store, readonly string[]>();

/** Declares the steps this version runs, so tenants it creates are recorded done for them. */
export function declareMigrationSteps(store: Store, names: readonly string[]): void {
  currentSteps.set(store, [...names]);
}

/**
 * Records every current step done for a tenant this version just created: it holds nothing in
 * any old layout, and without the records the next start would run every step over all the
 * data the tenant gathered meanwhile (reading it whole to move nothing). Without declared steps
 * (a store opened without the composition) nothing is recorded and the steps run as before.
 */
export async function recordStepsDoneForNewTenant(store: Store, tenantId: string): Promise<void> {
  const names = currentSteps.get(store) ?? [];
  const finishedAt = new Date();
  await upsertByIds(
    store.controlModel(MigrationRecordModel),
    names.map((step) => ({ _id: `${step}:${tenantId}`, step, tenantId, moved: 0, finishedAt })),
  );
}

/** Runs every step not yet recorded done, for every tenant, in order. */
export async function runMigrations(
  store: Store,
  steps: readonly MigrationStep[],
  logger: Logger,
): Promise<void> {
  const Records = store.controlModel(MigrationRecordModel);
  for await (const ctx of everyTenant(store)) {
    for (const step of steps) {
      const id = `${step.name}:${ctx.tenantId}`;
      if (await Records.findById(id).lean()) continue;
      const started = performance.now();
      const moved = await step.runForTenant(store, ctx);
      await Records.replaceOne(
        { _id: id },
        { _id: id, step: step.name, tenantId: ctx.tenantId, moved, finishedAt: new Date() },
        { upsert: true },
      );
      if (moved > 0) {
        logger.info(
          {
            step: step.name,
            tenantId: ctx.tenantId,
            moved,
            ms: Math.round(performance.now() - started),
          },
          `storage migrated: ${step.description}`,
        );
      }
    }
  }
}
