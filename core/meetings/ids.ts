// Meeting ids name a data key (`meeting:<id>`), a file on disk and the records of a meeting, so
// they use only letters, digits, "-" and "_". Records that belong to a meeting in some order
// (transcript segments, action items) get ids made from the meeting id and their position: a
// step that is run twice inserts the same ids again, and the database refuses the duplicates.
// Meeting ids themselves are always random, so a deleted meeting's destroyed data key is never
// asked for again.
import { randomUUID } from 'node:crypto';

const MEETING_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function isMeetingId(value: string): boolean {
  return MEETING_ID.test(value);
}

export function newMeetingId(): string {
  return `m-${randomUUID()}`;
}

/** `<meetingId>:<position>`, zero-padded so ids sort in transcript order. */
export function positionalId(meetingId: string, position: number): string {
  return `${meetingId}:${String(position).padStart(6, '0')}`;
}
