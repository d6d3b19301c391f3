// What Zoom's browser addresses say on a Quorum without the Zoom app: what the panel is and the
// settings (from config.ts) that turn it on. infra/server mounts it when Zoom is off.
import type { NotSetUpPage } from '../../infra/http/unconfigured-pages.ts';
import { PANEL_PATH } from './app-definition.ts';
import { ZOOM_REQUIRED_SETTINGS } from './config.ts';
import { CONNECT_PATH } from './listeners/linking.ts';

export const zoomNotSetUp: NotSetUpPage = {
  // The panel (the app's home URL) and the browser page that links a Zoom account.
  paths: [PANEL_PATH, CONNECT_PATH],
  title: 'Quorum for Zoom',
  product: 'Zoom',
  what: 'Quorum’s panel inside Zoom meetings: the agenda, the live transcript and scheduling a follow-up, without leaving the meeting; after the meeting, its summary and action items.',
  settings: ZOOM_REQUIRED_SETTINGS,
  then: 'Then they add Quorum’s Zoom app to their Zoom account (the README’s “Zoom” section lists every step).',
};
