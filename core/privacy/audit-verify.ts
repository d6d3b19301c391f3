// Verifying an audit log: the chain recomputed from the first entry, naming the first entry
// that was edited, removed or moved, and the head checked against the last entry.
import { SWEEP_COMMENT } from '../store/query-rule.ts';
import { GENESIS, entryHash, seqOf, type AuditHead, type StoredEntry } from './audit-entry.ts';
import type { LogModel } from './audit-storage.ts';

export type ChainProblem = 'missing' | 'reordered' | 'link-broken' | 'edited' | 'unexpected';

export type AuditChainReport =
  | { intact: true; entries: number; head: { seq: number; hash: string } | null }
  | {
      intact: false;
      /** Entries checked and found good before the first bad one. */
      checked: number;
      firstBad: { seq: number; problem: ChainProblem; message: string };
    };

/**
 * Walks the log in order against `head`, read before the walk: entries appended meanwhile then
 * only ever extend the log past it.
 */
export async function verifyChain(
  tenantId: string,
  Log: LogModel,
  head: AuditHead | null,
): Promise<AuditChainReport> {
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
      recomputed = entryHash(tenantId, entry);
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
}
