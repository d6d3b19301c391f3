// The "Schedule with Quorum" message shortcut: times for the people of that thread.
import type { App, MessageShortcut, webApi } from '@slack/bolt';
import { callerOf, whoIsAsking, type SlackDeps } from '../middleware/context.ts';
import { attendeesWithout, proposeTimes } from './find.ts';
import { later, postToResponseUrl, type Reply } from './shared.ts';

export const SHORTCUT_ID = 'quorum_schedule_thread';
const DEFAULT_MINUTES = 30;

/** Everyone who wrote in the thread (bots aside), or the message's author when it cannot be read. */
async function threadPeople(
  client: webApi.WebClient,
  channel: string,
  threadTs: string,
  author: string | undefined,
): Promise<{ ids: string[]; note: string | null }> {
  try {
    const replies = await client.conversations.replies({ channel, ts: threadTs, limit: 200 });
    const ids = (replies.messages ?? []).flatMap((m) => (m.user && !m.bot_id ? [m.user] : []));
    return { ids: [...new Set(ids)], note: null };
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error ?? 'unknown';
    return {
      ids: author ? [author] : [],
      note: `I could not read the whole thread (${code}), so only the message's author is included. Add Quorum to the channel to include everyone.`,
    };
  }
}

export function registerShortcut(app: App, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>(SHORTCUT_ID, async ({ ack, shortcut, client }) => {
    await ack();
    const tell: Reply = (message) =>
      postToResponseUrl(shortcut.response_url, { response_type: 'ephemeral', ...message });
    later(deps, tell, async () => {
      const who = await whoIsAsking(deps, client, callerOf(shortcut));
      if (!who.ok) {
        await tell(who.message);
        return;
      }
      const asker = who.asker;
      const threadTs = (shortcut.message.thread_ts as string | undefined) ?? shortcut.message.ts;
      const { ids, note } = await threadPeople(
        client,
        shortcut.channel.id,
        threadTs,
        shortcut.message.user,
      );
      const resolved = await deps.people.attendees(
        client,
        asker.ws,
        ids.filter((id) => id !== asker.slackUserId).map((ref) => ({ kind: 'user' as const, ref })),
      );
      const now = new Date();
      await tell(
        await proposeTimes(deps, asker, {
          attendees: attendeesWithout(
            asker.user.email,
            resolved.people.map((p) => ({
              email: p.email,
              ...(p.name ? { name: p.name } : {}),
              optional: false,
            })),
          ),
          unresolved: resolved.unresolved,
          durationMinutes: DEFAULT_MINUTES,
          window: { start: now, end: new Date(now.getTime() + 7 * 86_400_000) },
          title: null,
          channelId: shortcut.channel.id,
          threadTs,
          describe: `${DEFAULT_MINUTES} min with the people of this thread, in the next 7 days`,
          notes: note ? [note] : [],
        }),
      );
    });
  });
}
