// The engines this deployment has for turning a source into a transcript and a summary: what
// a tenant's meeting settings may choose, and what it gets when it chose nothing.
import type { MeetingsKit } from '../kit.ts';
import type { MeetingSettings } from '../settings.ts';

/** Engines that can transcribe a recording here: what the tenant setting may choose. */
export function recordingEngines(kit: MeetingsKit): string[] {
  return kit.deps.transcribers.filter((t) => t.accepts.has('audio-file')).map((t) => t.engine);
}

export function summaryEngines(kit: MeetingsKit): string[] {
  return [kit.deps.summarizer, ...(kit.deps.summarizers ?? [])].map((s) => s.engine);
}

/** What a tenant that chose nothing gets here: the best engines configured. */
export function settingsDefaults(kit: MeetingsKit): MeetingSettings {
  return { ...kit.defaults };
}
