// The audit log: append-only and hash-chained per tenant (tenant database, `audit_log`).
//
// Entry n is stored under `_id` n written with 12 digits ("000000000042") and holds
// `prevHash`, the hash of entry n-1; its own `hash` is SHA-256 over the RFC 8785 canonical JSON
// of its content, its number n, prevHash and tenant included. `verifyAuditChain` recomputes the
// chain and names the first entry that was edited, removed or moved.
//
// Why a string `_id`: the embedded FerretDB serves from an index only a filter that is exactly
// `{_id: <string or ObjectId>}`, so every read and write here is one of those: the number of an
// entry is its address. (Entries written before were numbered with a number `_id`; the hash
// covers the number, not the `_id`, so the migration that renames them keeps the chain.)
//
// Appending: a one-document collection (`audit_head`) records the last entry's number and
// hash, so an append reads one small document instead of searching the log for its end. The
// head is only a hint; the `_id` uniqueness is what keeps concurrent appenders from forking the
// chain: two writers that read the same head race for the same `_id`, one wins, the other
// retries. A writer that finds the head left behind (its writer crashed before moving it) moves
// it on. Listing pages back from the head, entry by entry. Many entries at once are chained in
// memory and inserted in order with one command: what a racing writer took stops the insert
// there, the entries before it stand (each links to the one before), the rest is appended again.
// (One insert of many documents is one transaction on the embedded database, about 0.03 ms a
// document; each single append costs four statements of about a millisecond each.)
//
// The head also lets `verifyAuditChain` notice entries cut off the end. What no hash chain can
// show: a log rewritten from some entry onward, head included, by someone who can write to the
// database. Keeping the head hash it reports somewhere else detects that too.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import canonicalize from 'canonicalize';
import { Schema, type Model } from 'mongoose';
import { z } from 'zod';
import { findByIds } from '../store/by-id.ts';
import { SWEEP_COMMENT } from '../store/query-rule.ts';
import { defineModel, type Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import { AUDIT_ACTIONS, isAuditAction, type AuditAction } from './audit-actions.ts';
import { isDuplicateKeyError } from './duplicate-key.ts';

const GENESIS = '0'.repeat(64);
const MAX_ATTEMPTS = 60;
const USER_AGENT_MAX = 512;

export interface AuditInput {
  action: AuditAction;
  /** Who acted: `user:<id>`, `api-key:<id>`, `system`, `operator:cli`… */
  actor: string;
  /** What it acted on: `meeting:<id>`, `booking:<id>`, `api-key:<id>`… */
  target?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** JSON details; some actions require some (see audit-actions.ts). Never secrets. */
  details?: Record<string, unknown>;
}

export interface AuditEntry {
  seq: number;
  at: Date;
  action: AuditAction;
  actor: string;
  target: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

interface StoredEntry extends Omit<AuditEntry, 'seq'> {
  /** The entry's number, 12 digits (a number in logs written before the migration). */
  _id: string;
}

const ID_DIGITS = 12;
const ID_PATTERN = /^\d{12}$/;

/** The `_id` of entry `seq`. */
export function auditEntryId(seq: number): string {
  return String(seq).padStart(ID_DIGITS, '0');
}

/** The number of a stored entry, or undefined if its `_id` is not one the log writes. */
function seqOf(id: unknown): number | undefined {
  if (typeof id === 'number') return Number.isInteger(id) && id > 0 ? id : undefined;
  return typeof id === 'string' && ID_PATTERN.test(id) ? Number(id) : undefined;
}

export const AuditEntryModel = defineModel<StoredEntry>(
  'AuditEntry',
  new Schema<StoredEntry>(
    {
      _id: { type: String, required: true },
      at: { type: Date, required: true },
      action: { type: String, required: true },
      actor: { type: String, required: true },
      target: { type: String, default: null },
      ip: { type: String, default: null },
      userAgent: { type: String, default: null },
      // Mixed, and no minimizing: the stored details must read back exactly as hashed.
      details: { type: Schema.Types.Mixed, default: {} },
      prevHash: { type: String, required: true },
      hash: { type: String, required: true },
    },
    { collection: 'audit_log', versionKey: false, minimize: false },
  ),
);

interface AuditHead {
  _id: string;
  seq: number;
  hash: string;
}

const HEAD_ID = 'head';

export const AuditHeadModel = defineModel<AuditHead>(
  'AuditHead',
  new Schema<AuditHead>(
    {
      _id: { type: String, required: true },
      seq: { type: Number, required: true },
      hash: { type: String, required: true },
    },
    { collection: 'audit_head', versionKey: false },
  ),
);

export type ChainProblem = 'missing' | 'reordered' | 'link-broken' | 'edited' | 'unexpected';

export type AuditChainReport =
  | { intact: true; entries: number; head: { seq: number; hash: string } | null }
  | {
      intact: false;
      /** Entries checked and found good before the first bad one. */
      checked: number;
      firstBad: { seq: number; problem: ChainProblem; message: string };
    };

export interface AuditLog {
  append(ctx: TenantContext, input: AuditInput): Promise<AuditEntry>;
  /**
   * Several entries, in this order, as consecutive numbers: one read of the head, one insert
   * of them all, one move of the head (a batch of purges audits each meeting this way).
   */
  appendMany(ctx: TenantContext, inputs: readonly AuditInput[]): Promise<AuditEntry[]>;
  /** Newest first; `before` pages back from a sequence number. */
  entries(ctx: TenantContext, options?: { limit?: number; before?: number }): Promise<AuditEntry[]>;
  verifyAuditChain(ctx: TenantContext): Promise<AuditChainReport>;
}

const shortText = (max: number) => z.string().min(1).max(max);

const inputSchema = z.object({
  action: z.string().refine(isAuditAction, 'is not an audit action (see AUDIT_ACTIONS)'),
  actor: shortText(200),
  target: shortText(200).nullish(),
  ip: shortText(64).nullish(),
  userAgent: z.string().nullish(),
  details: z.record(z.string(), z.json()).optional(),
});

function badKey(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = badKey(item, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.startsWith('$') || key.includes('.')) return `${path}.${key}`;
      const found = badKey(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

type EntryContent = Omit<StoredEntry, '_id' | 'at' | 'prevHash' | 'hash'>;

function normalize(input: AuditInput): EntryContent {
  let details: unknown;
  try {
    // Through JSON once, so what is hashed is exactly what the database stores and returns.
    details = JSON.parse(JSON.stringify(input.details ?? {}));
  } catch (error) {
    throw new Error(`invalid audit entry: details are not JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const parsed = inputSchema.safeParse({ ...input, details });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`invalid audit entry: ${issue.path.join('.') || 'entry'} ${issue.message}`);
  }
  const action = parsed.data.action as AuditAction;
  const required = AUDIT_ACTIONS[action].safeParse(details);
  if (!required.success) {
    const issue = required.error.issues[0]!;
    throw new Error(
      `invalid audit entry: ${action} needs details.${issue.path.join('.')} (${issue.message})`,
    );
  }
  const reserved = badKey(details, 'details');
  if (reserved) {
    throw new Error(`invalid audit entry: key ${reserved} may not start with "$" or contain "."`);
  }
  return {
    action,
    actor: parsed.data.actor,
    target: parsed.data.target ?? null,
    ip: parsed.data.ip ?? null,
    // A client controls its user agent: keep a bounded prefix rather than refuse the entry.
    userAgent: parsed.data.userAgent ? parsed.data.userAgent.slice(0, USER_AGENT_MAX) : null,
    details: details as Record<string, unknown>,
  };
}

/**
 * SHA-256 (hex) over the canonical JSON of everything an entry says, except its own hash. The
 * number is hashed as a number, whichever form its `_id` has.
 */
export function entryHash(
  tenantId: string,
  entry: Omit<StoredEntry, 'hash' | '_id'> & { _id: string | number },
): string {
  const content = canonicalize({
    v: 1,
    tenantId,
    seq: typeof entry._id === 'number' ? entry._id : Number(entry._id),
    at: entry.at instanceof Date ? entry.at.toISOString() : entry.at,
    action: entry.action,
    actor: entry.actor,
    target: entry.target,
    ip: entry.ip,
    userAgent: entry.userAgent,
    details: entry.details,
    prevHash: entry.prevHash,
  });
  return createHash('sha256').update(content!).digest('hex');
}

function toEntry(stored: StoredEntry): AuditEntry {
  const { _id, ...rest } = stored;
  return { seq: Number(_id), ...rest };
}

type LogModel = Model<StoredEntry>;
type HeadModel = Model<AuditHead>;

const entryAt = (Log: LogModel, seq: number) => Log.findById(auditEntryId(seq), { hash: 1 }).lean();

/**
 * The last entry of a log whose head record is missing (a new log, or a lost head), found by
 * exact-_id probes: doubling until an entry is missing, then halving. The head is a hint: if
 * entries were removed from the middle, appends find the true end through the retry below.
 */
async function findLogEnd(Log: LogModel): Promise<{ seq: number; hash: string }> {
  if (!(await entryAt(Log, 1))) return { seq: 0, hash: GENESIS };
  let present = 1;
  let absent = 2;
  while (await entryAt(Log, absent)) [present, absent] = [absent, absent * 2];
  while (absent - present > 1) {
    const mid = Math.floor((present + absent) / 2);
    if (await entryAt(Log, mid)) present = mid;
    else absent = mid;
  }
  return { seq: present, hash: (await entryAt(Log, present))!.hash };
}

/** The number of the last entry: the head's, moved past entries written after it. */
async function lastSeq(Log: LogModel, Head: HeadModel): Promise<number> {
  const head = await Head.findById(HEAD_ID).lean();
  let seq = head ? head.seq : (await findLogEnd(Log)).seq;
  while (await entryAt(Log, seq + 1)) seq += 1;
  return seq;
}

async function readHead(Log: LogModel, Head: HeadModel): Promise<{ seq: number; hash: string }> {
  const head = await Head.findById(HEAD_ID).lean();
  if (head) return head;
  const start = await findLogEnd(Log);
  try {
    await Head.create({ _id: HEAD_ID, ...start });
    return start;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return (await Head.findById(HEAD_ID).lean()) ?? start;
  }
}

/**
 * Moves the head from entry `from` to `to`; nothing if it is elsewhere already. Read, checked
 * and written by `_id`: appends of a tenant take turns in this process, and a head another
 * process moved back is only a hint left behind, moved on by the next append's retry.
 */
async function advance(Head: HeadModel, from: number, to: { seq: number; hash: string }) {
  const head = await Head.findById(HEAD_ID).lean();
  if (head && head.seq !== from) return;
  await Head.replaceOne({ _id: HEAD_ID }, { seq: to.seq, hash: to.hash }, { upsert: true });
}

/**
 * Inserts entries in order and resolves to how many went in: all of them, or those before the
 * first whose number was taken (an ordered insert stops at its first refused document). Which
 * went in is read back by number and hash, whatever shape the driver gives the refusal.
 */
async function insertInOrder(Log: LogModel, entries: StoredEntry[]): Promise<number> {
  try {
    await Log.insertMany(entries, { ordered: true });
    return entries.length;
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    const refusals = [error, ...(Array.isArray(writeErrors) ? writeErrors : [writeErrors])];
    const duplicate = refusals.some(
      (e) => isDuplicateKeyError(e) || isDuplicateKeyError((e as { err?: unknown } | null)?.err),
    );
    if (!duplicate) throw error;
    let inserted = 0;
    for (const entry of entries) {
      const stored = await Log.findById(entry._id, { hash: 1 }).lean();
      if (stored?.hash !== entry.hash) break;
      inserted += 1;
    }
    return inserted;
  }
}

export function createAuditLog(options: { store: Store; now?: () => Date }): AuditLog {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const queues = new Map<string, Promise<void>>();

  async function appendEntry(ctx: TenantContext, content: EntryContent): Promise<AuditEntry> {
    const Log = await store.tenantModel(ctx, AuditEntryModel);
    const Head = await store.tenantModel(ctx, AuditHeadModel);
    let stuckAt: number | undefined;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const head = await readHead(Log, Head);
      const seq = head.seq + 1;
      const unhashed = { _id: auditEntryId(seq), at: now(), ...content, prevHash: head.hash };
      const entry: StoredEntry = { ...unhashed, hash: entryHash(ctx.tenantId, unhashed) };
      try {
        await Log.create(entry);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        if (stuckAt === head.seq) {
          // Twice the same head and its next entry exists: its writer did not move the head.
          const taken = await entryAt(Log, seq);
          if (taken) await advance(Head, head.seq, { seq, hash: taken.hash });
        }
        stuckAt = head.seq;
        await sleep(Math.random() * Math.min(2 * attempt, 20));
        continue;
      }
      await advance(Head, head.seq, { seq, hash: entry.hash });
      return toEntry(entry);
    }
    throw new Error(
      `audit log of tenant ${ctx.tenantId} is too busy: no free sequence number after ` +
        `${MAX_ATTEMPTS} attempts`,
    );
  }

  /**
   * Appends `contents` in order: chained from the head, inserted in order with one command.
   * A racing writer's entry refuses one of ours as a duplicate and stops the insert there: the
   * entries before it stand, the rest go again after the next head.
   */
  async function appendEntries(
    ctx: TenantContext,
    contents: readonly EntryContent[],
  ): Promise<AuditEntry[]> {
    if (contents.length === 1) return [await appendEntry(ctx, contents[0]!)];
    const Log = await store.tenantModel(ctx, AuditEntryModel);
    const Head = await store.tenantModel(ctx, AuditHeadModel);
    const written: AuditEntry[] = [];
    for (let attempt = 1; written.length < contents.length; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new Error(
          `audit log of tenant ${ctx.tenantId} is too busy: no free sequence numbers after ` +
            `${MAX_ATTEMPTS} attempts`,
        );
      }
      const head = await readHead(Log, Head);
      const entries = chain(ctx, head, contents.slice(written.length));
      const inserted = await insertInOrder(Log, entries);
      written.push(...entries.slice(0, inserted).map(toEntry));
      if (inserted > 0) {
        await advance(Head, head.seq, {
          seq: head.seq + inserted,
          hash: entries[inserted - 1]!.hash,
        });
        continue;
      }
      // Not even the first: another writer took the next number; as in appendEntry, a head its
      // writer left behind is moved on here.
      const taken = await entryAt(Log, head.seq + 1);
      if (taken) await advance(Head, head.seq, { seq: head.seq + 1, hash: taken.hash });
      await sleep(Math.random() * Math.min(2 * attempt, 20));
    }
    return written;
  }

  function chain(
    ctx: TenantContext,
    head: { seq: number; hash: string },
    contents: readonly EntryContent[],
  ): StoredEntry[] {
    const at = now();
    let prevHash = head.hash;
    return contents.map((content, i) => {
      const unhashed = { _id: auditEntryId(head.seq + 1 + i), at, ...content, prevHash };
      const entry: StoredEntry = { ...unhashed, hash: entryHash(ctx.tenantId, unhashed) };
      prevHash = entry.hash;
      return entry;
    });
  }

  /** Appends of one tenant take turns within this process; retries settle races with others. */
  function inTurn<T>(ctx: TenantContext, fn: () => Promise<T>): Promise<T> {
    const previous = queues.get(ctx.tenantId) ?? Promise.resolve();
    const run = previous.then(fn);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    queues.set(ctx.tenantId, settled);
    void settled.then(() => {
      if (queues.get(ctx.tenantId) === settled) queues.delete(ctx.tenantId);
    });
    return run;
  }

  return {
    async append(ctx, input) {
      const content = normalize(input);
      return inTurn(ctx, () => appendEntry(ctx, content));
    },

    async appendMany(ctx, inputs) {
      if (inputs.length === 0) return [];
      const contents = inputs.map(normalize);
      return inTurn(ctx, () => appendEntries(ctx, contents));
    },

    async entries(ctx, { limit = 100, before } = {}) {
      const Log = await store.tenantModel(ctx, AuditEntryModel);
      const Head = await store.tenantModel(ctx, AuditHeadModel);
      const last = await lastSeq(Log, Head);
      const from = before === undefined ? last : Math.min(before - 1, last);
      const count = Math.min(Math.max(limit, 1), 1000);
      // Newest first, by number: each entry read by its `_id`.
      const ids: string[] = [];
      for (let seq = from; seq >= 1 && ids.length < count; seq--) ids.push(auditEntryId(seq));
      return (await findByIds(Log, ids)).map(toEntry);
    },

    async verifyAuditChain(ctx) {
      const Log = await store.tenantModel(ctx, AuditEntryModel);
      // Read before the walk: entries appended meanwhile then only ever extend the log past it.
      const head = await (await store.tenantModel(ctx, AuditHeadModel)).findById(HEAD_ID).lean();
      let expected = 1;
      let prevHash = GENESIS;
      const broken = (seq: number, problem: ChainProblem, message: string): AuditChainReport => ({
        intact: false,
        checked: seq - 1,
        firstBad: { seq, problem, message },
      });
      // A verification reads every entry: one pass over the collection (an operator command
      // and the audit page's check, never an append), marked as such.
      const comment = `${SWEEP_COMMENT}:audit-verify`;
      for await (const stored of Log.collection.find({}, { comment }).sort({ _id: 1 })) {
        const entry = stored as unknown as StoredEntry;
        const seq = seqOf(entry._id);
        if (seq === undefined) {
          return broken(
            expected,
            'unexpected',
            `entry ${String(entry._id)} was not written by the audit log`,
          );
        }
        if (seq !== expected) {
          return broken(
            expected,
            'missing',
            `entry ${expected} is missing: it was removed (the next entry is ${seq})`,
          );
        }
        if (entry.prevHash !== prevHash) {
          const original = await Log.collection.findOne({ hash: entry.prevHash }, { comment });
          return original
            ? broken(
                expected,
                'reordered',
                `entry ${expected} is out of order: it was written right after the entry now ` +
                  `stored as ${seqOf(original._id) ?? String(original._id)}`,
              )
            : broken(
                expected,
                'link-broken',
                `entry ${expected} does not follow entry ${expected - 1}: entry ${expected - 1} ` +
                  `was rewritten, or entries before ${expected} were removed and renumbered`,
              );
        }
        let recomputed: string | undefined;
        try {
          recomputed = entryHash(ctx.tenantId, entry);
        } catch {
          recomputed = undefined;
        }
        if (recomputed !== entry.hash) {
          return broken(expected, 'edited', `entry ${expected} was edited after it was written`);
        }
        prevHash = entry.hash;
        expected += 1;
      }
      const last = expected - 1;
      if (head && head.seq > last) {
        return broken(
          last + 1,
          'missing',
          `entries ${last + 1} to ${head.seq} were removed from the end of the log`,
        );
      }
      if (head && head.seq === last && head.hash !== prevHash) {
        return broken(last, 'edited', `entry ${last} is not the entry that was written last`);
      }
      return {
        intact: true,
        entries: expected - 1,
        head: expected > 1 ? { seq: expected - 1, hash: prevHash } : null,
      };
    },
  };
}
