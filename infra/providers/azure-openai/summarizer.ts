// The azure-openai summarizer: a chat deployment on Azure OpenAI reads the transcript and answers
// with structured output (response_format json_schema, strict), which is validated again with
// zod before anything is kept. A transcript larger than the prompt budget is summarized in parts
// (map) whose summaries are then merged (reduce), in as many merge rounds as the budget needs:
// no request is larger than the budget and nothing is dropped silently.
import type { AzureOpenAI } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { buildAgenda } from '../../../core/ai/extractive/agenda.ts';
import { ParticipantDirectory } from '../../../core/ai/participants.ts';
import {
  SummarizerUnavailableError,
  SummaryInputError,
  SummaryModelError,
  type MeetingSummary,
  type Summarizer,
  type SummaryInput,
} from '../../../core/ai/summarizer.ts';
import { chunkTranscript, estimateTokens, groupWithin } from './chunks.ts';
import {
  createAzureOpenAIClient,
  describeAzureOpenAIError,
  type AzureOpenAISettings,
} from './client.ts';
import { mergePrompt, partPrompt, SYSTEM_PROMPT } from './prompts.ts';

export interface AzureOpenAISummarizerOptions extends AzureOpenAISettings {
  /** The chat model deployment, e.g. "gpt-4o-mini". */
  deployment: string;
  /**
   * Most tokens one request may carry (instructions + transcript or partial summaries). Keep it
   * below the model's context window minus `maxOutputTokens`. Default 24,000.
   */
  maxPromptTokens?: number;
  /** Most tokens one answer may have. Default 4,000. */
  maxOutputTokens?: number;
  /** A client made elsewhere (tests pass one with their own settings). */
  client?: AzureOpenAI;
}

const modelAnswer = z.strictObject({
  summary: z.array(z.string()),
  decisions: z.array(z.string()),
  actionItems: z.array(
    z.strictObject({
      task: z.string(),
      owner: z.string().nullable(),
      due: z.string().nullable(),
      sourceSegment: z.number(),
    }),
  ),
  openQuestions: z.array(z.string()),
});
type ModelAnswer = z.infer<typeof modelAnswer>;

const RESPONSE_FORMAT = zodResponseFormat(modelAnswer, 'meeting_summary');
const inputSchema = z.object({
  segments: z.array(
    z.object({
      speaker: z.string(),
      startMs: z.number().nonnegative(),
      endMs: z.number().nonnegative(),
      text: z.string(),
    }),
  ),
  meeting: z.object({
    startsAt: z.iso.datetime({ offset: true }),
    timeZone: z.string().refine((zone) => IANAZone.isValidZone(zone), {
      message: 'not an IANA time zone such as Europe/Berlin',
    }),
  }),
});

export function createAzureOpenAISummarizer(options: AzureOpenAISummarizerOptions): Summarizer {
  const client = options.client ?? createAzureOpenAIClient(options, options.deployment);
  const maxPromptTokens = options.maxPromptTokens ?? 24_000;
  const maxOutputTokens = options.maxOutputTokens ?? 4_000;
  const fixedCost = estimateTokens(SYSTEM_PROMPT) + 600;
  if (maxPromptTokens < fixedCost + 200) {
    throw new RangeError(`maxPromptTokens must be at least ${fixedCost + 200}`);
  }
  const where = {
    deployment: options.deployment,
    endpoint: options.endpoint,
    setting: 'AZURE_OPENAI_SUMMARY_DEPLOYMENT',
  };

  async function ask(prompt: string, signal: AbortSignal | undefined): Promise<ModelAnswer> {
    let completion;
    try {
      completion = await client.chat.completions.create(
        {
          model: options.deployment,
          messages: [
            { role: 'system', content: SYSTEM_PROMPT },
            { role: 'user', content: prompt },
          ],
          response_format: RESPONSE_FORMAT,
          max_completion_tokens: maxOutputTokens,
        },
        { signal },
      );
    } catch (error) {
      const message = describeAzureOpenAIError(error, where);
      if (message === undefined) throw error;
      throw new SummarizerUnavailableError(message);
    }
    const choice = completion.choices[0];
    if (!choice) throw new SummaryModelError('Azure OpenAI answered with no choices.');
    if (choice.finish_reason === 'length') {
      throw new SummaryModelError(
        `The summary was cut off at ${maxOutputTokens} tokens; raise AZURE_OPENAI_MAX_OUTPUT_TOKENS or lower AZURE_OPENAI_MAX_PROMPT_TOKENS so parts are smaller.`,
      );
    }
    if (choice.finish_reason === 'content_filter' || choice.message.refusal) {
      throw new SummaryModelError(
        'Azure OpenAI declined to summarize this meeting (content filter or refusal).',
      );
    }
    return parseAnswer(choice.message.content);
  }

  return {
    engine: 'azure-openai',
    async summarize(input: SummaryInput, opts) {
      const checked = inputSchema.safeParse(input);
      if (!checked.success) {
        const issue = checked.error.issues[0]!;
        const at = issue.path.map(String).join('.') || 'input';
        throw new SummaryInputError(`Cannot summarize: ${at}: ${issue.message}.`);
      }
      const signal = opts?.signal;
      signal?.throwIfAborted();
      if (input.segments.length === 0) {
        return { summary: [], decisions: [], actionItems: [], openQuestions: [] };
      }
      const meetingLine = describeMeeting(input);
      const budget = maxPromptTokens - fixedCost - estimateTokens(meetingLine);
      if (budget < 200) {
        throw new SummaryInputError(
          'Cannot summarize: the participant list alone fills the prompt budget; raise AZURE_OPENAI_MAX_PROMPT_TOKENS.',
        );
      }
      const answer = await summarizeInParts(
        (prompt) => ask(prompt, signal),
        input,
        meetingLine,
        budget,
      );
      return finish(answer, input);
    },
    // The agenda is built from the invite and open items by rules: nothing to gain from a model.
    async agendaFor(invite, openActionItems, opts) {
      opts?.signal?.throwIfAborted();
      return buildAgenda(invite, openActionItems);
    },
  };
}

