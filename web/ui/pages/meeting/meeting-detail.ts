// A meeting as its page reads it, and its Markdown download.
import { actionItemText } from '../../../../infra/ui/MeetingSummary.tsx';
import { formatRange } from '../../../../infra/ui/time.ts';
import type { ActionItemView, SummaryView } from '../../../../infra/ui/types.ts';

export interface MeetingDetail {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  status: 'scheduled' | 'queued' | 'transcribing' | 'summarizing' | 'ready' | 'failed';
  timeZone: string;
  participants: Array<{ email: string; name?: string | null }>;
  failure: { reason: string; at: string } | null;
  engine: string | null;
  transcript: Array<{
    index: number;
    speaker: string;
    startMs: number;
    endMs: number;
    text: string;
  }>;
  summary: SummaryView | null;
  actionItems: ActionItemView[];
  recording: { deletedAt: string; certificateId: string | null } | null;
}

export const WORKING = ['queued', 'transcribing', 'summarizing'];
export const STEP: Record<string, { label: string; value: number }> = {
  scheduled: { label: 'Waiting for a recording', value: 0 },
  queued: { label: 'Queued for transcription', value: 0.2 },
  transcribing: { label: 'Transcribing', value: 0.5 },
  summarizing: { label: 'Summarizing', value: 0.85 },
  ready: { label: 'Ready', value: 1 },
  failed: { label: 'Failed', value: 1 },
};

export function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** The meeting as Markdown: what someone would paste into notes. */
export function meetingMarkdown(m: MeetingDetail): string {
  const lines = [
    `# ${m.title}`,
    '',
    `${formatRange(m.startsAt, m.endsAt, m.timeZone)} (${m.timeZone})`,
    '',
  ];
  if (m.summary) {
    lines.push('## Summary', '', ...m.summary.summary.map((s) => `- ${s}`), '');
    if (m.summary.decisions.length)
      lines.push('## Decisions', '', ...m.summary.decisions.map((s) => `- ${s}`), '');
  }
  if (m.actionItems.length)
    lines.push(
      '## Action items',
      '',
      ...m.actionItems.map((a) => `- [${a.done ? 'x' : ' '}] ${actionItemText(a)}`),
      '',
    );
  if (m.transcript.length)
    lines.push(
      '## Transcript',
      '',
      ...m.transcript.map((t) => `**${t.speaker}** [${clock(t.startMs)}]: ${t.text}  `),
      '',
    );
  return lines.join('\n');
}
