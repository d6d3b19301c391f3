// WebVTT as Teams and Zoom write it, read through webvtt-parser into speaker turns.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  UNKNOWN_SPEAKER,
  TranscriptionError,
  createCaptionsTranscriber,
  mergeTurns,
  type Segment,
} from '../../../core/speech/index.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const captions = createCaptionsTranscriber();
const transcribeVtt = (text: string) => captions.transcribe({ kind: 'webvtt', text });
const vtt = (...cues: string[]) => `WEBVTT\n\n${cues.join('\n\n')}\n`;

describe('Teams WebVTT (voice tags)', () => {
  it('names each turn by its <v> tag and joins the cues Teams splits a turn into', async () => {
    expect(await transcribeVtt(fixture('teams.vtt'))).toEqual([
      {
        speaker: 'Adele Vance',
        startMs: 3466,
        endMs: 10866,
        text: "Hi everyone, thanks for joining. Today we'll go through the Q3 numbers & the hiring plan.",
        confidence: null,
      },
      {
        speaker: 'Alex Wilber',
        startMs: 11626,
        endMs: 16226,
        text: 'Sounds good. I sent the deck to everyone this morning.',
        confidence: null,
      },
      {
        speaker: 'Megan Bowen',
        startMs: 16906,
        endMs: 21306,
        // A colon inside a voice-tagged cue is what was said, not a speaker.
        text: 'Quick question: is the café budget <5k> or 10k?',
        confidence: null,
      },
      {
        speaker: 'Adele Vance',
        startMs: 21906,
        endMs: 24946,
        text: "It's under five.",
        confidence: null,
      },
    ]);
  });
});

describe('Zoom WebVTT ("Name: text" cues)', () => {
  it('takes the speaker from the name before the first colon and joins close cues', async () => {
    expect(await transcribeVtt(fixture('zoom.vtt'))).toEqual([
      {
        speaker: 'Ana Lopez',
        startMs: 610,
        endMs: 9100,
        text: "Okay, let's get started. Action item from last week: the vendor list.",
        confidence: null,
      },
      {
        speaker: 'Raj Patel',
        startMs: 10250,
        endMs: 14920,
        text: "I finished it yesterday, it's in the shared drive.",
        confidence: null,
      },
      {
        speaker: 'Mei Chen',
        startMs: 15480,
        endMs: 19870,
        text: 'Great. The demo starts at 10:30 tomorrow.',
        confidence: null,
      },
      // More than two seconds of silence: a new turn, though the same speaker.
      {
        speaker: 'Mei Chen',
        startMs: 25000,
        endMs: 27500,
        text: 'Sorry, I dropped for a moment.',
        confidence: null,
      },
    ]);
  });

  it('does not take "Note:" for a speaker in captions that mostly name nobody', async () => {
    const segments = await transcribeVtt(
      vtt(
        '00:00:01.000 --> 00:00:02.000\nWelcome back.',
        '00:00:05.000 --> 00:00:06.000\nNote: the recording started late.',
        '00:00:09.000 --> 00:00:10.000\nLet us begin.',
      ),
    );
    expect(segments.map((s) => [s.speaker, s.text])).toEqual([
      [UNKNOWN_SPEAKER, 'Welcome back.'],
      [UNKNOWN_SPEAKER, 'Note: the recording started late.'],
      [UNKNOWN_SPEAKER, 'Let us begin.'],
    ]);
  });
});

