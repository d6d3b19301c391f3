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
// show by itself: a log cut or rewritten from some entry onward, head included, by someone who
// can write to the database. Anchors show that: the head signed with the certificate key, by
// every deletion certificate and by a daily checkpoint (audit-anchor.ts); `verifyAuditChain`
// checks the log against the latest one, and a full verification against all of them.
//
// The pieces: audit-entry.ts (an entry's content, checks, number and hash), audit-storage.ts
// (reads and writes by `_id`, the head), audit-verify.ts (the chain check), audit-anchor*.ts and
// audit-checkpoint*.ts (anchors); this file appends.
import { setTimeout as sleep } from 'node:timers/promises';
import { findByIds } from '../store/by-id.ts';
import type { Store } from '../store/store.ts';
import type { TenantContext } from '../store/tenant-context.ts';
import {
  AuditEntryModel,
  AuditHeadModel,
  HEAD_ID,
  auditEntryId,
  entryHash,
  normalize,
  toEntry,
  type AuditEntry,
  type AuditInput,
  type EntryContent,
  type StoredEntry,
} from './audit-entry.ts';
import { collectAnchors, type AnchorOptions } from './audit-anchor-sources.ts';
import { describeSource } from './audit-anchor.ts';
import {
  advance,
  currentHead,
  entryAt,
  insertInOrder,
  lastSeq,
  readHead,
} from './audit-storage.ts';
import { verifyChain, type AuditChainReport } from './audit-verify.ts';
import type { VerificationKeys } from './deletion-certificate.ts';
import { isDuplicateKeyError } from './duplicate-key.ts';

export {
  AuditEntryModel,
  AuditHeadModel,
  auditEntryId,
  entryHash,
  type AuditEntry,
  type AuditInput,
} from './audit-entry.ts';
export type { AuditChainReport, ChainProblem } from './audit-verify.ts';

const MAX_ATTEMPTS = 60;

export interface AuditLog {
  append(ctx: TenantContext, input: AuditInput): Promise<AuditEntry>;
  /**
   * Several entries, in this order, as consecutive numbers: one read of the head, one insert
   * of them all, one move of the head (a batch of purges audits each meeting this way).
   */
  appendMany(ctx: TenantContext, inputs: readonly AuditInput[]): Promise<AuditEntry[]>;
  /** Newest first; `before` pages back from a sequence number. */
  entries(ctx: TenantContext, options?: { limit?: number; before?: number }): Promise<AuditEntry[]>;
  /**
   * The chain checked, and against the latest anchor; `all` checks every anchor kept (a sweep
   * of the checkpoints and certificates: the operator command's), `given` adds the verifier's.
   */
  verifyAuditChain(ctx: TenantContext, options?: VerifyOptions): Promise<AuditChainReport>;
  /** The log's last entry, as stored (number 0 and the genesis hash for an empty log). */
  head(ctx: TenantContext): Promise<{ seq: number; hash: string }>;
}

export type VerifyOptions = Pick<AnchorOptions, 'all' | 'given'>;

export interface AuditLogOptions {
  store: Store;
  now?: () => Date;
  /** The certificate key's public half, to check anchors with; without it they are unchecked. */
  verificationKeys?: VerificationKeys;
}

/**
 * The audit log of every tenant. Its methods are own properties bound to it, so a caller may
 * pass `log.append` on by itself.
 */
class HashChainedAuditLog implements AuditLog {
  private readonly store: Store;
  private readonly now: () => Date;
  private readonly keys: VerificationKeys | undefined;
  private readonly queues = new Map<string, Promise<void>>();

  constructor(options: AuditLogOptions) {
    this.store = options.store;
    this.now = options.now ?? (() => new Date());
    this.keys = options.verificationKeys;
  }

  append = async (ctx: TenantContext, input: AuditInput): Promise<AuditEntry> => {
    const content = normalize(input);
    return this.inTurn(ctx, () => this.appendEntry(ctx, content));
  };

  appendMany = async (ctx: TenantContext, inputs: readonly AuditInput[]): Promise<AuditEntry[]> => {
    if (inputs.length === 0) return [];
    const contents = inputs.map(normalize);
    return this.inTurn(ctx, () => this.appendEntries(ctx, contents));
  };

