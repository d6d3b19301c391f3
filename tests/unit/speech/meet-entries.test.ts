// Google Meet transcript entries and participants in the shapes the Meet REST API documents.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCaptionsTranscriber, readMeetEntries } from '../../../core/speech/index.ts';

const json = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const entries = json('meet-entries.json');
const participants = json('meet-participants.json');

describe('Meet transcript entries', () => {
  it('names speakers from signed-in, anonymous and phone participants, timed from the conference start', () => {
    const segments = readMeetEntries({
      entries,
      participants,
      conferenceStart: '2025-03-12T14:00:00Z',
    });
    expect(segments.map((s) => [s.speaker, s.startMs, s.endMs, s.text])).toEqual([
      ['Ana Lopez', 5250, 8000, 'Welcome to the weekly sync.'],
      ['Ana Lopez', 8500, 11000, 'First item is the release.'],
      ['Raj (guest)', 11400, 13900, 'The release is on track.'],
      ['+1 415-***-**12', 14000, 16500, 'Dialing in from the car, all good here.'],
      // Not in the participants list: labelled, not guessed.
      ['Speaker 1', 17000, 18200, 'Can I join the next one too?'],
    ]);
  });

  it('times from the first entry when no conference start is given, and takes bare arrays', () => {
    const list = (entries as { transcriptEntries: unknown[] }).transcriptEntries;
    const people = (participants as { participants: unknown[] }).participants;
    const segments = readMeetEntries({ entries: list, participants: people });
    expect(segments[0]).toMatchObject({ startMs: 0, endMs: 2750 });
    expect(segments[2]).toMatchObject({ speaker: 'Raj (guest)', startMs: 6150 });
  });

  it('joins one participant’s consecutive entries into a turn through the transcriber', async () => {
    const segments = await createCaptionsTranscriber().transcribe({
      kind: 'meet-entries',
      entries,
      participants,
      conferenceStart: '2025-03-12T14:00:00Z',
    });
    expect(segments[0]).toEqual({
      speaker: 'Ana Lopez',
      startMs: 5250,
      endMs: 11000,
      text: 'Welcome to the weekly sync. First item is the release.',
      confidence: null,
    });
    expect(segments).toHaveLength(4);
  });

  it('without participants, numbers the speakers in order of first entry', () => {
    const segments = readMeetEntries({ entries });
    expect([...new Set(segments.map((s) => s.speaker))]).toEqual([
      'Speaker 1',
      'Speaker 2',
      'Speaker 3',
      'Speaker 4',
    ]);
  });

  it('names the entry and field that is wrong', () => {
    const broken = structuredClone(entries) as {
      transcriptEntries: Array<Record<string, unknown>>;
    };
    delete broken.transcriptEntries[2]!.startTime;
    expect(() => readMeetEntries({ entries: broken, participants })).toThrow(
      /Meet transcript entries are not in the Meet REST API's shape at transcriptEntries\[2\]\.startTime/,
    );
  });

  it('refuses something that is not a list at all', () => {
    expect(() => readMeetEntries({ entries: 'hello' })).toThrow(
      /entries are not in the Meet REST API's shape: expected an array or a list response object/,
    );
  });

  it('refuses an entry that ends before it starts, naming it', () => {
    const broken = structuredClone(entries) as {
      transcriptEntries: Array<Record<string, unknown>>;
    };
    broken.transcriptEntries[1]!.endTime = '2025-03-12T14:00:07.000Z';
    expect(() => readMeetEntries({ entries: broken })).toThrow(
      'Meet transcript entry 2 (conferenceRecords/abc-123/transcripts/t1/entries/e2) ends before it starts.',
    );
  });

  it('refuses a conference start after the first entry', () => {
    expect(() => readMeetEntries({ entries, conferenceStart: '2025-03-12T14:00:06Z' })).toThrow(
      /entry 1 starts before the conference start 2025-03-12T14:00:06Z/,
    );
  });
});
