// The azure-openai summarizer with the real openai SDK (AzureOpenAI) against a local server that
// speaks Azure OpenAI's chat-completions wire format. The "model" on the far side is a few rules
// in this file: it reads the transcript lines the summarizer sent and answers in the schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureOpenAISummarizer } from '../../../infra/providers/azure-openai/summarizer.ts';
import {
  SummarizerUnavailableError,
  SummaryModelError,
  type SummaryInput,
} from '../../../core/ai/index.ts';
import type { Segment } from '../../../core/speech/index.ts';
import {
  startFakeAzureOpenAI,
  type ChatRequest,
  type FakeAzureOpenAI,
} from '../../support/fake-azure-openai.ts';

let fake: FakeAzureOpenAI;

/** The far side's model: one action item per "I'll …" line, merges by concatenation. */
function ruleModel(request: ChatRequest): string {
  const prompt = request.messages.at(-1)!.content;
  const partials = prompt.split('Part summaries (JSON):\n')[1];
  if (partials !== undefined) {
    const parts = partials
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    return JSON.stringify({
      summary: parts.flatMap((p) => p.summary).slice(0, 3),
      decisions: parts.flatMap((p) => p.decisions),
      actionItems: parts.flatMap((p) => p.actionItems),
      openQuestions: parts.flatMap((p) => p.openQuestions),
    });
  }
  const lines = [...prompt.matchAll(/^\[(\d+)\] ([^(]+) \([\d:]+\): (.*)$/gm)];
  return JSON.stringify({
    summary: lines.slice(0, 1).map((l) => l[3]),
    decisions: lines.filter((l) => /we agreed/i.test(l[3]!)).map((l) => l[3]),
    actionItems: lines
      .filter((l) => /\bI'll\b/.test(l[3]!))
      .map((l) => ({
        task: l[3]!.replace(/^.*I'll /, ''),
        owner: l[2]!.trim(),
        due: /by Friday/.test(l[3]!) ? '2025-03-14' : /someday/.test(l[3]!) ? 'someday' : null,
        sourceSegment: Number(l[1]),
      })),
    openQuestions: lines.filter((l) => l[3]!.endsWith('?')).map((l) => l[3]),
  });
}

function segment(i: number, speaker: string, text: string): Segment {
  return { speaker, startMs: i * 5000, endMs: i * 5000 + 4000, text, confidence: null };
}

const meeting = { startsAt: '2025-03-12T14:00:00Z', timeZone: 'Europe/Berlin' };
const participants = [
  { name: 'Ana Lopez', email: 'ana@example.org' },
  { name: 'Raj Patel', email: 'raj@example.org', aliases: ['raj'] },
];

function summarizer(overrides: Partial<Parameters<typeof createAzureOpenAISummarizer>[0]> = {}) {
  return createAzureOpenAISummarizer({
    endpoint: fake.url,
    apiKey: fake.apiKey,
    deployment: 'summaries',
    ...overrides,
  });
}

beforeAll(async () => {
  fake = await startFakeAzureOpenAI();
  fake.deploy('summaries', { kind: 'chat', answer: ruleModel });
});
afterAll(() => fake?.close());

describe('azure-openai summarizer', () => {
  it('asks the deployment for schema-bound JSON and resolves owners to participants', async () => {
    const from = fake.requests.length;
    const input: SummaryInput = {
      segments: [
        segment(0, 'Ana Lopez', 'We need the launch checklist this week.'),
        segment(1, 'raj', "I'll send the pricing sheet by Friday."),
        segment(2, 'Speaker 1', "I'll book the room someday."),
        segment(3, 'Ana Lopez', 'Who owns the press list?'),
        segment(4, 'Ana Lopez', 'We agreed to ship on the 20th.'),
      ],
      participants,
      meeting,
    };
    const result = await summarizer().summarize(input);
    const sent = fake.requests.slice(from);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      path: '/openai/deployments/summaries/chat/completions',
      apiVersion: '2024-10-21',
      authorized: true,
      status: 200,
    });
    const format = sent[0]!.chat!.response_format!;
    expect(format.type).toBe('json_schema');
    expect(format.json_schema).toMatchObject({ name: 'meeting_summary', strict: true });
    expect((format.json_schema!.schema as { required: string[] }).required).toEqual([
      'summary',
      'decisions',
      'actionItems',
      'openQuestions',
    ]);
    expect(sent[0]!.chat!.messages.at(-1)!.content).toContain('Raj Patel <raj@example.org>');

    expect(result.actionItems).toEqual([
      {
        task: 'send the pricing sheet by Friday.',
        owner: 'Raj Patel',
        due: '2025-03-14',
        sourceSegment: 1,
      },
      // "Speaker 1" is nobody's name, and "someday" is not a date.
      { task: 'book the room someday.', owner: null, due: null, sourceSegment: 2 },
    ]);
    expect(result.decisions).toEqual(['We agreed to ship on the 20th.']);
    expect(result.openQuestions).toEqual(['Who owns the press list?']);
  });

  it('summarizes a long transcript in parts within the prompt budget and merges them', async () => {
    const from = fake.requests.length;
    const segments: Segment[] = [];
    for (let i = 0; i < 240; i++) {
      segments.push(
        i === 3
          ? segment(i, 'Ana Lopez', "I'll draft the agenda by Friday.")
          : i === 236
            ? segment(i, 'Raj Patel', "I'll call the vendor.")
            : segment(
                i,
                i % 2 ? 'Raj Patel' : 'Ana Lopez',
                `Point number ${i} about the rollout plan and its many details.`,
              ),
      );
    }
    const budget = 2_000;
    const result = await summarizer({ maxPromptTokens: budget }).summarize({
      segments,
      participants,
      meeting,
    });
    const sent = fake.requests.slice(from);
    const prompts = sent.map((r) => r.chat!.messages.map((m) => m.content).join(''));
    const merges = prompts.filter((p) => p.includes('Part summaries (JSON)'));
    expect(sent.length - merges.length).toBeGreaterThan(3);
    expect(merges.length).toBeGreaterThanOrEqual(1);
    for (const prompt of prompts) expect(Math.ceil(prompt.length / 3)).toBeLessThanOrEqual(budget);
    // Every transcript line went to the model in exactly one part.
    for (const i of [0, 3, 120, 236, 239]) {
      expect(prompts.filter((p) => p.includes(`\n[${i}] `)).length).toBe(1);
    }
    expect(result.actionItems).toEqual([
      {
        task: 'draft the agenda by Friday.',
        owner: 'Ana Lopez',
        due: '2025-03-14',
        sourceSegment: 3,
      },
      { task: 'call the vendor.', owner: 'Raj Patel', due: null, sourceSegment: 236 },
    ]);
  });

  it('waits out a 429 with Retry-After and a 503, then succeeds', async () => {
    const from = fake.requests.length;
    fake.throttle(1, 1);
    const result = await summarizer().summarize({
      segments: [segment(0, 'Ana Lopez', "I'll write the notes.")],
      participants,
      meeting,
    });
    fake.fail(1, 503);
    await summarizer().summarize({
      segments: [segment(0, 'Ana Lopez', 'Fine.')],
      participants,
      meeting,
    });
    expect(fake.requests.slice(from).map((r) => r.status)).toEqual([429, 200, 503, 200]);
    expect(result.actionItems[0]).toMatchObject({ task: 'write the notes.', owner: 'Ana Lopez' });
  });

  it('says which deployment is missing and which setting to fix', async () => {
    const error = await summarizer({ deployment: 'gpt-nope', maxRetries: 0 })
      .summarize({ segments: [segment(0, 'Ana Lopez', 'Hello.')], participants, meeting })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SummarizerUnavailableError);
    expect((error as Error).message).toContain('"gpt-nope"');
    expect((error as Error).message).toContain('DeploymentNotFound');
    expect((error as Error).message).toContain('AZURE_OPENAI_SUMMARY_DEPLOYMENT');
  });

  it('says the key was refused without repeating it', async () => {
    const wrongKey = 'wrong-key-0123456789';
    const error = await summarizer({ apiKey: wrongKey })
      .summarize({ segments: [segment(0, 'Ana Lopez', 'Hello.')], participants, meeting })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SummarizerUnavailableError);
    expect((error as Error).message).toContain('HTTP 401');
    expect((error as Error).message).toContain('AZURE_OPENAI_API_KEY');
    expect((error as Error).message).not.toContain(wrongKey);
  });

  it('refuses an answer outside the schema or cut off at the token limit', async () => {
    fake.deploy('odd', { kind: 'chat', answer: () => JSON.stringify({ summary: 'one string' }) });
    fake.deploy('cut', {
      kind: 'chat',
      answer: () => ({ content: '{"summ', finishReason: 'length' }),
    });
    const input = { segments: [segment(0, 'Ana Lopez', 'Hello.')], participants, meeting };
    await expect(summarizer({ deployment: 'odd' }).summarize(input)).rejects.toThrow(
      SummaryModelError,
    );
    await expect(summarizer({ deployment: 'cut' }).summarize(input)).rejects.toThrow(/cut off/);
  });
});
