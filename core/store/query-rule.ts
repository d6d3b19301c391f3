// The storage rule every request path keeps, written down once so that code and the test that
// records every database command (tests/e2e/storage/query-rule.test.ts) agree.
//
// The embedded database (FerretDB 1.24 on SQLite) serves from an index only a filter that is
// exactly `{_id: <string or ObjectId>}`; any other filter reads and decodes the whole
// collection, so its cost grows with the tenant. A collection may be read by another filter only
// when its size is bounded by design; each is listed here with its bound, and its model's opening
// comment says the same.
//
// A periodic sweep that must look at every document (removing what expired) says so by sending
// a `comment` starting with `quorum:sweep`; it runs from a job, never on a request path.

export const BOUNDED_COLLECTIONS: Readonly<Record<string, string>> = {
  // Agenda: one document per recurring job name plus one-off jobs until they finish (removed on
  // completion), so its size follows the work in flight, not the data kept.
  jobs: 'recurring job definitions and one-off jobs in flight; finished one-off jobs are removed',
  jobs_locks: 'one lease per job name while a worker locks it',
  meeting_locks:
    'one lease per meeting being moved along by the pipeline and per tenant being purged, removed when done',
  account_locks: 'one lease per deleted account being erased right now, removed when done',
  migrations: 'one record per storage migration step',
  email_queue:
    'one pointer per email not yet sent, removed once the relay accepted it or it was given up',
  email_leases: 'one lease per email being sent right now, removed when the send ends',
  meeting_sources:
    'recordings and captions being transcribed: each is deleted when transcription ends, and the hourly sweep deletes any older than 23 hours',
};

export const SWEEP_COMMENT = 'quorum:sweep';

/** Whether a filter is exactly `{_id: <string or ObjectId>}`. */
export function isExactIdFilter(filter: unknown): boolean {
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) return false;
  const keys = Object.keys(filter);
  if (keys.length !== 1 || keys[0] !== '_id') return false;
  const id = (filter as { _id: unknown })._id;
  if (typeof id === 'string') return true;
  return (
    typeof id === 'object' &&
    id !== null &&
    (id as { _bsontype?: unknown })._bsontype === 'ObjectId'
  );
}
