// A stand-in for the Teams client in Chromium tests: a top-level page at Teams' own origin that
// frames a Quorum page and answers @microsoft/teams-js over window.postMessage the way the Teams
// host does (as read in teams-js 2.x's communication layer):
// - the app sends requests { id, uuidAsString, func, args, timestamp, apiVersionTag, … };
// - the host replies to the same window with { id, uuidAsString, args } (teams-js matches the
//   uuid, else the legacy numeric id) — `initialize` is first, posted to any origin; teams-js
//   queues everything else until that reply tells it the host's origin;
// - the host calls the app's handlers (e.g. 'settings.save') with { func, args }.
// Answers: initialize → [frameContext, hostClientType, supported SDK version, runtime config
// JSON]; getContext → [the legacy flat context: meetingId, userObjectId, tid, …]; registerHandler
// (for events such as themeChange) needs no reply;
// authentication.getAuthToken → [true, token] or [false, reason]; settings.setSettings → [true].
// The page is served by Playwright's router at https://teams.microsoft.com (one of the origins
// Quorum's frame-ancestors lists and teams-js trusts), so the production CSP and teams-js's
// origin check are exercised as in Teams; every other request off this machine is refused.
// The frame is as wide as Teams' meeting side panel (320px).
import { readFileSync } from 'node:fs';
import type { BrowserContext, Frame, Page } from 'playwright-core';

export const TEAMS_HOST_ORIGIN = 'https://teams.microsoft.com';
const HOST_PATH = '/v2/stand-in';

/** The teams-js version the stand-in host says it supports: that of the installed teams-js. */
export const HOST_SDK_VERSION = (
  JSON.parse(
    readFileSync(
      new URL('../../node_modules/@microsoft/teams-js/package.json', import.meta.url),
      'utf8',
    ),
  ) as { version: string }
).version;

export interface TeamsHostConfig {
  /** The Quorum page to frame, e.g. `${app.url}/teams/panel`. */
  appUrl: string;
  frameContext: 'sidePanel' | 'meetingStage' | 'settings' | 'content';
  hostClientType?: 'web' | 'desktop';
  /** The legacy context teams-js turns into app.Context (field names as Teams sends them). */
  context: {
    tid: string;
    userObjectId: string;
    loginHint: string;
    userPrincipalName?: string;
    userDisplayName?: string;
    meetingId?: string;
    chatId?: string;
    locale?: string;
    theme?: 'default' | 'dark' | 'contrast';
  };
  /** getAuthToken's answer: a token (Teams SSO), or the reason Teams gives when it has none. */
  authToken: { token: string } | { error: string };
}

export interface TeamsHostMessage {
  func: string;
  args: unknown[];
  apiVersionTag?: string;
  answered: boolean;
}

/** Runs in the host page (stringified): frames the app and answers teams-js. */
function host(config: TeamsHostConfig, sdkVersion: string): void {
  // The page's DOM, typed as far as used here (the server tsconfig has no DOM library).
  interface AppWindow {
    postMessage(message: unknown, targetOrigin: string): void;
  }
  const w = globalThis as unknown as Record<string, unknown> & {
    document: { getElementById(id: string): { contentWindow: AppWindow | null } };
    addEventListener(
      type: 'message',
      listener: (event: { source: unknown; origin: string; data: unknown }) => void,
    ): void;
  };
  const received: Array<Record<string, unknown>> = [];
  const frame = w.document.getElementById('app');
  const appOrigin = new URL(config.appUrl).origin;
  // What this host supports (runtime API version 4, the one teams-js 2.x expects).
  const runtime = {
    apiVersion: 4,
    hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
    isNAAChannelRecommended: false,
    supports: {
      appInstallDialog: {},
      call: {},
      chat: {},
      conversations: {},
      dialog: { card: { bot: {} }, url: { bot: {}, parentCommunication: {} }, update: {} },
      interactive: {},
      meeting: {},
      pages: { appButton: {}, backStack: {}, config: {}, currentApp: {}, fullTrust: {}, tabs: {} },
      sharing: {},
      teamsCore: {},
    },
  };
  const legacyContext = {
    ...config.context,
    frameContext: config.frameContext,
    hostClientType: config.hostClientType ?? 'web',
    hostName: 'Teams',
    locale: config.context.locale ?? 'en-us',
    theme: config.context.theme ?? 'default',
    appSessionId: crypto.randomUUID(),
    sessionId: crypto.randomUUID(),
    userPrincipalName: config.context.userPrincipalName ?? config.context.loginHint,
  };
  const answers: Record<string, () => unknown[]> = {
    initialize: () => [
      config.frameContext,
      config.hostClientType ?? 'web',
      sdkVersion,
      JSON.stringify(runtime),
    ],
    getContext: () => [legacyContext],
    'authentication.getAuthToken': () =>
      'token' in config.authToken
        ? [true, config.authToken.token]
        : [false, config.authToken.error],
    'settings.setSettings': () => [true],
  };
  const post = (message: Record<string, unknown>) =>
    frame.contentWindow?.postMessage(message, appOrigin);
  w.addEventListener('message', (event) => {
    // Only the framed app, from its own origin, as Teams checks.
    if (event.source !== frame.contentWindow || event.origin !== appOrigin) return;
    const data = event.data as Record<string, unknown> | null;
    if (!data || typeof data.func !== 'string') return;
    const answer = answers[data.func];
    // Registering for events (themeChange…) wants no reply: Teams just sends the events.
    const notice = data.func === 'registerHandler';
    received.push({
      func: data.func,
      args: data.args,
      apiVersionTag: data.apiVersionTag,
      answered: !!answer || notice,
    });
    if (answer) post({ id: data.id, uuidAsString: data.uuidAsString, args: answer() });
  });
  w.__teamsHost = {
    received,
    /** As Teams does when the user selects Save on the tab's configuration page. */
    save() {
      post({ func: 'settings.save', args: [{ webhookUrl: undefined }] });
    },
    /** As Teams does when the person switches its theme. */
    themeChange(theme: string) {
      post({ func: 'themeChange', args: [theme] });
    },
  };
}