/** Parts one after another, then their summaries merged in groups that fit, until one is left. */
async function summarizeInParts(
  ask: (prompt: string) => Promise<ModelAnswer>,
  input: SummaryInput,
  meetingLine: string,
  budget: number,
): Promise<ModelAnswer> {
  const chunks = chunkTranscript(input.segments, budget);
  // Parts one after another: a long meeting should not use a deployment's whole quota at once.
  let partials: ModelAnswer[] = [];
  for (const [i, lines] of chunks.entries()) {
    partials.push(await ask(partPrompt(meetingLine, lines, i, chunks.length)));
  }
  while (partials.length > 1) {
    const groups = groupWithin(partials, (p) => JSON.stringify(p), budget);
    if (groups.length === partials.length) {
      throw new SummaryModelError(
        'The part summaries are too long to merge within AZURE_OPENAI_MAX_PROMPT_TOKENS; raise it.',
      );
    }
    const merged: ModelAnswer[] = [];
    for (const group of groups) {
      merged.push(group.length === 1 ? group[0]! : await ask(mergePrompt(meetingLine, group)));
    }
    partials = merged;
  }
  return partials[0]!;
}

/** The model's JSON answer, checked against the summary schema. */
function parseAnswer(content: string | null): ModelAnswer {
  let json: unknown;
  try {
    json = JSON.parse(content ?? '');
  } catch {
    throw new SummaryModelError('Azure OpenAI answered with text that is not JSON.');
  }
  const parsed = modelAnswer.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SummaryModelError(
      `Azure OpenAI's answer does not fit the summary schema: ${issue.path.join('.') || 'answer'}: ${issue.message}.`,
    );
  }
  return parsed.data;
}

function describeMeeting(input: SummaryInput): string {
  const start = DateTime.fromISO(input.meeting.startsAt, { setZone: true }).setZone(
    input.meeting.timeZone,
  );
  const people = input.participants
    .map((p) => (p.email ? `${p.name} <${p.email}>` : p.name))
    .join('; ');
  return (
    `The meeting started ${start.toFormat("cccc d LLLL yyyy 'at' HH:mm")} (${input.meeting.timeZone}), ` +
    `that is ${start.toISODate()}.\nParticipants: ${people || 'not known'}.`
  );
}

/** The model's answer as Quorum keeps it: owners are participants, dates are real dates. */
function finish(answer: ModelAnswer, input: SummaryInput): MeetingSummary {
  const directory = new ParticipantDirectory(input.participants);
  const last = input.segments.length - 1;
  return {
    summary: clean(answer.summary),
    decisions: clean(answer.decisions),
    actionItems: answer.actionItems
      .filter((item) => item.task.trim() !== '')
      .map((item) => ({
        task: item.task.trim(),
        owner: item.owner === null ? null : directory.ownerSpeaking(item.owner.trim()),
        due: calendarDate(item.due),
        // An index the transcript does not have is brought to its nearest end.
        sourceSegment: Math.min(last, Math.max(0, Math.round(item.sourceSegment))),
      })),
    openQuestions: clean(answer.openQuestions),
  };
}

function clean(lines: string[]): string[] {
  return lines.map((line) => line.trim()).filter((line) => line !== '');
}

function calendarDate(due: string | null): string | null {
  if (due === null || !/^\d{4}-\d{2}-\d{2}$/.test(due)) return null;
  return DateTime.fromISO(due).isValid ? due : null;
}
