// Reads Google Meet transcript entries (Meet REST API v2, conferenceRecords.transcripts.entries).
// An entry names its speaker only by participant resource ("conferenceRecords/x/participants/y");
// the display name is on that participant (conferenceRecords.participants), under signedinUser,
// anonymousUser or phoneUser. Times are RFC 3339 timestamps, made relative to the conference.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { numberedSpeaker, type Segment } from '../segment.ts';
import { TranscriptionError } from '../transcriber.ts';

const timestamp = z.iso.datetime({ offset: true });

const entrySchema = z.object({
  name: z.string().optional(),
  participant: z.string().min(1),
  text: z.string(),
  languageCode: z.string().optional(),
  startTime: timestamp,
  endTime: timestamp,
});

const displayNamed = z.object({ displayName: z.string().optional() }).optional();
const participantSchema = z.object({
  name: z.string().min(1),
  signedinUser: displayNamed,
  anonymousUser: displayNamed,
  phoneUser: displayNamed,
});

// The list methods wrap their arrays in a page object; a bare array is taken too.
const entriesSchema = z.union([
  z.array(entrySchema),
  z
    .object({ transcriptEntries: z.array(entrySchema).default([]) })
    .transform((page) => page.transcriptEntries),
]);
const participantsSchema = z.union([
  z.array(participantSchema),
  z
    .object({ participants: z.array(participantSchema).default([]) })
    .transform((page) => page.participants),
]);

export interface MeetEntriesInput {
  entries: unknown;
  participants?: unknown;
  /** The conference record's startTime; offsets count from here. Default: the first entry. */
  conferenceStart?: string;
}

/** One segment per entry with text, in order of start time. */
export function readMeetEntries(input: MeetEntriesInput): Segment[] {
  const entries = parseOrExplain(entriesSchema, input.entries, 'Meet transcript entries');
  const participants =
    input.participants === undefined
      ? []
      : parseOrExplain(participantsSchema, input.participants, 'Meet participants');
  const names = new Map(participants.map((p) => [p.name, displayName(p)] as const));

  const timed = entries.map((entry, i) => {
    const start = instant(entry.startTime);
    const end = instant(entry.endTime);
    if (end < start) {
      throw new TranscriptionError(
        `Meet transcript entry ${i + 1} (${entry.name ?? entry.participant}) ends before it starts.`,
      );
    }
    return { entry, start, end, position: i };
  });
  if (timed.length === 0) return [];

  const origin =
    input.conferenceStart === undefined
      ? Math.min(...timed.map((t) => t.start))
      : conferenceOrigin(input.conferenceStart);
  const early = timed.find((t) => t.start < origin);
  if (early) {
    throw new TranscriptionError(
      `Meet transcript entry ${early.position + 1} starts before the conference start ` +
        `${input.conferenceStart}; pass the conference record's startTime or leave it out.`,
    );
  }

  // Participants the list does not name get "Speaker 1", "Speaker 2"… in order of first word.
  const unnamed = new Map<string, string>();
  const speakerOf = (participant: string): string => {
    const known = names.get(participant);
    if (known) return known;
    let label = unnamed.get(participant);
    if (label === undefined) {
      label = numberedSpeaker(unnamed.size + 1);
      unnamed.set(participant, label);
    }
    return label;
  };

  return timed
    .sort((a, b) => a.start - b.start || a.position - b.position)
    .map(({ entry, start, end }) => ({
      speaker: speakerOf(entry.participant),
      startMs: start - origin,
      endMs: end - origin,
      text: entry.text.replace(/\s+/g, ' ').trim(),
      confidence: null,
    }))
    .filter((segment) => segment.text !== '');
}

function displayName(p: z.infer<typeof participantSchema>): string | null {
  const name =
    p.signedinUser?.displayName ?? p.anonymousUser?.displayName ?? p.phoneUser?.displayName;
  return name && name.trim() !== '' ? name.trim() : null;
}

function instant(iso: string): number {
  return DateTime.fromISO(iso, { setZone: true }).toMillis();
}

function conferenceOrigin(iso: string): number {
  if (!timestamp.safeParse(iso).success) {
    throw new TranscriptionError(
      `The conference start "${iso}" is not an RFC 3339 timestamp such as 2025-03-12T14:00:00Z.`,
    );
  }
  return instant(iso);
}

function parseOrExplain<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // For a union the most useful issue is the array branch's first one: it names the entry.
  const issue = deepestIssue(result.error.issues);
  const path = issue.path.map((part) =>
    typeof part === 'number' ? `[${part}]` : `.${String(part)}`,
  );
  const where = path.length === 0 ? '' : ` at ${path.join('').replace(/^\./, '')}`;
  const message =
    issue.code === 'invalid_union' ? 'expected an array or a list response object' : issue.message;
  throw new TranscriptionError(
    `${what} are not in the Meet REST API's shape${where}: ${message}. Expected the list ` +
      `response (or its array) from the Meet API, unchanged.`,
  );
}

function deepestIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  let best = issues[0]!;
  for (const issue of issues) {
    if (issue.code === 'invalid_union') {
      for (const branch of issue.errors) {
        const inner = deepestIssue(branch);
        if (inner.path.length + issue.path.length > best.path.length) {
          best = { ...inner, path: [...issue.path, ...inner.path] };
        }
      }
    } else if (issue.path.length > best.path.length) {
      best = issue;
    }
  }
  return best;
}
