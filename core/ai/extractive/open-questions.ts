// Open questions: questions nobody answered. A question counts as answered when the next
// speaker (or the asker, going on) replies with an answer word ("yes", "no", "it's…") or on
// the same subject; it stays open when the reply puts it off ("good question, not sure") or
// when nobody replies at all.
import type { Sentence } from './sentences.ts';
import { contentTerms } from './terms.ts';

const SMALL_TALK =
  /^(?:(?:right|okay|ok|yes|no|really|sorry|what|huh|why|how)\W*$|any\s+(?:other\s+|more\s+)?questions|(?:does\s+that|that)\s+make\s+sense|makes\s+sense|how\s+are\s+(?:you|we|things)|how's\s+(?:it\s+going|everyone)|can\s+(?:everyone|everybody|you\s+all|you)\s+(?:hear|see)|is\s+that\s+(?:ok|okay|clear|right|fair)|does\s+that\s+work|shall\s+we\s+(?:start|begin|get\s+started)|are\s+we\s+(?:good|done|ready))\b/i;
const PUT_OFF =
  /\b(?:(?:don't|do\s+not|doesn't|does\s+not)\s+know|not\s+sure|no\s+idea|good\s+question|(?:take|discuss)\s+(?:that|this|it)\s+offline|come\s+back\s+to\s+(?:that|this|it)|(?:figure|find)\s+(?:that|this|it)\s+out|(?:need\s+to|have\s+to|I'll|I\s+will|let\s+me)\s+(?:check|find\s+out|look\s+into)|unclear|tbd|to\s+be\s+decided|(?:nobody|no\s+one)\s+knows|parking\s+lot)\b/i;
const ANSWER_WORD =
  /^(?:yes|yeah|yep|yup|no|nope|sure|definitely|absolutely|correct|exactly|it's|it\s+is|it\s+will|we|they|i\s+think|i\s+believe|probably|because|on|in|at|by|next|last|around|about)\b/i;

export function findOpenQuestions(
  sentences: readonly Sentence[],
  exclude: ReadonlySet<number>,
): string[] {
  const open: string[] = [];
  const seen = new Set<string>();
  sentences.forEach((question, i) => {
    if (!question.isQuestion || exclude.has(question.index)) return;
    const terms = contentTerms(question.text);
    if (terms.length < 2 || SMALL_TALK.test(question.text.trim())) return;
    if (isAnswered(question, terms, sentences.slice(i + 1))) return;
    const key = question.text.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      open.push(question.text);
    }
  });
  return open;
}

function isAnswered(question: Sentence, terms: string[], after: readonly Sentence[]): boolean {
  // What follows in the asker's own turn, then the next two turns by anyone else.
  const sameTurn = after.filter((s) => s.segment === question.segment);
  const replies = after.filter(
    (s) =>
      s.segment > question.segment &&
      s.segment <= question.segment + 2 &&
      s.speaker !== question.speaker,
  );
  const firstReplySegment = replies[0]?.segment;
  const firstReply = replies.filter((s) => s.segment === firstReplySegment);
  if ([...sameTurn, ...firstReply].some((s) => PUT_OFF.test(s.text))) return false;

  const asked = new Set(terms);
  return [...sameTurn, ...replies]
    .slice(0, 4)
    .some(
      (s) =>
        !s.isQuestion &&
        (ANSWER_WORD.test(s.text.trim()) || contentTerms(s.text).some((t) => asked.has(t))),
    );
}
