// The bot's listeners, registered on the Teams SDK's router (as microsoft/teams.ts routes
// activities): messages (commands and the Action.Submit fallback), card buttons, the silent
// sign-in of "connect", meeting start and end, and the install greeting.
import type { App } from '@microsoft/teams.apps';
import type { JobRunner } from '../../../core/jobs/runner.ts';
import type { TeamsActivity as Activity, TeamsDeps } from '../middleware/context.ts';
import type { ExchangeOutcome } from '../middleware/sign-in.ts';
import { onCardAction } from './actions.ts';
import { onMessage } from './commands.ts';
import { onTokenExchange } from './connect.ts';
import { onInstalled } from './help.ts';
import { meetingEnded, onMeetingStart } from './meetings.ts';

export interface ListenerDeps {
  teams: TeamsDeps;
  /** Enqueues the transcript job at meetingEnd. */
  queue: Pick<JobRunner, 'now'>;
  exchangeToken(activity: Activity): Promise<ExchangeOutcome>;
}

export function registerListeners(app: App, deps: ListenerDeps): void {
  const { teams } = deps;
  app.on('message', (context) => onMessage(teams, context));
  app.on('card.action', (context) =>
    onCardAction(teams, context.activity as Activity, context.api),
  );
  app.on('signin.token-exchange', (context) => onTokenExchange(teams, context, deps.exchangeToken));
  app.on('meetingStart', (context) => onMeetingStart(teams, context));
  app.on('meetingEnd', async (context) => {
    await meetingEnded(teams, context.activity as Activity, context.api, deps.queue);
  });
  app.on('install.add', (context) => onInstalled(context));
}
