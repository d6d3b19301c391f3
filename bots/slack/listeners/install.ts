// Installing Quorum into many Slack workspaces with Bolt's OAuth flow (@slack/oauth):
// GET /slack/install → Slack's consent screen → GET /slack/oauth_redirect.
//
// Which tenant a workspace joins: the organization of the Quorum administrator who installs it
// (signed in when starting the install; the tenant travels in the signed OAuth state). Someone
// without an organization signs up first, which creates one. A workspace already linked to an
// organization stays with it; reinstalling only renews its bot token.
import { Router, type RequestHandler, type Response } from 'express';
import { InstallProvider, type CallbackOptions } from '@slack/oauth';
import type { Logger as SlackLogger } from '@slack/bolt';
import type { webApi } from '@slack/bolt';
import type { AuditRecorder } from '../../../core/identity/audit-port.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { authOf } from '../../../infra/http/authenticate.ts';
import { escapeHtml, sendPage } from '../pages.ts';
import { BOT_SCOPES } from '../scopes.ts';
import type { InstallDecision, Workspaces } from '../store/workspaces.ts';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

export interface InstallRouteDeps {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  baseUrl: string;
  workspaces: Workspaces;
  audit: AuditRecorder;
  logger: SlackLogger;
  clientOptions: webApi.WebClientOptions;
}

export function slackInstallRoutes(deps: InstallRouteDeps): Router {
  const redirectUri = `${deps.baseUrl}${REDIRECT_PATH}`;
  const installer = new InstallProvider({
    clientId: deps.clientId,
    clientSecret: deps.clientSecret,
    stateSecret: deps.stateSecret,
    installationStore: deps.workspaces.installationStore,
    directInstall: true,
    installUrlOptions: { scopes: [...BOT_SCOPES], redirectUri },
    logger: deps.logger,
    clientOptions: deps.clientOptions,
  });
  const router = Router();
  router.get(INSTALL_PATH, startInstall(deps, installer, redirectUri));
  const callbacks = installCallbacks(deps);
  router.get(REDIRECT_PATH, async (req, res, next) => {
    try {
      await installer.handleCallback(req, res, callbacks);
    } catch (error) {
      next(error);
    }
  });
  return router;
}

/** GET /slack/install: an administrator signed in to Quorum goes on to Slack's consent screen. */
function startInstall(
  deps: InstallRouteDeps,
  installer: InstallProvider,
  redirectUri: string,
): RequestHandler {
  return async (req, res, next) => {
    const auth = authOf(res);
    if (auth?.kind !== 'session' || auth.user.role !== 'admin') {
      sendPage(
        res,
        403,
        'Sign in as an administrator first',
        `<p>Adding Quorum to a Slack workspace links the workspace to your Quorum organization, so an administrator of it starts the install. Sign in to Quorum, then open <a href="${INSTALL_PATH}">${escapeHtml(deps.baseUrl + INSTALL_PATH)}</a> again. No organization yet? Signing up creates one.</p>`,
      );
      return;
    }
    const decision: InstallDecision = { tenantId: auth.user.tenantId };
    try {
      await installer.handleInstallPath(
        req,
        res,
        {},
        {
          scopes: [...BOT_SCOPES],
          redirectUri,
          metadata: JSON.stringify(decision),
        },
      );
    } catch (error) {
      next(error);
    }
  };
}

/** GET /slack/oauth_redirect: which installs are stored, and the pages that answer them. */
function installCallbacks(deps: InstallRouteDeps): CallbackOptions {
  return {
    async afterInstallation(installation, _options, _req, res) {
      const teamId = installation.team?.id;
      const decision = JSON.parse(installation.metadata ?? '{}') as Partial<InstallDecision>;
      const refuse = (title: string, text: string) => {
        sendPage(res as Response, 403, title, `<p>${escapeHtml(text)}</p>`);
        return false;
      };
      if (installation.isEnterpriseInstall || !teamId) {
        return refuse(
          'Install into a workspace',
          'Quorum is installed workspace by workspace, not across an Enterprise Grid organization. Add it to each workspace.',
        );
      }
      if (!decision.tenantId) {
        return refuse('Start again', 'This install was not started from Quorum. Start it again.');
      }
      const existing = await deps.workspaces.find(teamId);
      if (existing && existing.tenantId !== decision.tenantId) {
        return refuse(
          'Another organization’s workspace',
          'This Slack workspace is already linked to another Quorum organization.',
        );
      }
      return true;
    },
    async successAsync(installation, _options, _req, res) {
      const decision = JSON.parse(installation.metadata ?? '{}') as InstallDecision;
      await deps.audit(verifiedTenantContext(decision.tenantId, 'installation'), {
        action: 'integration.installed',
        actor: `slack:${installation.user.id}`,
        target: `slack-workspace:${installation.team?.id ?? ''}`,
        details: { platform: 'slack', scopes: installation.bot?.scopes ?? [] },
      });
      sendPage(
        res as Response,
        200,
        'Quorum is in Slack',
        `<p>Quorum is installed in <strong>${escapeHtml(installation.team?.name ?? installation.team?.id ?? 'your workspace')}</strong>. Everyone there can type <code>/meet help</code>; people are matched to their Quorum accounts by email, or link theirs with <code>/meet connect</code>.</p>`,
      );
    },
    failure(error, _options, _req, res) {
      deps.logger.warn(`Slack install failed: ${error.code}`);
      sendPage(
        res as Response,
        400,
        'The install did not finish',
        `<p>Slack did not complete the install (${escapeHtml(error.code)}). Start it again from <a href="${INSTALL_PATH}">${escapeHtml(INSTALL_PATH)}</a>.</p>`,
      );
    },
  };
}