describe('edge cases', () => {
  it('joins the lines of a multi-line cue with single spaces', async () => {
    const [segment] = await transcribeVtt(
      vtt('00:00:01.000 --> 00:00:05.000\n<v Ana>First line,\nsecond line\n  and a third.</v>'),
    );
    expect(segment?.text).toBe('First line, second line and a third.');
  });

  it('gives a cue without a speaker the unknown speaker, and does not join it to a named turn', async () => {
    const segments = await transcribeVtt(
      vtt(
        '00:00:01.000 --> 00:00:02.000\n<v Ana>Hello.</v>',
        '00:00:02.000 --> 00:00:03.000\n[music]',
        '00:00:03.000 --> 00:00:04.000\n<v Ana>Still me.</v>',
      ),
    );
    expect(segments.map((s) => s.speaker)).toEqual(['Ana', UNKNOWN_SPEAKER, 'Ana']);
  });

  it('decodes named and numeric HTML entities, and turns no-break spaces into spaces', async () => {
    const [segment] = await transcribeVtt(
      vtt(
        '00:00:01.000 --> 00:00:02.000\n<v Zo&euml; Faure>R&amp;D &lt;3 caf&eacute;&nbsp;au&#160;lait &#39;now&#39;</v>',
      ),
    );
    expect(segment).toMatchObject({ speaker: 'Zoë Faure', text: "R&D <3 café au lait 'now'" });
  });

  it('keeps overlapping cues of different speakers in order of start time', async () => {
    const segments = await transcribeVtt(
      vtt(
        '00:00:01.000 --> 00:00:06.000\n<v Ana>I think we should wait until</v>',
        '00:00:03.000 --> 00:00:04.000\n<v Raj>No, not again.</v>',
        '00:00:02.000 --> 00:00:05.000\n<v Mei>Sorry, go ahead.</v>',
      ),
    );
    expect(segments.map((s) => [s.speaker, s.startMs, s.endMs])).toEqual([
      ['Ana', 1000, 6000],
      ['Mei', 2000, 5000],
      ['Raj', 3000, 4000],
    ]);
  });

  it('does not repeat a line that rolling captions show twice in overlapping cues', async () => {
    const segments = await transcribeVtt(
      vtt(
        '00:00:01.000 --> 00:00:04.000\nRaj: We ship on Monday.',
        '00:00:03.500 --> 00:00:04.000\nRaj: We ship on Monday.',
        '00:00:04.000 --> 00:00:06.000\nRaj: Then the docs.',
      ),
    );
    expect(segments).toEqual([
      {
        speaker: 'Raj',
        startMs: 1000,
        endMs: 6000,
        text: 'We ship on Monday. Then the docs.',
        confidence: null,
      },
    ]);
  });

  it('refuses an empty file, saying what was expected', async () => {
    await expect(transcribeVtt('')).rejects.toThrow(/captions file is empty.*WEBVTT/);
    await expect(transcribeVtt('  \n\n')).rejects.toThrow(TranscriptionError);
  });

  it('reads a file with a header and no cues as no speech', async () => {
    expect(await transcribeVtt('WEBVTT\n\nNOTE nobody spoke\n')).toEqual([]);
  });

  it('names the line of a broken timing', async () => {
    const text = vtt(
      '00:00:01.000 --> 00:00:02.000\n<v Ana>Fine.</v>',
      '00:00:03.0 --> 00:00:04.000\n<v Raj>Lost?</v>',
    );
    await expect(transcribeVtt(text)).rejects.toThrow(
      /line 6, column \d+: Milliseconds must be given in three digits\..*00:00:01\.000 --> 00:00:04\.000/,
    );
  });

  it('names line 1 when the WEBVTT signature is missing', async () => {
    await expect(transcribeVtt('1\n00:00:01.000 --> 00:00:02.000\nAna: hi\n')).rejects.toThrow(
      /line 1: No valid signature.*starts with the line WEBVTT/,
    );
  });

  it('names a cue that ends before it starts, by its position when it has no identifier', async () => {
    await expect(
      transcribeVtt(
        vtt('00:00:01.000 --> 00:00:02.000\nAna: fine', '00:00:05.000 --> 00:00:04.000\nAna: no'),
      ),
    ).rejects.toThrow(/^Cue #2 ends \(4s\) before it starts \(5s\)/);
  });

  it('names a cue that ends before it starts', async () => {
    await expect(
      transcribeVtt(vtt('7\n00:00:05.000 --> 00:00:02.000\nAna: back to front')),
    ).rejects.toThrow(/Cue 7 ends \(2s\) before it starts \(5s\)/);
  });

  it('refuses audio, naming what captions take', async () => {
    await expect(captions.transcribe({ kind: 'audio-file', path: '/tmp/x.wav' })).rejects.toThrow(
      'The captions transcriber cannot take a audio-file source; it takes: webvtt, meet-entries.',
    );
  });

  it('hands each turn to onSegment as well as returning it', async () => {
    const seen: Segment[] = [];
    const segments = await captions.transcribe(
      { kind: 'webvtt', text: fixture('zoom.vtt') },
      { onSegment: (s) => seen.push(s) },
    );
    expect(seen).toEqual(segments);
  });
});

describe('mergeTurns', () => {
  const cue = (speaker: string, startMs: number, endMs: number, text: string): Segment => ({
    speaker,
    startMs,
    endMs,
    text,
    confidence: null,
  });

  it('does not grow a turn past the longest segment allowed', () => {
    const cues = [0, 1, 2, 3].map((i) => cue('Ana', i * 20_000, i * 20_000 + 19_000, `Part ${i}.`));
    expect(mergeTurns(cues, { maxGapMs: 2_000, maxSegmentMs: 40_000 }).map((s) => s.text)).toEqual([
      'Part 0. Part 1.',
      'Part 2. Part 3.',
    ]);
  });

  it('keeps the lower confidence of what it joins', () => {
    const merged = mergeTurns([
      { ...cue('Ana', 0, 1000, 'a'), confidence: 0.9 },
      { ...cue('Ana', 1000, 2000, 'b'), confidence: 0.4 },
    ]);
    expect(merged).toEqual([
      { speaker: 'Ana', startMs: 0, endMs: 2000, text: 'a b', confidence: 0.4 },
    ]);
  });
});
