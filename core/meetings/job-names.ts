// The names of the meeting jobs, apart from their definitions so that enqueuing code does not
// pull the whole pipeline in.

/** Moves one meeting through its pipeline as far as it can go. Data: { tenantId, meetingId }. */
export const PROCESS_MEETING = 'meetings.process';
/** Re-enqueues meetings whose next step is due, in case a job was lost. */
export const RESUME_MEETINGS = 'meetings.resume';
/**
 * Issues the deletion certificates owed for a tenant's deleted recordings and captions, many in
 * one scrub. Data: { tenantId }.
 */
export const CERTIFY_DELETED_SOURCES = 'meetings.certify-deleted-sources';
