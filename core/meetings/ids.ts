// Meeting ids name a data key (`meeting:<id>`), a file on disk and the records of a meeting, so
// they use only letters, digits, "-" and "_"; the records of a meeting have ids made from it
// (`<meetingId>:<chunk>`). Meeting ids themselves are always random, so a deleted meeting's
// destroyed data key is never asked for again.
import { randomUUID } from 'node:crypto';

const MEETING_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function isMeetingId(value: string): boolean {
  return MEETING_ID.test(value);
}

export function newMeetingId(): string {
  return `m-${randomUUID()}`;
}
