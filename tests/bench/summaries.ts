// Extractive summary time for a generated one-hour meeting (~600 turns, ~9,000 words), median
// of several runs. `node tests/bench/summaries.ts` prints one JSON line per figure.
// The generator is shared with the unit tests, which check the planted action items are found.
import { summarizeExtractively } from '../../core/ai/index.ts';
import type { ActionItem, Participant, SummaryInput } from '../../core/ai/index.ts';
import type { Segment } from '../../core/speech/index.ts';

const PEOPLE: Participant[] = [
  { name: 'Ana Lopez' },
  { name: 'Raj Patel' },
  { name: 'Mei Chen' },
  { name: 'Tom Becker' },
  { name: 'Sara Okafor' },
];
const TOPICS = [
  'budget',
  'hiring',
  'launch',
  'security',
  'support',
  'roadmap',
  'pricing',
  'onboarding',
];
const NOUNS = [
  'forecast',
  'plan',
  'review',
  'dashboard',
  'contract',
  'backlog',
  'survey',
  'migration',
  'report',
  'pipeline',
];
const ADJECTIVES = [
  'solid',
  'behind',
  'ahead',
  'risky',
  'stable',
  'unclear',
  'promising',
  'expensive',
];
const PERIODS = ['week', 'sprint', 'month', 'quarter'];
const TEMPLATES = [
  'The {t} {n} looks {a} compared to last {p}.',
  'We spent most of the {p} on the {t} {n}.',
  'Our {t} numbers show {a} progress on the {n}.',
  'The team finished the {n} for the {t} project.',
  'Customers keep asking about the {t} {n}.',
  'That {n} depends on the {t} timeline.',
  'I think the {t} {n} is {a} enough for now.',
  'Yeah, that matches what I saw in the {t} report.',
  'The {t} {n} moved a little since the last {p}.',
  'Finance reviewed the {t} {n} and found it {a}.',
];
const MEETING = { startsAt: '2025-03-12T14:00:00Z', timeZone: 'America/New_York' }; // Wed 10:00
const SEGMENT_MS = 6_000;

/** Small deterministic PRNG (mulberry32), so every run reads the same meeting. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedMeeting {
  input: SummaryInput;
  /** The commitments planted in it, as the summarizer should report them. */
  planted: ActionItem[];
  words: number;
}

/** A meeting of `minutes` with a turn every 6 s and a commitment planted every 50 turns. */
export function generateMeeting(minutes = 60, seed = 7): GeneratedMeeting {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const turns = Math.round((minutes * 60_000) / SEGMENT_MS);
  const segments: Segment[] = [];
  const planted: ActionItem[] = [];
  const say = (speaker: string, text: string) =>
    segments.push({
      speaker,
      startMs: segments.length * SEGMENT_MS,
      endMs: segments.length * SEGMENT_MS + SEGMENT_MS - 500,
      text,
      confidence: null,
    });
  const filler = () =>
    pick(TEMPLATES)
      .replace('{t}', pick(TOPICS))
      .replace('{n}', pick(NOUNS))
      .replace('{a}', pick(ADJECTIVES))
      .replace('{p}', pick(PERIODS));

  let plants = 0;
  while (segments.length < turns) {
    const speaker = pick(PEOPLE).name;
    if (segments.length % 50 === 25) {
      const other =
        PEOPLE[(PEOPLE.findIndex((p) => p.name === speaker) + 1 + plants) % PEOPLE.length]!;
      const first = other.name.split(' ')[0]!;
      const task = `prepare summary ${plants + 1} on the ${TOPICS[plants % TOPICS.length]} work`;
      const kind = plants % 4;
      const sourceSegment = segments.length;
      if (kind === 0) {
        say(speaker, `${filler()} ${first} will ${task} by Friday.`);
        planted.push({ task: cap(task), owner: other.name, due: '2025-03-14', sourceSegment });
      } else if (kind === 1) {
        say(speaker, `I'll ${task} tomorrow. ${filler()}`);
        planted.push({ task: cap(task), owner: speaker, due: '2025-03-13', sourceSegment });
      } else if (kind === 2) {
        say(speaker, `${first}, can you ${task} by the end of the month?`);
        say(other.name, 'Sure, no problem.');
        planted.push({ task: cap(task), owner: other.name, due: '2025-03-31', sourceSegment });
      } else {
        say(speaker, `Action item: ${first} to ${task}.`);
        planted.push({ task: cap(task), owner: other.name, due: null, sourceSegment });
      }
      plants++;
      continue;
    }
    const sentences = 1 + Math.floor(next() * 2) + (next() < 0.25 ? 1 : 0);
    say(speaker, Array.from({ length: sentences }, filler).join(' '));
  }
  const words = segments.reduce((sum, s) => sum + s.text.split(/\s+/).length, 0);
  return { input: { segments, participants: PEOPLE, meeting: MEETING }, planted, words };
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function benchSummaries(runs = 7): Promise<Record<string, unknown>[]> {
  const { input, words } = generateMeeting(60);
  summarizeExtractively(input); // warm-up: module loading and JIT are not the summarizer's time
  const times: number[] = [];
  let actionItems = 0;
  for (let i = 0; i < runs; i++) {
    const begun = performance.now();
    actionItems = summarizeExtractively(input).actionItems.length;
    times.push(performance.now() - begun);
  }
  return [
    {
      bench: 'summaries.extractive-1h',
      unit: 'ms',
      runs,
      segments: input.segments.length,
      words,
      actionItems,
      median: Math.round(median(times) * 10) / 10,
      max: Math.round(Math.max(...times) * 10) / 10,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const figure of await benchSummaries()) console.log(JSON.stringify(figure));
}
