// The adapters' own settings as one part of the configuration: Slack, Zoom and Teams, each
// declared in its adapter's config.ts. (The Outlook add-in and the web app have none.)
import { z } from 'zod';
import type { ConfigSection } from '../../core/config.ts';
import { zoomConfig } from '../../addins/zoom/config.ts';
import { slackConfig } from '../../bots/slack/config.ts';
import { teamsConfig } from '../../bots/teams/config.ts';

export type AdapterSettings = Exclude<ReturnType<typeof slackConfig.settings>, string> &
  Exclude<ReturnType<typeof zoomConfig.settings>, string> &
  Exclude<ReturnType<typeof teamsConfig.settings>, string>;

const schema = z.object({
  ...slackConfig.schema.shape,
  ...zoomConfig.schema.shape,
  ...teamsConfig.schema.shape,
});

export const adaptersConfig: ConfigSection<typeof schema.shape, AdapterSettings> = {
  schema,
  secrets: [...slackConfig.secrets, ...zoomConfig.secrets, ...teamsConfig.secrets],
  settings(e) {
    // In this order, as before the split: Slack's problem first, then Zoom's, then Teams'.
    const slack = slackConfig.settings(e);
    if (typeof slack === 'string') return slack;
    const zoom = zoomConfig.settings(e);
    if (typeof zoom === 'string') return zoom;
    const teams = teamsConfig.settings(e);
    if (typeof teams === 'string') return teams;
    return { ...slack, ...zoom, ...teams };
  },
};
