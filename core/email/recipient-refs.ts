// Messages listed by recipient and month (`to:<address>:<yyyy-mm>`, in `email_refs` beside the
// per-booking lists), so a person's data export and erasure read them by exact `_id`. By month,
// so one list never grows without bound: messages are kept 60 days, so at most three months of
// lists name any message still kept.

function month(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** The list a message to `address` queued at `at` goes on. */
export function recipientRef(address: string, at: Date): string {
  return `to:${address.trim().toLowerCase()}:${month(at)}`;
}

/** Every list that may name a message to `address` still kept (kept for `keepMs`). */
export function recipientRefs(address: string, now: Date, keepMs: number): string[] {
  const refs: string[] = [];
  const from = new Date(now.getTime() - keepMs);
  const at = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
  while (at <= now) {
    refs.push(recipientRef(address, at));
    at.setUTCMonth(at.getUTCMonth() + 1);
  }
  return refs;
}
