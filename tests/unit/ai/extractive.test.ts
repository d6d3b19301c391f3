// The extractive summarizer on a scripted planning meeting (Teams captions), on commitments
// said in each of the ways it understands, and on a generated one-hour meeting.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  SummaryInputError,
  createExtractiveSummarizer,
  summarizeExtractively,
  type Participant,
  type SummaryInput,
} from '../../../core/ai/index.ts';
import { createCaptionsTranscriber, type Segment } from '../../../core/speech/index.ts';
import { generateMeeting } from '../../bench/summaries.ts';

const PEOPLE: Participant[] = [{ name: 'Ana Lopez' }, { name: 'Raj Patel' }, { name: 'Mei Chen' }];
// Wednesday 12 March 2025, 10:00 in New York.
const WEDNESDAY_MORNING = { startsAt: '2025-03-12T14:00:00Z', timeZone: 'America/New_York' };

async function planningMeeting(): Promise<SummaryInput> {
  const text = readFileSync(new URL('./fixtures/planning-meeting.vtt', import.meta.url), 'utf8');
  const segments = await createCaptionsTranscriber().transcribe({ kind: 'webvtt', text });
  return { segments, participants: PEOPLE, meeting: WEDNESDAY_MORNING };
}

/** Turns as [speaker, text], ten seconds apart. */
function turns(...lines: Array<[string, string]>): Segment[] {
  return lines.map(([speaker, text], i) => ({
    speaker,
    startMs: i * 10_000,
    endMs: i * 10_000 + 9_000,
    text,
    confidence: null,
  }));
}

const summarize = (segments: Segment[], participants = PEOPLE, meeting = WEDNESDAY_MORNING) =>
  summarizeExtractively({ segments, participants, meeting });

