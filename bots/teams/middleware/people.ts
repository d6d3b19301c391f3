// Who a command is about: the people mentioned in a Teams message (their mention entities say
// who each <at>name</at> is) or named by email, resolved through the directory to attendees.
import { attendeesWithout } from '../../../core/assistant/index.ts';
import type { Mention, ParsedCommand } from '../../../core/scheduling/command-text/index.ts';
import type { Asker, TeamsActivity as Activity, TeamsDeps } from './context.ts';

interface MentionEntity {
  type: 'mention';
  text?: string;
  mentioned: { id: string; name?: string };
}

export function mentionsOf(activity: Activity): MentionEntity[] {
  return ((activity.entities ?? []) as unknown as Array<Partial<MentionEntity>>).filter(
    (e): e is MentionEntity =>
      e.type === 'mention' && typeof e.mentioned?.id === 'string' && e.mentioned.id !== '',
  );
}

export const decode = (s: string) =>
  s
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

// "optional" before people marks them as optional: "with @ana optional @raj".
const OPTIONAL_PART = /\boptional(?:ly)?:?\s+(.*)$/is;

export async function peopleOf(
  deps: TeamsDeps,
  asker: Asker,
  activity: Activity,
  parsed: ParsedCommand,
  text: string,
) {
  const optionalText = OPTIONAL_PART.exec(text)?.[1] ?? '';
  const entities = mentionsOf(activity).filter((m) => m.mentioned.id !== activity.recipient.id);
  const where = {
    msTenantId: asker.msTenantId,
    tenantId: asker.tenantId,
    conversationId: asker.conversationId,
  };
  const attendees: Array<{ email: string; name?: string; optional: boolean }> = [];
  const unresolved: string[] = [];
  for (const mention of parsed.attendees as Mention[]) {
    if (mention.kind === 'email') {
      attendees.push({
        email: mention.email,
        optional: optionalText.toLowerCase().includes(mention.email),
      });
      continue;
    }
    // The parser read "<at>Ana Lopez</at>"; the activity's mention entity says who that is.
    const tag = `<at>${mention.ref}</at>`;
    const entity = entities.find(
      (e) => decode(e.text ?? '') === tag || (e.mentioned.name ?? '').trim() === mention.ref,
    );
    const person = entity
      ? await deps.directory.attendee(asker.api, where, {
          id: entity.mentioned.id,
          name: entity.mentioned.name ?? mention.ref,
        })
      : undefined;
    if (!person) {
      unresolved.push(`@${mention.ref}`);
      continue;
    }
    attendees.push({ ...person, optional: optionalText.includes(tag) });
  }
  return { attendees: attendeesWithout(asker.user.email, attendees), unresolved };
}
