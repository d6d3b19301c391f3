// The audit log's storage by exact `_id`: entries by number, the head document, and the
// ordered insert of many entries (see audit-log.ts for why it is built this way).
import type { Model } from 'mongoose';
import { GENESIS, HEAD_ID, auditEntryId, type AuditHead, type StoredEntry } from './audit-entry.ts';
import { isDuplicateKeyError } from './duplicate-key.ts';

export type LogModel = Model<StoredEntry>;
export type HeadModel = Model<AuditHead>;

export const entryAt = (Log: LogModel, seq: number) =>
  Log.findById(auditEntryId(seq), { hash: 1 }).lean();

/**
 * The last entry of a log whose head record is missing (a new log, or a lost head), found by
 * exact-_id probes: doubling until an entry is missing, then halving. The head is a hint: if
 * entries were removed from the middle, appends find the true end through the retry below.
 */
export async function findLogEnd(Log: LogModel): Promise<{ seq: number; hash: string }> {
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
export async function lastSeq(Log: LogModel, Head: HeadModel): Promise<number> {
  const head = await Head.findById(HEAD_ID).lean();
  let seq = head ? head.seq : (await findLogEnd(Log)).seq;
  while (await entryAt(Log, seq + 1)) seq += 1;
  return seq;
}

/**
 * The last entry as the log holds it: its number (the head's, moved past entries written after
 * it) and the hash stored on that entry, which is what an anchor of the log must name.
 */
export async function currentHead(
  Log: LogModel,
  Head: HeadModel,
): Promise<{ seq: number; hash: string }> {
  const seq = await lastSeq(Log, Head);
  if (seq === 0) return { seq: 0, hash: GENESIS };
  const last = await entryAt(Log, seq);
  // Gone between the two reads (or the head names a removed entry): the end found by probing.
  return last ? { seq, hash: last.hash } : findLogEnd(Log);
}

export async function readHead(
  Log: LogModel,
  Head: HeadModel,
): Promise<{ seq: number; hash: string }> {
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
export async function advance(Head: HeadModel, from: number, to: { seq: number; hash: string }) {
  const head = await Head.findById(HEAD_ID).lean();
  if (head && head.seq !== from) return;
  await Head.replaceOne({ _id: HEAD_ID }, { seq: to.seq, hash: to.hash }, { upsert: true });
}

/**
 * Inserts entries in order and resolves to how many went in: all of them, or those before the
 * first whose number was taken (an ordered insert stops at its first refused document). Which
 * went in is read back by number and hash, whatever shape the driver gives the refusal.
 */
export async function insertInOrder(Log: LogModel, entries: StoredEntry[]): Promise<number> {
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
