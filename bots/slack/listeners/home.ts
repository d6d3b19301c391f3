// App Home: published when the person opens it and after they change their settings.
import type { App, BlockButtonAction, ViewSubmitAction, types, webApi } from '@slack/bolt';
import { userSettingsInput, saveUserSettings } from '../../../core/identity/user-settings.ts';
import { acceptableFromNever } from '../../../core/identity/never-hours.ts';
import {
  ANY_TIME,
  EDIT_SETTINGS_ACTION,
  SETTINGS_VIEW,
  homeView,
  notLinkedHome,
  settingsModal,
} from '../render/home.ts';
import {
  callerOf,
  connectUrl,
  whoIsAsking,
  type Caller,
  type SlackDeps,
} from '../middleware/context.ts';
import { later, type Reply } from './shared.ts';
import type { SlackMessage } from '../render/help.ts';

const RECENT_SUMMARIES = 3;

export async function publishHome(
  deps: SlackDeps,
  client: webApi.WebClient,
  caller: Caller,
): Promise<void> {
  const who = await whoIsAsking(deps, client, caller);
  if (!who.ok) {
    await client.views.publish({
      user_id: caller.slackUserId,
      view: notLinkedHome(await connectUrl(deps, caller)),
    });
    return;
  }
  const { ctx, user, settings } = who.asker;
  const [calendars, upcoming, summaries] = await Promise.all([
    deps.calendars.list(ctx, user._id),
    deps.bookings.listFor(ctx, user._id, { from: new Date(), limit: 10 }),
    recentSummaries(deps, who.asker),
  ]);
  await client.views.publish({
    user_id: caller.slackUserId,
    view: homeView({
      name: user.name,
      calendars,
      providers: deps.calendars.oauthProviders,
      upcoming,
      summaries,
      settings,
      baseUrl: deps.baseUrl,
    }),
  });
}

async function recentSummaries(
  deps: SlackDeps,
  asker: {
    ctx: Parameters<NonNullable<SlackDeps['meetings']>['get']>[0];
    user: { _id: string; email: string; name: string };
  },
) {
  if (!deps.meetings) return null;
  const actor = {
    kind: 'user' as const,
    userId: asker.user._id,
    email: asker.user.email,
    name: asker.user.name,
  };
  const ready = (
    await deps.meetings.listMine(
      asker.ctx,
      { userId: asker.user._id, email: asker.user.email },
      { limit: 20 },
    )
  )
    .filter((m) => m.status === 'ready')
    .slice(0, RECENT_SUMMARIES);
  const views = await Promise.all(
    ready.map((m) => deps.meetings!.get(asker.ctx, actor, m.id).catch(() => undefined)),
  );
  return views.flatMap((v) =>
    v?.summary ? [{ title: v.title, startsAt: v.startsAt, summary: v.summary.summary }] : [],
  );
}

/** Home has no response_url: a problem is told in the app's messages tab. */
function directMessage(client: webApi.WebClient, slackUserId: string): Reply {
  return async (message) => {
    await client.chat.postMessage({
      channel: slackUserId,
      text: message.text,
      blocks: message.blocks,
    });
  };
}

function noticeModal(message: SlackMessage): types.ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Quorum' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: message.blocks,
  };
}

type SettingsValues = ViewSubmitAction['view']['state']['values'];

/**
 * The never-hours menus as acceptable hours: null for "No limit" twice; undefined when the modal
 * had no such menus (one opened before they existed), so the saved hours are kept.
 */
function neverHoursOf(values: SettingsValues) {
  const before = values.never_before?.value?.selected_option?.value;
  const after = values.never_after?.value?.selected_option?.value;
  if (before === undefined && after === undefined) return undefined;
  const answer = (v: string | undefined) => (v && v !== ANY_TIME ? v : '');
  return acceptableFromNever({ before: answer(before), after: answer(after) });
}

/** The settings modal as Quorum's settings; problems per field, in Slack's error form. */
export function readSettings(values: SettingsValues) {
  const days = (values.days?.value?.selected_options ?? []).map((o) => o.value);
  const candidate = {
    timeZone: values.tz?.value?.value?.trim() ?? '',
    workingHours: [
      {
        days,
        start: values.start?.value?.selected_time ?? '',
        end: values.end?.value?.selected_time ?? '',
      },
    ],
    defaultLinkType: values.link?.value?.selected_option?.value ?? 'none',
    acceptableHours: neverHoursOf(values),
  };
  const parsed = userSettingsInput.safeParse(candidate);
  if (parsed.success) return { settings: parsed.data, errors: undefined };
  const blockOf: Record<string, string> = {
    timeZone: 'tz',
    days: 'days',
    start: 'start',
    end: 'end',
    defaultLinkType: 'link',
  };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    if (issue.path[0] === 'acceptableHours') {
      // "never after" equal to "never before" leaves no hour at all.
      errors[issue.path[1] === 'start' ? 'never_before' : 'never_after'] ??=
        'Choose a different time from “never before”, or “No limit”.';
      continue;
    }
    const field = [...issue.path].reverse().find((p) => typeof p === 'string' && p in blockOf);
    const block = blockOf[String(field ?? 'timeZone')] ?? 'tz';
    errors[block] ??= issue.path.includes('days')
      ? 'Choose at least one working day.'
      : issue.message;
  }
  return { settings: undefined, errors };
}

export function registerHome(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const teamId = (body as { team_id?: string }).team_id ?? '';
    later(deps, directMessage(client, event.user), () =>
      publishHome(deps, client, {
        teamId,
        slackUserId: event.user,
        slackName: event.user,
        teamName: teamId,
      }),
    );
  });

  app.action<BlockButtonAction>(EDIT_SETTINGS_ACTION, async ({ ack, body, client }) => {
    await ack();
    // Opened at once: the trigger_id lasts 3 seconds. Home has no response_url, so whatever
    // stands in the way is said in the modal itself.
    const who = await whoIsAsking(deps, client, callerOf(body));
    await client.views.open({
      trigger_id: body.trigger_id,
      view: who.ok ? settingsModal(who.asker.settings) : noticeModal(who.message),
    });
  });

  app.view<ViewSubmitAction>(SETTINGS_VIEW, async ({ ack, body, view, client }) => {
    const read = readSettings(view.state.values);
    if (read.errors) {
      await ack({ response_action: 'errors', errors: read.errors });
      return;
    }
    const settings = read.settings;
    await ack();
    const caller: Caller = {
      teamId: body.team?.id ?? body.user.team_id ?? '',
      slackUserId: body.user.id,
      slackName: body.user.name,
      teamName: body.team?.domain ?? '',
    };
    later(deps, directMessage(client, caller.slackUserId), async () => {
      const who = await whoIsAsking(deps, client, caller);
      if (!who.ok) {
        await directMessage(client, caller.slackUserId)(who.message);
        return;
      }
      await saveUserSettings(deps.scheduling.store, who.asker.ctx, who.asker.user._id, settings);
      await deps.audit.append(who.asker.ctx, {
        action: 'settings.changed',
        actor: `user:${who.asker.user._id}`,
        target: `user:${who.asker.user._id}`,
        details: {
          changed: ['timeZone', 'workingHours', 'acceptableHours', 'defaultLinkType'],
          via: 'slack',
        },
      });
      await publishHome(deps, client, caller);
    });
  });
}
