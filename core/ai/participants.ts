// Matches the names people say and the speaker labels a transcript carries to the meeting's
// participants, so action items are owned by a participant's display name.
import { isAnonymousSpeaker } from '../speech/segment.ts';
import type { Participant } from './summarizer.ts';

export class ParticipantDirectory {
  /** Lower-cased name, first name, alias or e-mail → the display names it could mean. */
  readonly #byKey = new Map<string, Set<string>>();
  /** Names as people write them, longest first, for finding them in text. */
  readonly spokenNames: string[];

  constructor(participants: readonly Participant[]) {
    const spoken = new Set<string>();
    for (const p of participants) {
      const name = p.name.trim();
      if (name === '') continue;
      const first = name.split(/\s+/)[0]!;
      const keys = [name, first, ...(p.aliases ?? [])];
      for (const key of keys) spoken.add(key.trim());
      if (p.email) keys.push(p.email, p.email.split('@')[0]!);
      for (const key of keys) {
        const k = key.trim().toLowerCase();
        if (k === '') continue;
        const names = this.#byKey.get(k) ?? new Set<string>();
        names.add(name);
        this.#byKey.set(k, names);
      }
    }
    this.spokenNames = [...spoken]
      .filter((n) => n !== '')
      .sort((a, b) => b.length - a.length || a.localeCompare(b));
  }

  /** The one participant a name means, or null when it means nobody or several people. */
  resolve(name: string): string | null {
    const names = this.#byKey.get(name.trim().toLowerCase());
    return names?.size === 1 ? [...names][0]! : null;
  }

  /** A spoken name as an owner: the participant it means, else the name as said. */
  ownerNamed(name: string): string {
    return this.resolve(name) ?? name;
  }

  /** A speaker label as an owner: the participant, the label itself, or null for "Speaker 1". */
  ownerSpeaking(speaker: string): string | null {
    return this.resolve(speaker) ?? (isAnonymousSpeaker(speaker) ? null : speaker);
  }
}
