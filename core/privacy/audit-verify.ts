// Verifying an audit log: the chain recomputed from the first entry, naming the first entry
// that was edited, removed or moved; the head checked against the last entry; and the log
// checked against its anchors (audit-anchor.ts): each anchored entry must be there with the
// anchored hash, so entries cut off the end after an anchor are found even when the head record
// was rewritten to match.
import { SWEEP_COMMENT } from '../store/query-rule.ts';
import { describeAnchor, type Anchor } from './audit-anchor.ts';
import { GENESIS, entryHash, seqOf, type AuditHead, type StoredEntry } from './audit-entry.ts';
import type { LogModel } from './audit-storage.ts';

export type ChainProblem =
  | 'missing'
  | 'reordered'
  | 'link-broken'
  | 'edited'
  | 'unexpected'
  /** The log ends before an entry an anchor names. */
  | 'truncated'
  /** The entry an anchor names is there, with another hash. */
  | 'rewritten'
  /** An anchor that does not verify (forged, altered, another tenant's or key's). */
  | 'anchor-invalid';

export type AuditChainReport =
  | {
      intact: true;
      entries: number;
      head: { seq: number; hash: string } | null;
      /** The newest anchor the log was checked against; null: no anchor yet. */
      anchor: Anchor | null;
      /** How many anchors were checked. */
      anchors: number;
    }
  | {
      intact: false;
      /** Entries checked and found good before the first bad one. */
      checked: number;
      firstBad: { seq: number; problem: ChainProblem; message: string };
    };

type Broken = Extract<AuditChainReport, { intact: false }>;

const broken = (seq: number, problem: ChainProblem, message: string): Broken => ({
  intact: false,
  checked: Math.max(seq - 1, 0),
  firstBad: { seq, problem, message },
});

/**
 * Walks the log in order against `head` and `anchors`, read before the walk: entries appended
 * meanwhile then only ever extend the log past them.
 */
export async function verifyChain(
  tenantId: string,
  Log: LogModel,
  head: AuditHead | null,
  anchors: readonly Anchor[] = [],
): Promise<AuditChainReport> {
  const anchored = new Map<number, Anchor[]>();
  for (const anchor of anchors) {
    if (anchor.seq > 0) anchored.set(anchor.seq, [...(anchored.get(anchor.seq) ?? []), anchor]);
  }
  const walked = await walk(tenantId, Log, anchored);
  if ('firstBad' in walked) return walked;
  const { last, lastHash } = walked;
  if (head && head.seq > last) {
    return broken(
      last + 1,
      'missing',
      `entries ${last + 1} to ${head.seq} were removed from the end of the log`,
    );
  }
  if (head && head.seq === last && head.hash !== lastHash) {
    return broken(last, 'edited', `entry ${last} is not the entry that was written last`);
  }
  const newest = anchors.reduce<Anchor | null>((a, b) => (a && a.seq >= b.seq ? a : b), null);
  if (newest && newest.seq > last) {
    return broken(
      last + 1,
      'truncated',
      `the audit log ends at entry ${last} but ${describeAnchor(newest)} names entry ` +
        `${newest.seq} with hash ${newest.hash}: entries were removed`,
    );
  }
  return {
    intact: true,
    entries: last,
    head: last > 0 ? { seq: last, hash: lastHash } : null,
    anchor: newest,
    anchors: anchors.length,
  };
}

/** The chain from entry 1: the first bad entry, or the last one and its hash. */
async function walk(
  tenantId: string,
  Log: LogModel,
  anchored: ReadonlyMap<number, Anchor[]>,
): Promise<Broken | { last: number; lastHash: string }> {
  let expected = 1;
  let prevHash = GENESIS;
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
    const differs = anchored.get(expected)?.find((anchor) => anchor.hash !== entry.hash);
    if (differs) {
      return broken(
        expected,
        'rewritten',
        `entry ${expected} is not the entry ${describeAnchor(differs)} names (hash ` +
          `${differs.hash}): the log was rewritten at or before entry ${expected}`,
      );
    }
    prevHash = entry.hash;
    expected += 1;
  }
  return { last: expected - 1, lastHash: prevHash };
}
