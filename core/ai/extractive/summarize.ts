// The extractive summarizer: no model, only what was said, picked out by rules and TextRank.
// The same input always gives the same output.
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { ParticipantDirectory } from '../participants.ts';
import { SummaryInputError, type MeetingSummary, type SummaryInput } from '../summarizer.ts';
import { findActionItems } from './action-items.ts';
import { findDecisions } from './decisions.ts';
import { DueDateReader } from './due-dates.ts';
import { findOpenQuestions } from './open-questions.ts';
import { splitSentences } from './sentences.ts';
import { pickSummary } from './summary-sentences.ts';

const inputSchema = z.object({
  segments: z.array(
    z.object({
      speaker: z.string(),
      startMs: z.number().nonnegative(),
      endMs: z.number().nonnegative(),
      text: z.string(),
      confidence: z.number().min(0).max(1).nullable(),
    }),
  ),
  participants: z.array(
    z.object({
      name: z.string().trim().min(1),
      email: z.string().optional(),
      aliases: z.array(z.string()).optional(),
    }),
  ),
  meeting: z.object({
    startsAt: z.iso.datetime({ offset: true }),
    timeZone: z.string().refine((zone) => IANAZone.isValidZone(zone), {
      message: 'not an IANA time zone such as Europe/Berlin',
    }),
  }),
});

export function summarizeExtractively(input: SummaryInput): MeetingSummary {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.map(String).join('.') || 'input';
    throw new SummaryInputError(`Cannot summarize: ${where}: ${issue.message}.`);
  }
  const { segments, participants, meeting } = input;
  const startsAt = DateTime.fromISO(meeting.startsAt, { setZone: true }).setZone(meeting.timeZone);
  const directory = new ParticipantDirectory(participants);
  const sentences = splitSentences(segments);

  const actions = findActionItems(sentences, segments, directory, new DueDateReader(startsAt));
  const decisions = findDecisions(sentences);
  const settled = new Set([...actions.sentenceIndexes, ...decisions.sentenceIndexes]);
  return {
    summary: pickSummary(sentences),
    decisions: decisions.decisions,
    actionItems: actions.items,
    openQuestions: findOpenQuestions(sentences, settled),
  };
}