  entries = async (
    ctx: TenantContext,
    { limit = 100, before }: { limit?: number; before?: number } = {},
  ): Promise<AuditEntry[]> => {
    const Log = await this.store.tenantModel(ctx, AuditEntryModel);
    const Head = await this.store.tenantModel(ctx, AuditHeadModel);
    const last = await lastSeq(Log, Head);
    const from = before === undefined ? last : Math.min(before - 1, last);
    const count = Math.min(Math.max(limit, 1), 1000);
    // Newest first, by number: each entry read by its `_id`.
    const ids: string[] = [];
    for (let seq = from; seq >= 1 && ids.length < count; seq--) ids.push(auditEntryId(seq));
    return (await findByIds(Log, ids)).map(toEntry);
  };

  verifyAuditChain = async (
    ctx: TenantContext,
    options: VerifyOptions = {},
  ): Promise<AuditChainReport> => {
    const Log = await this.store.tenantModel(ctx, AuditEntryModel);
    // Anchors, then the head, before the walk: each names an entry that was there already, and
    // entries appended meanwhile only ever extend the log past them.
    const anchors = await collectAnchors(this.store, ctx, { ...options, keys: this.keys });
    const head = await (await this.store.tenantModel(ctx, AuditHeadModel)).findById(HEAD_ID).lean();
    const report = await verifyChain(ctx.tenantId, Log, head, anchors.valid);
    const [invalid] = anchors.invalid;
    if (!report.intact || !invalid) return report;
    return {
      intact: false,
      checked: report.entries,
      firstBad: {
        seq: 0,
        problem: 'anchor-invalid',
        message:
          `the anchor in ${describeSource(invalid.source)} does not verify (${invalid.message}): ` +
          (invalid.unknownKey
            ? 'it was forged, or signed with a certificate key since replaced (give its public key too)'
            : 'it was forged or altered after it was made'),
      },
    };
  };

  head = async (ctx: TenantContext): Promise<{ seq: number; hash: string }> => {
    const Log = await this.store.tenantModel(ctx, AuditEntryModel);
    return currentHead(Log, await this.store.tenantModel(ctx, AuditHeadModel));
  };

  private async appendEntry(ctx: TenantContext, content: EntryContent): Promise<AuditEntry> {
    const Log = await this.store.tenantModel(ctx, AuditEntryModel);
    const Head = await this.store.tenantModel(ctx, AuditHeadModel);
    let stuckAt: number | undefined;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const head = await readHead(Log, Head);
      const seq = head.seq + 1;
      const unhashed = { _id: auditEntryId(seq), at: this.now(), ...content, prevHash: head.hash };
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
  private async appendEntries(
    ctx: TenantContext,
    contents: readonly EntryContent[],
  ): Promise<AuditEntry[]> {
    if (contents.length === 1) return [await this.appendEntry(ctx, contents[0]!)];
    const Log = await this.store.tenantModel(ctx, AuditEntryModel);
    const Head = await this.store.tenantModel(ctx, AuditHeadModel);
    const written: AuditEntry[] = [];
    for (let attempt = 1; written.length < contents.length; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new Error(
          `audit log of tenant ${ctx.tenantId} is too busy: no free sequence numbers after ` +
            `${MAX_ATTEMPTS} attempts`,
        );
      }
      const head = await readHead(Log, Head);
      const entries = this.chain(ctx, head, contents.slice(written.length));
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

  private chain(
    ctx: TenantContext,
    head: { seq: number; hash: string },
    contents: readonly EntryContent[],
  ): StoredEntry[] {
    const at = this.now();
    let prevHash = head.hash;
    return contents.map((content, i) => {
      const unhashed = { _id: auditEntryId(head.seq + 1 + i), at, ...content, prevHash };
      const entry: StoredEntry = { ...unhashed, hash: entryHash(ctx.tenantId, unhashed) };
      prevHash = entry.hash;
      return entry;
    });
  }

  /** Appends of one tenant take turns within this process; retries settle races with others. */
  private inTurn<T>(ctx: TenantContext, fn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(ctx.tenantId) ?? Promise.resolve();
    const run = previous.then(fn);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(ctx.tenantId, settled);
    void settled.then(() => {
      if (this.queues.get(ctx.tenantId) === settled) this.queues.delete(ctx.tenantId);
    });
    return run;
  }
}

export function createAuditLog(options: AuditLogOptions): AuditLog {
  return new HashChainedAuditLog(options);
}
