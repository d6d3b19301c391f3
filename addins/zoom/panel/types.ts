// Shapes of Quorum's API the panel reads (JSON: dates are ISO strings).
import type { ActionItemView, AgendaItemView, SummaryView } from '../../../infra/ui/types.ts';

export interface BookingView {
  _id: string;
  title: string;
  start: string;
  end: string;
  organizerEmail: string;
  attendees: Array<{ email: string; name?: string; optional: boolean }>;
  linkType: string;
  joinUrl: string | null;
  status: string;
}

export interface MeetingView {
  id: string;
  title: string;
  status: string;
  bookingId: string | null;
  participants: Array<{ email: string; name: string | null }>;
  summary: SummaryView | null;
  actionItems: ActionItemView[];
}

export interface AgendaView {
  agenda: AgendaItemView[];
}

export const LINK_CHOICES = [
  { value: 'zoom', label: 'Zoom' },
  { value: 'teams', label: 'Microsoft Teams' },
  { value: 'meet', label: 'Google Meet' },
  { value: 'none', label: 'No online meeting' },
] as const;
export type LinkChoice = (typeof LINK_CHOICES)[number]['value'];
