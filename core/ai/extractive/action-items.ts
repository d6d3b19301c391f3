// Finds commitments in what was said and turns each into a task with an owner and a due date.
// Who owns it follows from how it was said:
//   "I'll send…" / "I will send…"          → the speaker
//   "Ana will send…" / "Ana is going to…"  → Ana
//   "Ana, can you send…" / "…, Ana?"       → Ana
//   "Can you send…?"                       → whoever answers (unless they decline)
//   "Action item: Raj to email…"           → Raj; "Action item for me: …" → the speaker
//   "We'll send… by Monday"                → nobody in particular (kept only with a date)
import type { Segment } from '../../speech/segment.ts';
import type { ParticipantDirectory } from '../participants.ts';
import type { ActionItem } from '../summarizer.ts';
import type { DueDateReader } from './due-dates.ts';
import { namesAlternative } from './names.ts';
import type { Sentence } from './sentences.ts';
import { contentTerms } from './terms.ts';

type Owner =
  | { kind: 'speaker' }
  | { kind: 'named'; name: string }
  | { kind: 'addressee' }
  | { kind: 'nobody' };

interface Marker {
  start: number;
  /** Where the task's words begin. */
  end: number;
  owner: Owner;
  kind: 'self' | 'named' | 'request' | 'team' | 'listed';
}

