// The meeting an invite follows on from (same people), through GET /api/meetings/previous.
import type { ActionItemView, SummaryView } from '../../../infra/ui/types.ts';
import { paneApi } from './auth.ts';

export interface PreviousMeeting {
  id: string;
  title: string;
  startsAt: string;
  summary: SummaryView | null;
  actionItems: ActionItemView[];
}

export async function previousMeeting(
  emails: string[],
  before: Date,
): Promise<PreviousMeeting | null> {
  const query = new URLSearchParams({
    attendees: [...new Set(emails.map((e) => e.toLowerCase()))].join(','),
    before: before.toISOString(),
  });
  const { meeting } = await paneApi<{ meeting: PreviousMeeting | null }>(
    `/api/meetings/previous?${query.toString()}`,
  );
  return meeting;
}
