// How the web app is reached. Its pages: the one built page (web/ui) at every path a person or a
// link opens — the app, public booking pages, poll links, the certificate check — and the built
// assets under /ui. Its JSON API is the listeners (listeners/*), mounted by infra/server; live
// meeting audio arrives as WebSocket upgrades on the same HTTP server.
import type http from 'node:http';
import { Router } from 'express';
import { sendUiPage, uiAssets } from '../infra/http/ui-pages.ts';
import {
  liveAudioServer,
  type LiveAudioDeps,
  type LiveAudioServer,
} from './listeners/live-audio.ts';

const WEB_APP_PAGE = 'web/ui/index.html';

/** The built assets, then the page at each path it answers (the app routes on the client). */
export function webAppPages(): Router {
  const router = Router();
  router.use('/ui', uiAssets());
  router.get(['/', '/app', '/app/{*rest}'], (_req, res) => sendUiPage(res, WEB_APP_PAGE));
  // The web app's public pages: booking pages, poll links, the certificate check.
  router.get(['/book/:slug', '/polls/:id', '/verify'], (_req, res) =>
    sendUiPage(res, WEB_APP_PAGE),
  );
  return router;
}

/** Live meeting audio: WebSocket upgrades on the one HTTP server. */
export function acceptLiveAudio(server: http.Server, deps: LiveAudioDeps): LiveAudioServer {
  const live = liveAudioServer(deps);
  server.on('upgrade', (req, socket, head) => live.handleUpgrade(req, socket, head));
  return live;
}