// Verbs after "I'll" that announce a remark, not a task ("I'll be honest", "I'll admit").
const NOT_TASKS = new Set(['be', 'admit', 'bet', 'say', 'guess', 'tell', 'pass', 'never', 'not']);
// Requests answered on the spot ("Can you see my screen?", "Can you hear me?").
const ON_THE_SPOT = new Set([
  'hear',
  'see',
  'repeat',
  'say',
  'explain',
  'tell',
  'clarify',
  'describe',
  'share',
  'walk',
  'go',
  'speak',
  'mute',
  'unmute',
  'believe',
  'imagine',
  'like',
  'agree',
  'prefer',
  'not',
]);
const DECLINE =
  /^(?:no\b|nope\b|sorry\b|unfortunately\b|i can(?:'t|not)\b|i won't\b|not\s+(?:me|this|by)\b)/i;
// A task ends where the reason or an aside begins.
const TASK_END =
  /\s+(?:because|since|so that|as long as)\s|,\s*(?:so|which|because|since)\s|[;:]\s/i;
// Trailing politeness and hedges that are not part of the task.
const TAIL =
  /(?:[\s,]+(?:please|for me|for us|if you can|if possible|if that's ok(?:ay)?|then|as well|too|okay|ok|right))+\s*$/i;

export function findActionItems(
  sentences: readonly Sentence[],
  segments: readonly Segment[],
  directory: ParticipantDirectory,
  dueDates: DueDateReader,
): { items: ActionItem[]; sentenceIndexes: Set<number> } {
  const names = namesAlternative(directory.spokenNames);
  const patterns = markerPatterns(names);
  const items: ActionItem[] = [];
  const sentenceIndexes = new Set<number>();
  const seen = new Set<string>();

  for (const sentence of sentences) {
    const listed = patterns.listed.exec(sentence.text);
    const body = listed ? sentence.text.slice(listed[0].length) : sentence.text;
    const offset = listed ? listed[0].length : 0;
    const markers = findMarkers(body, patterns).map((m) => ({
      ...m,
      start: m.start + offset,
      end: m.end + offset,
    }));
    if (listed && markers.length === 0) {
      const forWhom = listed[1];
      const owner: Owner =
        forWhom === undefined
          ? { kind: 'nobody' }
          : /^me$/i.test(forWhom)
            ? { kind: 'speaker' }
            : /^you$/i.test(forWhom)
              ? { kind: 'addressee' }
              : { kind: 'named', name: forWhom };
      markers.push({ start: 0, end: offset, owner, kind: 'listed' });
    }

    markers.forEach((marker, m) => {
      const clauseEnd = markers[m + 1]?.start ?? sentence.text.length;
      let clause = sentence.text.slice(marker.end, clauseEnd);
      clause = clause.replace(/(?:[\s,]+(?:and|but|then|also))?[\s,]*$/i, '');
      let owner = marker.owner;
      // "Can you send the deck, Ana?": the name at the end says who was asked.
      const vocative = new RegExp(`,\\s*(${names})\\s*[?.!]*\\s*$`, 'u').exec(clause);
      if (vocative && marker.kind === 'request') {
        owner = { kind: 'named', name: vocative[1]! };
        clause = clause.slice(0, vocative.index);
      }

      const verb = /^[\p{L}']+/u.exec(clause.trim())?.[0].toLowerCase() ?? '';
      if (marker.kind === 'self' && NOT_TASKS.has(verb)) return;
      if (marker.kind === 'request' && ON_THE_SPOT.has(verb)) return;

      const due = dueDates.read(clause);
      if (marker.kind === 'team' && due === null && !listed) return;
      const task = taskText(clause, due);
      if (task === null) return;

      const ownerName = resolveOwner(owner, sentence, segments, directory);
      if (ownerName === DECLINED) return;
      const key = `${task.toLowerCase()}\u0000${ownerName ?? ''}`;
      if (seen.has(key)) return;
      seen.add(key);
      sentenceIndexes.add(sentence.index);
      items.push({
        task,
        owner: ownerName,
        due: due?.date ?? null,
        sourceSegment: sentence.segment,
      });
    });
  }
  return { items, sentenceIndexes };
}

interface Patterns {
  listed: RegExp;
  markers: Array<{ pattern: RegExp; kind: Marker['kind']; owner: (m: RegExpExecArray) => Owner }>;
}

function markerPatterns(names: string): Patterns {
  const will = `(?:'ll|’ll|\\s+will|\\s+is\\s+going\\s+to|'s\\s+going\\s+to|\\s+shall)`;
  return {
    // "Action item: …", "Action item for Raj: …", "To-do for me - …"
    listed: new RegExp(
      `^\\s*(?:(?:so|ok(?:ay)?|and|also),?\\s+)?(?:action\\s+items?|action|to-?do)(?:\\s+for\\s+(me|you|${names}))?\\s*[:–—-]\\s*`,
      'iu',
    ),
    markers: [
      {
        pattern: new RegExp(
          `\\bI(?:'ll|’ll|\\s+will|\\s+shall|\\s+am\\s+going\\s+to|'m\\s+going\\s+to|’m\\s+going\\s+to)\\s+`,
          // Any case: offline engines write "i'll".
          'gi',
        ),
        kind: 'self',
        owner: () => ({ kind: 'speaker' }),
      },
      {
        pattern: new RegExp(
          `(?:\\b(${names}),\\s*)?\\b(?:can|could|would|will)\\s+you(?:\\s+please)?\\s+`,
          'giu',
        ),
        kind: 'request',
        owner: (m) => (m[1] ? { kind: 'named', name: m[1] } : { kind: 'addressee' }),
      },
      {
        pattern: new RegExp(`\\b(${names}),\\s*please\\s+`, 'gu'),
        kind: 'request',
        owner: (m) => ({ kind: 'named', name: m[1]! }),
      },
      {
        pattern: new RegExp(`\\b(${names})${will}\\s+`, 'gu'),
        kind: 'named',
        owner: (m) => ({ kind: 'named', name: m[1]! }),
      },
      {
        // "Raj to email the customer": only at the start, as in a list of actions.
        pattern: new RegExp(`^\\s*(${names})\\s+to\\s+`, 'gu'),
        kind: 'named',
        owner: (m) => ({ kind: 'named', name: m[1]! }),
      },
      {
        pattern: /\bwe(?:'ll|’ll|\s+will|\s+need\s+to|\s+have\s+to|\s+must)\s+/gi,
        kind: 'team',
        owner: () => ({ kind: 'nobody' }),
      },
    ],
  };
}

function findMarkers(text: string, patterns: Patterns): Marker[] {
  const found: Marker[] = [];
  for (const { pattern, kind, owner } of patterns.markers) {
    pattern.lastIndex = 0;
    for (const match of text.matchAll(pattern)) {
      found.push({
        start: match.index,
        end: match.index + match[0].length,
        owner: owner(match),
        kind,
      });
    }
  }
  // Earliest first; where two patterns overlap the one that starts first (and is longest) wins.
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Marker[] = [];
  for (const marker of found) {
    if (kept.length > 0 && marker.start < kept.at(-1)!.end) continue;
    kept.push(marker);
  }
  return kept;
}

function taskText(clause: string, due: { index: number; length: number } | null): string | null {
  let text = due ? clause.slice(0, due.index) + clause.slice(due.index + due.length) : clause;
  const end = TASK_END.exec(text);
  if (end) text = text.slice(0, end.index);
  text = text
    .replace(/[?.!…]+\s*$/, '')
    .replace(TAIL, '')
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.;:?!])/g, '$1')
    .replace(/[\s,]+$/, '')
    .trim();
  // "I'll do that": a verb with nothing to act on is an answer, not a task.
  const [, ...rest] = text.split(' ');
  if (contentTerms(rest.join(' ')).length === 0) return null;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const DECLINED = Symbol('declined');

function resolveOwner(
  owner: Owner,
  sentence: Sentence,
  segments: readonly Segment[],
  directory: ParticipantDirectory,
): string | null | typeof DECLINED {
  switch (owner.kind) {
    case 'speaker':
      return directory.ownerSpeaking(sentence.speaker);
    case 'named':
      return directory.ownerNamed(owner.name);
    case 'nobody':
      return null;
    case 'addressee': {
      // The one asked is whoever answers next; a refusal means nobody took it.
      for (let i = sentence.segment + 1; i <= sentence.segment + 2 && i < segments.length; i++) {
        const reply = segments[i]!;
        if (reply.speaker === sentence.speaker) continue;
        if (DECLINE.test(reply.text.trim())) return DECLINED;
        return directory.ownerSpeaking(reply.speaker);
      }
      return null;
    }
  }
}
