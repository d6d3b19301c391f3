// A meeting record's title is stored sealed (core/privacy/sealed-titles.ts); these open it for
// those shown it. A title that cannot be opened is "unreadable", like any sealed content.
import type { TenantContext } from '../../store/tenant-context.ts';
import type { MeetingsKit } from '../kit.ts';
import type { MeetingDoc } from '../models.ts';
import { readable } from './reading.ts';

/** The meetings with their titles opened (one AES-GCM operation each, one key for all). */
export function openTitles<T extends Pick<MeetingDoc, '_id' | 'title'>>(
  kit: MeetingsKit,
  ctx: TenantContext,
  meetings: readonly T[],
): Promise<T[]> {
  return readable('title', () => kit.titles.openAll(ctx, meetings));
}

export async function openTitle<T extends Pick<MeetingDoc, '_id' | 'title'>>(
  kit: MeetingsKit,
  ctx: TenantContext,
  meeting: T,
): Promise<T> {
  return readable('title', () => kit.titles.open(ctx, meeting));
}

/** The title alone, opened. */
export async function titleOf(
  kit: MeetingsKit,
  ctx: TenantContext,
  meeting: Pick<MeetingDoc, '_id' | 'title'>,
): Promise<string> {
  return (await openTitle(kit, ctx, meeting)).title;
}
