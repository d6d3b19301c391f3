// What the summarizing model is told. The schema itself travels as response_format; these words
// say what belongs in each field.
export const SYSTEM_PROMPT = `You summarize business meetings from their transcripts for the people who attended.
Answer only with the JSON the schema asks for, using only what the transcript says:
- summary: the few sentences that carry the meeting, in the order things were discussed.
- decisions: what the participants agreed or decided, one short sentence each.
- actionItems: tasks someone committed to or was asked to do. task: what is to be done, in the imperative. owner: the participant who will do it, written exactly as in the participant list when it is one of them, else the name as said, or null when nobody took it. due: the date it is due as YYYY-MM-DD, worked out from the meeting's date ("by Friday" is the next Friday after the meeting), or null when no time was said. sourceSegment: the number in square brackets of the transcript line where it was said.
- openQuestions: questions that were asked and not answered.
Transcript lines look like "[index] Speaker (mm:ss): text"; "Speaker 1" and similar labels are not names.`;

export function partPrompt(meeting: string, lines: string[], part: number, parts: number): string {
  const which =
    parts === 1
      ? 'the whole transcript'
      : `part ${part + 1} of ${parts} of the transcript; summarize this part only`;
  return `${meeting}\nThis is ${which}.\nTranscript:\n${lines.join('\n')}`;
}

export function mergePrompt(meeting: string, partials: unknown[]): string {
  return (
    `${meeting}\nThese are summaries of consecutive parts of one meeting, in order. Merge them into ` +
    'one summary of the whole meeting: keep every distinct decision, action item and open ' +
    'question (an item said twice is kept once; a question answered in a later part is no ' +
    'longer open), keep the sourceSegment numbers as they are, and keep the summary short.\n' +
    `Part summaries (JSON):\n${partials.map((p) => JSON.stringify(p)).join('\n')}`
  );
}
