import type { Participant } from '../../ai/index.ts';
import type { MeetingDoc } from '../models.ts';

/** Names as the summarizer should find them: speech engines write everything in lower case. */
export function summaryParticipants(meeting: Pick<MeetingDoc, 'participants'>): Participant[] {
  return meeting.participants.map((p) => {
    const name = p.name ?? p.email.split('@')[0]!;
    const first = name.split(/\s+/)[0]!;
    const aliases = [...new Set([name.toLowerCase(), first.toLowerCase()])].filter(
      (alias) => alias !== name && alias !== first,
    );
    return { name, email: p.email, ...(aliases.length > 0 ? { aliases } : {}) };
  });
}