/** JSON safe inside an inline <script>. */
const inline = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function hostPage(config: TeamsHostConfig): string {
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Microsoft Teams (stand-in)</title></head>
  <body style="margin:0">
    <main>
      <iframe id="app" title="Quorum" src="${config.appUrl}" style="border:0;width:320px;height:800px"></iframe>
    </main>
    <script>(${host.toString()})(${inline(config)}, ${inline(HOST_SDK_VERSION)});</script>
  </body>
</html>`;
}

export interface TeamsHost {
  page: Page;
  /** The framed Quorum page. */
  app(): Frame;
  /** What the app asked the host, in order. */
  received(): Promise<TeamsHostMessage[]>;
  /** Presses Save on the configuration page (frame context 'settings'). */
  save(): Promise<void>;
  /** Switches the Teams theme, as the person does in Teams' settings. */
  themeChange(theme: 'default' | 'dark' | 'contrast'): Promise<void>;
}

/**
 * Opens `config.appUrl` inside the stand-in Teams host, in a new page of `context`. Requests
 * to hosts other than this machine are refused (nothing leaves the machine).
 */
export async function openInTeams(
  context: BrowserContext,
  config: TeamsHostConfig,
): Promise<TeamsHost> {
  const hostUrl = `${TEAMS_HOST_ORIGIN}${HOST_PATH}`;
  await context.route(
    (url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost',
    (route) =>
      route.request().url() === hostUrl
        ? route.fulfill({ contentType: 'text/html; charset=utf-8', body: hostPage(config) })
        : route.abort('blockedbyclient'),
  );
  // Teams on the internet framing Quorum on this machine is a public page reaching the local
  // network, which Chromium lets only a page granted that permission do; real Teams frames a
  // public Quorum, so the grant only puts the test's topology right.
  await context.grantPermissions(['local-network-access'], { origin: TEAMS_HOST_ORIGIN });
  const page = await context.newPage();
  await page.goto(hostUrl);
  const appOrigin = new URL(config.appUrl).origin;
  return {
    page,
    app() {
      const found = page
        .frames()
        .find((f) => f !== page.mainFrame() && f.url().startsWith(appOrigin));
      if (!found) throw new Error(`The Teams host stand-in has not framed ${config.appUrl}.`);
      return found;
    },
    received: () =>
      page.evaluate(
        () =>
          (globalThis as unknown as { __teamsHost: { received: TeamsHostMessage[] } }).__teamsHost
            .received,
      ),
    save: () =>
      page.evaluate(() =>
        (globalThis as unknown as { __teamsHost: { save(): void } }).__teamsHost.save(),
      ),
    themeChange: (theme) =>
      page.evaluate(
        (name) =>
          (
            globalThis as unknown as { __teamsHost: { themeChange(theme: string): void } }
          ).__teamsHost.themeChange(name),
        theme,
      ),
  };
}
