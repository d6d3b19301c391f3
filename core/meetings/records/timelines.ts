// Reading meetings through the people's timelines (lists.ts): the timelines give ids, the
// records are read by id.
import { findByIds } from '../../store/by-id.ts';
import type { TenantContext } from '../../store/tenant-context.ts';
import type { MeetingsKit } from '../kit.ts';
import type { MeetingDoc } from '../models.ts';

/** How many earlier meetings of the same people an agenda (or a follow-up) looks at. */
export const AGENDA_HISTORY = 10;

/**
 * Meetings from these timelines started before `before`, newest first, up to `limit` of
 * those `accept` keeps: the timelines give ids, the records are read by id.
 */
export async function fromTimelines(
  kit: MeetingsKit,
  ctx: TenantContext,
  owners: readonly string[],
  before: Date | undefined,
  limit: number,
  accept: (meeting: MeetingDoc) => boolean,
): Promise<MeetingDoc[]> {
  const { Meetings, lists } = await kit.models(ctx);
  for (let enough = limit; ; enough *= 2) {
    const ids = await lists.newest(owners, before, enough);
    const kept: MeetingDoc[] = [];
    // Read in pages of the limit: most pages are all kept.
    for (let i = 0; i < ids.length && kept.length < limit; i += limit) {
      const page = await findByIds(Meetings, ids.slice(i, i + limit), { description: 0 });
      kept.push(
        ...page.filter((m) => !m.deletion && (!before || m.startsAt < before) && accept(m)),
      );
    }
    if (kept.length >= limit || ids.length < enough) {
      return kept.sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime()).slice(0, limit);
    }
  }
}
