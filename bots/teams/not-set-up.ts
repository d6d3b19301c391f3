// What the Teams meeting tab's address says on a Quorum without the Teams bot: what the panel is
// and the settings (from config.ts) that turn it on. infra/server mounts it when Teams is off.
import type { NotSetUpPage } from '../../infra/http/unconfigured-pages.ts';
import { TEAMS_REQUIRED_SETTINGS } from './config.ts';
import { PANEL_PATH } from './listeners/panel.ts';

export const teamsNotSetUp: NotSetUpPage = {
  // The meeting side panel; its configuration page is the same path with ?mode=config.
  paths: [PANEL_PATH],
  title: 'Quorum for Microsoft Teams',
  product: 'Microsoft Teams',
  what: 'Quorum’s side panel in Teams meetings: the agenda, the open action items and scheduling a follow-up, inside the meeting.',
  settings: TEAMS_REQUIRED_SETTINGS,
  then: 'Then they upload the Teams app package made by “npx quorum manifests” (the README’s “Microsoft Teams” section lists every step).',
};
