// `/meet connect`: who Quorum takes the Slack user to be, their calendars, and the buttons to
// Quorum's pages to link an account (a signed, short-lived link) or connect a calendar.
import type { webApi } from '@slack/bolt';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import type { SlackMessage } from '../render/help.ts';
import { actions, button, escapeText, section } from '../render/limits.ts';
import { connectCalendarButtons } from '../render/notices.ts';
import { connectUrl, type Caller, type SlackDeps } from '../middleware/context.ts';

export async function connectMessage(
  deps: SlackDeps,
  client: webApi.WebClient,
  caller: Caller,
): Promise<SlackMessage> {
  const url = await connectUrl(deps, caller);
  const tenantId = await deps.workspaces.tenantOf(caller.teamId);
  const found = tenantId
    ? await deps.people.quorumUser(client, { teamId: caller.teamId, tenantId }, caller.slackUserId)
    : undefined;
  if (!tenantId || !found?.user) {
    return {
      text: 'Connect your Quorum account',
      blocks: [
        section(
          'Link your Slack account to your Quorum account, so you can schedule from here with your own calendar. The link is yours alone and works for 15 minutes.',
        ),
        actions([button('Connect Quorum', 'quorum.connect.open', { url, style: 'primary' })]),
      ],
    };
  }
  const user = found.user;
  const ctx = verifiedTenantContext(tenantId, 'installation', user._id);
  const calendars = await deps.calendars.list(ctx, user._id);
  const lines = calendars.map(
    (c) =>
      `• ${c.provider}: ${escapeText(c.accountEmail)}${c.status === 'connected' ? '' : ` — :warning: ${escapeText(c.problem ?? 'needs reconnecting')}`}`,
  );
  return {
    text: `You are connected to Quorum as ${user.name}`,
    blocks: [
      section(
        `:white_check_mark: You are connected to Quorum as *${escapeText(user.name)}* (${escapeText(user.email)}).`,
      ),
      section(
        calendars.length > 0
          ? `*Calendars*\n${lines.join('\n')}`
          : 'No calendar connected yet: Quorum uses its own calendar for you until you connect one.',
      ),
      actions([
        ...connectCalendarButtons(deps.baseUrl, deps.calendars.oauthProviders),
        button('Link another Quorum account', 'quorum.connect.open', { url }),
      ]),
    ],
  };
}
