// Records every command a running Quorum sends to its database, route by route, and checks each
// against the storage rule (core/store/query-rule.ts): a filter on a collection that is not
// bounded by design must be exactly `{_id: <string or ObjectId>}`, unless the command says it is
// a sweep (a `comment` starting with SWEEP_COMMENT).
//
// The commands come from the MongoDB driver's command monitoring (`commandStarted` events on
// the MongoClient behind Quorum's mongoose connection; Quorum must be started with
// `monitorCommands: true`). Nothing here counts time: a command breaks the rule by its shape.
//
// Reports show a filter's shape, never its values (each value is replaced by its type), so no
// secret and no meeting content reaches the test output.
import type { CommandStartedEvent, MongoClient } from 'mongodb';
import {
  BOUNDED_COLLECTIONS,
  SWEEP_COMMENT,
  isExactIdFilter,
} from '../../core/store/query-rule.ts';

/** One filter a command applies to a collection's documents. */
export interface AppliedFilter {
  collection: string;
  /** The command's name (`find`, `update`, `aggregate`…). */
  op: string;
  filter: unknown;
}

type Command = Record<string, unknown>;

const statementFilters = (statements: unknown): unknown[] =>
  Array.isArray(statements) ? statements.map((s) => (s as { q?: unknown }).q) : [];

/**
 * The filters a command applies to stored documents: a find's, count's, distinct's and
 * findAndModify's filter, the `q` of each update and delete statement, and an aggregate's
 * leading `$match` (a pipeline that does not start with one reads every document: `{}`).
 * Commands that select no stored documents (insert, getMore, index and admin commands) apply
 * none.
 */
export function filtersOf(command: Command): AppliedFilter[] {
  const op = Object.keys(command)[0];
  if (!op) return [];
  const collection = command[op];
  if (typeof collection !== 'string') return [];
  const applied = (filters: unknown[]) =>
    filters.map((filter) => ({ collection, op, filter: filter ?? {} }));
  switch (op.toLowerCase()) {
    case 'find':
      return applied([command.filter]);
    case 'count':
    case 'distinct':
    case 'findandmodify':
      return applied([command.query]);
    case 'update':
      return applied(statementFilters(command.updates));
    case 'delete':
      return applied(statementFilters(command.deletes));
    case 'aggregate': {
      const first = (command.pipeline as Command[] | undefined)?.[0];
      return applied([first && '$match' in first ? first.$match : {}]);
    }
    default:
      return [];
  }
}

/** Whether a command says it is a periodic sweep over a whole collection. */
export function isSweep(command: Command): boolean {
  return typeof command.comment === 'string' && command.comment.startsWith(SWEEP_COMMENT);
}

/** The filters of `command` that break the storage rule. */
export function ruleBreaches(command: Command): AppliedFilter[] {
  if (isSweep(command)) return [];
  return filtersOf(command).filter(
    (f) => !(f.collection in BOUNDED_COLLECTIONS) && !isExactIdFilter(f.filter),
  );
}

/** A value with every leaf replaced by its type; arrays by the distinct shapes of their items. */
export function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (value instanceof Date) return 'Date';
  if (value instanceof RegExp) return 'RegExp';
  if (Array.isArray(value)) {
    const shapes = new Map(value.map((item) => [JSON.stringify(shapeOf(item)), shapeOf(item)]));
    return [...shapes.keys()].sort().map((key) => shapes.get(key));
  }
  if (typeof value === 'object') {
    const bsonType = (value as { _bsontype?: unknown })._bsontype;
    if (typeof bsonType === 'string') return bsonType;
    const entries = Object.entries(value as Record<string, unknown>);
    return Object.fromEntries(
      entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, shapeOf(v)]),
    );
  }
  return typeof value;
}

export interface Breach {
  route: string;
  /** `control`, `tenant` or the database's own name. */
  db: string;
  collection: string;
  op: string;
  /** The filter with values replaced by their types, as JSON. */
  shape: string;
}

export interface CommandRecorder {
  /**
   * Runs `work` with every command sent meanwhile attributed to `route`. `work` must wait
   * until everything the route set off has finished, so that nothing spills into the next route.
   */
  during<T>(route: string, work: () => Promise<T>): Promise<T>;
  /** How many commands were recorded for `route` (zero means monitoring is not on). */
  commandsOf(route: string): number;
  breachesOf(route: string): Breach[];
  /** What to fix for `route`, one line per kind of breach with its count; '' when none. */
  report(route: string): string;
  stop(): void;
}

export interface RecorderOptions {
  /** Quorum's control database, shown as `control`; tenant databases are shown as `tenant`. */
  controlDb: string;
  /** Commands with this comment are the test's own reads and are not recorded. */
  probeComment: string;
}

function dbLabel(name: string, controlDb: string): string {
  if (name === controlDb) return 'control';
  return name.startsWith('quorum_t_') ? 'tenant' : name;
}

/** Counts identical breaches: `3× tenant.meetings find {"organizerId":"string"}`. */
export function formatBreaches(route: string, breaches: Breach[]): string {
  if (breaches.length === 0) return '';
  const counts = new Map<string, number>();
  for (const b of breaches) {
    const line = `${b.db}.${b.collection} ${b.op} ${b.shape}`;
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  const lines = [...counts]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([line, n]) => `  ${n}× ${line}`);
  return [
    `${route}: ${breaches.length} filter(s) on collections not bounded by design that are not an exact _id match and carry no "${SWEEP_COMMENT}" comment (core/store/query-rule.ts):`,
    ...lines,
  ].join('\n');
}

export function recordCommands(client: MongoClient, options: RecorderOptions): CommandRecorder {
  let route: string | undefined;
  const counts = new Map<string, number>();
  const breaches = new Map<string, Breach[]>();

  const listener = (event: CommandStartedEvent) => {
    if (route === undefined) return;
    const command = event.command as Command;
    if (command.comment === options.probeComment) return;
    counts.set(route, (counts.get(route) ?? 0) + 1);
    const db = dbLabel(event.databaseName, options.controlDb);
    for (const f of ruleBreaches(command)) {
      const found = breaches.get(route) ?? [];
      found.push({
        route,
        db,
        collection: f.collection,
        op: f.op,
        shape: JSON.stringify(shapeOf(f.filter)),
      });
      breaches.set(route, found);
    }
  };
  client.on('commandStarted', listener);

  return {
    async during(name, work) {
      if (route !== undefined) throw new Error(`"${name}" started while "${route}" runs`);
      route = name;
      try {
        return await work();
      } finally {
        route = undefined;
      }
    },
    commandsOf: (name) => counts.get(name) ?? 0,
    breachesOf: (name) => breaches.get(name) ?? [],
    report: (name) => formatBreaches(name, breaches.get(name) ?? []),
    stop() {
      client.off('commandStarted', listener);
    },
  };
}
