// Decisions: sentences that say one was made ("we decided", "let's go with", "it's agreed"),
// and a proposal someone else accepts in so many words ("Should we hire a contractor?" —
// "Agreed.").
import type { Sentence } from './sentences.ts';

const DECIDED = [
  /\bwe(?:'ve|’ve|\s+have)?(?:\s+(?:all|just|finally|now))?\s+(?:decided|agreed|settled\s+on|chosen|chose|concluded)\b/i,
  /\b(?:let's|let’s|let\s+us)\s+go\s+with\b/i,
  /\bwe(?:'re|’re|\s+are|'ll|’ll|\s+will)\s+(?:going\s+to\s+)?go\s+with\b/i,
  /\b(?:the\s+)?decision\s+(?:is|was)\b|^\s*decision\s*[:–—-]/i,
  /\b(?:it's|it’s|that's|that’s|it\s+is|that\s+is)\s+(?:decided|agreed|settled|final)\b/i,
  /^\s*agreed\s*[:–—-]\s*\S/i,
];
// A reply that is nothing but assent.
const ASSENT =
  /^(?:(?:ok(?:ay)?|yes|yeah|great|good|fine)[,!.]?\s+)?(?:agreed|deal|sounds\s+good|let'?s\s+do\s+(?:that|it)|that\s+works|works\s+for\s+me)(?:[,!.]?\s+(?:let'?s\s+do\s+(?:that|it)|agreed))?[.!]*$/i;
// A question that proposes something for the group.
const PROPOSAL_QUESTION = /^(?:so,?\s+)?(?:should|shall|can|could)\s+we\s+(.+?)\?*$/i;
const ABOUT_US = /\b(?:we|let's|let’s|us)\b/i;

export function findDecisions(sentences: readonly Sentence[]): {
  decisions: string[];
  sentenceIndexes: Set<number>;
} {
  const decisions: string[] = [];
  const sentenceIndexes = new Set<number>();
  const seen = new Set<string>();
  const add = (text: string, index: number) => {
    const key = text.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    decisions.push(text);
    sentenceIndexes.add(index);
  };

  sentences.forEach((sentence, i) => {
    if (!sentence.isQuestion && DECIDED.some((p) => p.test(sentence.text))) {
      add(sentence.text, sentence.index);
      return;
    }
    if (!ASSENT.test(sentence.text.trim())) return;
    const proposal = sentences.slice(0, i).findLast((s) => s.speaker !== sentence.speaker);
    if (proposal === undefined || sentenceIndexes.has(proposal.index)) return;
    if (!proposal.isQuestion) {
      if (ABOUT_US.test(proposal.text)) add(proposal.text, proposal.index);
      return;
    }
    const asked = PROPOSAL_QUESTION.exec(proposal.text.trim());
    if (asked) add(`We will ${asked[1]!.replace(/[?\s]+$/, '')}.`, proposal.index);
  });
  return { decisions, sentenceIndexes };
}