describe('a scripted planning meeting', () => {
  it('finds each action item with its owner and due date', async () => {
    const { actionItems } = summarizeExtractively(await planningMeeting());
    expect(actionItems).toEqual([
      // "Ana will send…", said by Raj: the named participant owns it; Friday is the 14th.
      {
        task: 'Send the revised launch budget',
        owner: 'Ana Lopez',
        due: '2025-03-14',
        sourceSegment: 8,
      },
      // "…and I'll ask…" in the same sentence: the speaker owns the second task.
      {
        task: 'Ask the agency for a second quote',
        owner: 'Raj Patel',
        due: null,
        sourceSegment: 8,
      },
      {
        task: 'Update the launch roadmap',
        owner: 'Raj Patel',
        due: '2025-03-18',
        sourceSegment: 10,
      },
      // "Mei, can you…": the addressed participant.
      {
        task: 'Book the Berlin venue for the launch event',
        owner: 'Mei Chen',
        due: '2025-03-31',
        sourceSegment: 11,
      },
      // "Can you…" with no name: whoever answered ("Yes, I can do that").
      {
        task: 'Review the venue contract draft',
        owner: 'Raj Patel',
        due: '2025-03-13',
        sourceSegment: 12,
      },
      {
        task: 'Email the pilot customers about the new launch date',
        owner: 'Raj Patel',
        due: null,
        sourceSegment: 20,
      },
    ]);
  });

  it('finds the decisions, including a proposal someone agreed to', async () => {
    const { decisions } = summarizeExtractively(await planningMeeting());
    expect(decisions).toEqual([
      "Then let's go with the Berlin venue.",
      'We decided to move the launch to May so the payment flow is ready for the launch.',
      'We will hire a contractor for the payment migration.',
    ]);
  });

  it('lists questions left unanswered, not ones that got an answer or were requests', async () => {
    const { openQuestions } = summarizeExtractively(await planningMeeting());
    expect(openQuestions).toEqual([
      'What happens to the customers on the legacy payment API after the launch?',
      'Who owns the data retention policy for the launch?',
    ]);
  });

  it('summarises with the statements the rest of the meeting keeps coming back to', async () => {
    const { summary } = summarizeExtractively(await planningMeeting());
    expect(summary).toEqual([
      'The launch budget is currently twelve percent over the plan because the venue costs went up and the marketing agency raised its fees.',
      'The venue costs are the biggest part of the overrun, so we need a cheaper venue for the launch event or a smaller guest list.',
      'The Berlin venue is the cheapest venue and it still fits the full guest list for the launch event.',
    ]);
  });

  it('gives the same output for the same input, whatever the server’s time zone', async () => {
    const input = await planningMeeting();
    const first = summarizeExtractively(input);
    const saved = process.env.TZ;
    try {
      for (const zone of ['Pacific/Kiritimati', 'America/Los_Angeles', 'Asia/Kathmandu']) {
        process.env.TZ = zone;
        expect(summarizeExtractively(structuredClone(input))).toEqual(first);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('works through the Summarizer port', async () => {
    const summarizer = createExtractiveSummarizer();
    expect(summarizer.engine).toBe('extractive');
    const input = await planningMeeting();
    expect(await summarizer.summarize(input)).toEqual(summarizeExtractively(input));
    const aborted = AbortSignal.abort(new Error('meeting deleted'));
    await expect(summarizer.summarize(input, { signal: aborted })).rejects.toThrow(
      'meeting deleted',
    );
  });
});

describe('owners and due dates', () => {
  const items = (segments: Segment[], participants = PEOPLE) =>
    summarize(segments, participants).actionItems.map(({ task, owner, due }) => ({
      task,
      owner,
      due,
    }));

  it('owns "<Name>, please…" and "…, <Name>?" by the person named', () => {
    expect(
      items(
        turns(
          ['Ana Lopez', 'Raj, please draft the security questionnaire by Monday.'],
          ['Ana Lopez', 'Could you send the updated pricing sheet, Mei?'],
        ),
      ),
    ).toEqual([
      { task: 'Draft the security questionnaire', owner: 'Raj Patel', due: '2025-03-17' },
      { task: 'Send the updated pricing sheet', owner: 'Mei Chen', due: null },
    ]);
  });

  it('drops a request the person asked turns down', () => {
    expect(
      items(
        turns(
          ['Ana Lopez', 'Can you finish the vendor report by Friday?'],
          ['Raj Patel', "Sorry, I can't this week."],
        ),
      ),
    ).toEqual([]);
  });

  it('ignores remarks that only look like commitments', () => {
    expect(
      items(
        turns(
          ['Raj Patel', "I'll be honest, the numbers look tight."],
          ['Ana Lopez', 'Can you see my screen? Can you hear me?'],
          ['Mei Chen', "We'll see how it goes."],
          ['Raj Patel', 'I will do that.'],
        ),
      ),
    ).toEqual([]);
  });

  it('keeps a team commitment with a date, owned by nobody in particular', () => {
    expect(
      items(turns(['Mei Chen', "We'll publish the release notes by end of next week."])),
    ).toEqual([{ task: 'Publish the release notes', owner: null, due: '2025-03-21' }]);
  });

  it('reads "action item for me" as the speaker’s, and a plain action item as nobody’s', () => {
    expect(
      items(
        turns(
          ['Mei Chen', 'Action item for me: collect the customer quotes by EOD.'],
          ['Ana Lopez', 'Action item: rename the shared folder.'],
        ),
      ),
    ).toEqual([
      { task: 'Collect the customer quotes', owner: 'Mei Chen', due: '2025-03-12' },
      { task: 'Rename the shared folder', owner: null, due: null },
    ]);
  });

  it('resolves aliases and e-mail labels to the participant, and keeps an ambiguous name as said', () => {
    const participants: Participant[] = [
      { name: 'Robert Jones', aliases: ['Bob'] },
      { name: 'Sam Lee', email: 'sam.lee@example.com' },
      { name: 'Sam Ortiz' },
    ];
    expect(
      items(
        turns(
          ['Sam Lee', 'Bob will call the landlord tomorrow.'],
          ['sam.lee@example.com', "I'll order the new badges."],
          ['Robert Jones', 'Sam will check the fire exits.'],
        ),
        participants,
      ),
    ).toEqual([
      { task: 'Call the landlord', owner: 'Robert Jones', due: '2025-03-13' },
      { task: 'Order the new badges', owner: 'Sam Lee', due: null },
      { task: 'Check the fire exits', owner: 'Sam', due: null },
    ]);
  });

  it('gives no owner to an anonymous speaker label, and reads unpunctuated lower-case speech', () => {
    expect(
      items(
        turns(
          ['Speaker 1', "I'll update the onboarding guide."],
          ['Speaker 1', "i'll send the quarterly report tomorrow"],
        ),
      ),
    ).toEqual([
      { task: 'Update the onboarding guide', owner: null, due: null },
      { task: 'Send the quarterly report', owner: null, due: '2025-03-13' },
    ]);
  });

  it('reads "tomorrow" in the meeting’s zone, not in UTC', () => {
    // 01:30 UTC on Friday the 14th is still Thursday evening in New York.
    const thursdayEvening = { startsAt: '2025-03-14T01:30:00Z', timeZone: 'America/New_York' };
    const { actionItems } = summarize(
      turns(['Ana Lopez', "I'll call the auditor tomorrow."]),
      PEOPLE,
      thursdayEvening,
    );
    expect(actionItems[0]?.due).toBe('2025-03-14');
  });

  it('does not take a past date or a stretch of minutes for a deadline', () => {
    expect(
      items(
        turns(
          ['Ana Lopez', "I'll resend the notes from yesterday."],
          ['Raj Patel', "I'll pause the recording for a minute."],
        ),
      ),
    ).toEqual([
      { task: 'Resend the notes from yesterday', owner: 'Ana Lopez', due: null },
      { task: 'Pause the recording for a minute', owner: 'Raj Patel', due: null },
    ]);
  });
});

describe('bad input', () => {
  it('names the field that is wrong', () => {
    expect(() =>
      summarize(turns(['Ana Lopez', 'Hi.']), PEOPLE, {
        ...WEDNESDAY_MORNING,
        timeZone: 'Mars/Olympus',
      }),
    ).toThrow(
      new SummaryInputError(
        'Cannot summarize: meeting.timeZone: not an IANA time zone such as Europe/Berlin.',
      ),
    );
    expect(() =>
      summarize(turns(['Ana Lopez', 'Hi.']), PEOPLE, {
        ...WEDNESDAY_MORNING,
        startsAt: 'next week',
      }),
    ).toThrow(/^Cannot summarize: meeting\.startsAt: /);
    expect(() => summarize(turns(['Ana Lopez', 'Hi.']), [{ name: ' ' }])).toThrow(
      /participants\.0\.name/,
    );
  });

  it('summarises an empty meeting as nothing', () => {
    expect(summarize([])).toEqual({
      summary: [],
      decisions: [],
      actionItems: [],
      openQuestions: [],
    });
  });
});

describe('a one-hour meeting', () => {
  it('finds exactly the commitments planted among ~9,000 words', () => {
    const { input, planted, words } = generateMeeting(60);
    expect(input.segments).toHaveLength(600);
    expect(words).toBeGreaterThan(8_500);
    const result = summarizeExtractively(input);
    expect(result.actionItems).toEqual(planted);
    expect(result.summary).toHaveLength(10);
    expect(summarizeExtractively(input)).toEqual(result);
  });
});
