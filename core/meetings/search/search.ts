// Searching a person's meetings: the blind index (search-index.ts) finds the meetings holding
// every word; only the meetings found are decrypted, to show where the words were said.
import type { TenantContext } from '../../store/tenant-context.ts';
import { findByIds } from '../../store/by-id.ts';
import { MeetingError } from '../errors.ts';
import type { MeetingsKit } from '../kit.ts';
import { TIMELINE_PARTS } from '../lists.ts';
import type { MeetingDoc } from '../models.ts';
import { openTranscript } from '../records/reading.ts';
import { openTitles } from '../records/titles.ts';
import type { SegmentContent } from '../sealed-content.ts';
import { normalizedTerms } from './search-index.ts';

export interface SearchHit {
  meetingId: string;
  title: string;
  startsAt: string;
  /** Where the words were said (up to three places). */
  snippets: Array<{ speaker: string; startMs: number; text: string }>;
}

const SEARCH_RESULTS = 20;

/**
 * Meetings of this person holding every word of `query`, through the blind index; only the
 * meetings found are decrypted, to show where the words were said.
 */
export async function searchMeetings(
  kit: MeetingsKit,
  ctx: TenantContext,
  person: { userId: string; email: string },
  query: string,
): Promise<{ terms: string[]; results: SearchHit[] }> {
  const terms = normalizedTerms(query);
  if (terms.length === 0) {
    throw new MeetingError(
      'invalid',
      'q: give at least one word to search for (common words such as "the" are not indexed).',
    );
  }
  const meetings = await openTitles(kit, ctx, await meetingsWith(kit, ctx, person, terms));
  // The transcripts of the meetings found, read by chunk ids; decrypted only as far as needed.
  const transcripts = await Promise.all(meetings.map((m) => openTranscript(kit, ctx, m)));
  const results: SearchHit[] = meetings.map((meeting, position) => ({
    meetingId: meeting._id,
    title: meeting.title,
    startsAt: meeting.startsAt.toISOString(),
    snippets: snippetsOf(transcripts[position]!, terms),
  }));
  return { terms, results };
}

/** This person's meetings holding the terms, newest first, up to SEARCH_RESULTS. */
async function meetingsWith(
  kit: MeetingsKit,
  ctx: TenantContext,
  person: { userId: string; email: string },
  terms: string[],
): Promise<MeetingDoc[]> {
  const { Meetings, lists } = await kit.models(ctx);
  const email = person.email.toLowerCase();
  const mine = new Map<string, MeetingDoc>();
  // The index walks months newest first and stops once enough of this person's meetings
  // were kept. Which candidates are theirs, and when each started, the person's timelines say
  // (a few documents per month; they list every meeting a person organizes or attends, as "my
  // meetings" does), so only the records of the newest of theirs are read: a common word no
  // longer reads a record for every meeting of the month that says it.
  const owners = [`u:${person.userId}`, `e:${email}`];
  const ids = await kit.search.find(ctx, terms, {
    limit: SEARCH_RESULTS,
    keep: async (candidates, periods) => {
      const kept: string[] = [];
      const take = (m: MeetingDoc) => {
        const visible =
          (m.organizerId === person.userId || m.participantEmails.includes(email)) &&
          !m.deletion &&
          !m.purgedAt;
        if (!visible) return;
        mine.set(m._id, m);
        kept.push(m._id);
      };
      // A rare word: its few meetings' records are fewer reads than the person's timelines of
      // their months (TIMELINE_PARTS documents per owner and month), so they are read directly.
      if (candidates.length <= owners.length * TIMELINE_PARTS * periods.length) {
        for (const m of await findByIds(Meetings, candidates, { description: 0 })) take(m);
        return kept;
      }
      const starts = await lists.startsIn(owners, periods);
      const theirs = candidates
        .filter((id) => starts.has(id))
        .sort((a, b) => starts.get(b)!.localeCompare(starts.get(a)!));
      // Newer months came before this window, older ones come after it: the newest of these
      // fill what is left of the results.
      for (let i = 0; i < theirs.length && mine.size < SEARCH_RESULTS; i += SEARCH_RESULTS) {
        const slice = theirs.slice(i, i + SEARCH_RESULTS);
        for (const m of await findByIds(Meetings, slice, { description: 0 })) take(m);
      }
      return kept;
    },
  });
  return ids
    .flatMap((id) => (mine.has(id) ? [mine.get(id)!] : []))
    .sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime())
    .slice(0, SEARCH_RESULTS);
}

/** Up to three segments that say one of the terms, in order. */
function snippetsOf(transcript: readonly SegmentContent[], terms: string[]): SearchHit['snippets'] {
  const snippets: SearchHit['snippets'] = [];
  for (const segment of transcript) {
    if (snippets.length >= 3) break;
    const words = new Set(normalizedTerms(segment.text));
    if (terms.some((t) => words.has(t))) {
      snippets.push({
        speaker: segment.speaker,
        startMs: segment.startMs,
        text: segment.text,
      });
    }
  }
  return snippets;
}
