// "connect" in Teams: an OAuth card that signs the person in and connects their calendar.
//
// With Teams SSO (the bot has credentials, so the manifest names its Application ID URI), the
// card carries a token exchange resource: Teams silently gets an Entra token for Quorum and
// sends it in a `signin/tokenExchange` invoke. Quorum verifies it (transport.ts), makes sure it
// is the sender's own, signs the person in to the Quorum organization of their Microsoft tenant
// (an account is made for them there when they have none), and connects their Microsoft 365
// calendar with Microsoft's on-behalf-of grant. Whenever that cannot finish silently (no consent
// yet, an organization not linked, a token that is not the sender's), the answer is 412, on
// which Teams shows the card's sign-in button instead: the OAuth way, through Quorum's own
// account-linking page (listeners/link.ts), which is also all the card offers without SSO.
import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { CalendarConnectionError } from '../../../core/calendars/connections/connection-error.ts';
import { newUserId } from '../../../core/identity/ids.ts';
import type { UserDoc } from '../../../core/identity/models.ts';
import {
  createUser,
  EmailTakenError,
  findActiveTenantUserByEmail,
  findUserByEmail,
} from '../../../core/identity/users.ts';
import type { AuditRecorder } from '../../../core/identity/audit-port.ts';
import { verifiedTenantContext, type TenantContext } from '../../../core/store/tenant-context.ts';
import type { TeamsSsoIdentity, TeamsSsoVerifier } from '../transport.ts';
import { msTenantOf, type TeamsActivity, type TeamsDeps } from './context.ts';
import { linkUrl } from './link-token.ts';

export const OAUTH_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.oauth';
/** The name Quorum's OAuth cards carry; Teams sends it back in the exchange. */
export const CONNECTION_NAME = 'quorum';
/** The delegated calendar client that holds grants made through Teams SSO. */
export const TEAMS_CALENDAR_CLIENT = 'teams';

const CALENDAR_LABEL = { google: 'Google', microsoft: 'Microsoft 365', caldav: 'CalDAV' } as const;

export interface TeamsSso {
  /** The Application ID URI Teams asks Entra for (the manifest's webApplicationInfo resource). */
  resource: string;
  verify: TeamsSsoVerifier;
}

/** The OAuth card for the person asking; null when Teams did not say who they are. */
export async function signInActivity(
  deps: TeamsDeps,
  activity: TeamsActivity,
  text: string,
): Promise<{
  type: 'message';
  attachments: Array<{ contentType: string; content: unknown }>;
} | null> {
  const msTenantId = msTenantOf(activity);
  if (!msTenantId || !activity.from.aadObjectId) return null;
  const url = await linkUrl(deps.baseUrl, deps.linkKey, {
    msTenantId,
    aadObjectId: activity.from.aadObjectId,
    name: activity.from.name ?? 'you',
    conversationId: activity.conversation.id,
  });
  return {
    type: 'message',
    attachments: [
      {
        contentType: OAUTH_CARD_CONTENT_TYPE,
        content: {
          text,
          connectionName: CONNECTION_NAME,
          buttons: [{ type: 'signin', title: 'Connect Quorum', value: url }],
          ...(deps.sso
            ? { tokenExchangeResource: { id: randomUUID(), uri: deps.sso.resource } }
            : {}),
        },
      },
    ],
  };
}

const exchangeValue = z.object({
  id: z.string().min(1).max(200),
  connectionName: z.string().max(200).optional(),
  token: z.string().min(1).max(20_000),
});

export interface ExchangeResponse {
  status: number;
  body?: { id: string; connectionName: string; failureDetail: string };
}

/** What happened, for the caller to tell the person (only when status is 200 and not a repeat). */
export interface ExchangeOutcome {
  response: ExchangeResponse;
  connected?: { email: string; calendar: string | null };
}

interface ExchangeDeps {
  teams: TeamsDeps;
  audit: AuditRecorder;
}

type ExchangeValue = z.infer<typeof exchangeValue>;

/** The person behind a verified identity in `tenantId`, made a member when they have no account. */
async function personFor(
  teams: TeamsDeps,
  tenantId: string,
  identity: { msTenantId: string; objectId: string; email: string | null; name: string | null },
): Promise<{ user: UserDoc; created: boolean } | { refused: string }> {
  const { store } = teams.scheduling;
  const linked = await teams.directory.linkedUser(identity.msTenantId, tenantId, identity.objectId);
  if (linked) return { user: linked, created: false };
  if (!identity.email) return { refused: 'Microsoft did not give an email address' };
  // An address may have an account in several organizations: this one's first.
  const member = await findActiveTenantUserByEmail(store, tenantId, identity.email);
  if (member) return { user: member, created: false };
  const existing = await findUserByEmail(store, identity.email);
  if (existing) {
    if (existing.tenantId !== tenantId || existing.deletedAt) {
      return {
        refused: 'that email belongs to another Quorum organization or a deleted account',
      };
    }
    return { user: existing, created: false };
  }
  // A verified person of a Microsoft tenant an administrator linked to this organization.
  const user: UserDoc = {
    _id: newUserId(),
    tenantId,
    email: identity.email,
    name: identity.name ?? identity.email,
    role: 'member',
    passwordHash: null,
    createdAt: new Date(),
    deletedAt: null,
  };
  try {
    return { user: await createUser(store, user), created: true };
  } catch (error) {
    // Two of the person's Teams clients exchanged at once: the other made the account.
    if (!(error instanceof EmailTakenError)) throw error;
    const made = await findActiveTenantUserByEmail(store, tenantId, identity.email);
    return made ? { user: made, created: false } : { refused: 'the account could not be made' };
  }
}

/** The 412 on which Teams shows the card's sign-in button instead. */
function fallBack(value: ExchangeValue, failureDetail: string): ExchangeOutcome {
  return {
    response: {
      status: 412,
      body: {
        id: value.id,
        connectionName: value.connectionName ?? CONNECTION_NAME,
        failureDetail,
      },
    },
  };
}

/** The token's identity when it is the sender's own, else undefined. */
async function senderIdentity(
  teams: TeamsDeps & { sso: TeamsSso },
  activity: TeamsActivity,
  token: string,
): Promise<(TeamsSsoIdentity & { objectId: string }) | undefined> {
  const identity = await teams.sso.verify(token);
  const msTenantId = msTenantOf(activity);
  if (
    !identity ||
    !identity.objectId ||
    identity.msTenantId !== msTenantId ||
    identity.objectId !== activity.from.aadObjectId
  ) {
    return undefined;
  }
  return { ...identity, objectId: identity.objectId };
}

export function createTokenExchange(
  deps: ExchangeDeps,
): (activity: TeamsActivity) => Promise<ExchangeOutcome> {
  return (activity) => exchange(deps, activity);
}

async function exchange(deps: ExchangeDeps, activity: TeamsActivity): Promise<ExchangeOutcome> {
  const { teams } = deps;
  const { logger } = teams;
  const parsed = exchangeValue.safeParse(activity.value);
  if (!parsed.success) return { response: { status: 400 } };
  const value = parsed.data;
  if (!teams.sso) return fallBack(value, 'Teams single sign-on is not set up on this Quorum.');
  const identity = await senderIdentity({ ...teams, sso: teams.sso }, activity, value.token);
  if (!identity) {
    logger.warn('Teams sign-in token refused: not a valid token of the sender');
    return fallBack(value, 'The sign-in token was not valid for this person.');
  }
  const tenantId = await teams.directory.tenantOf(identity.msTenantId);
  if (!tenantId) {
    return fallBack(
      value,
      'This Microsoft organization is not linked to a Quorum organization yet.',
    );
  }
  // Teams may send one exchange from several of the person's clients: the first one counts.
  if (!(await teams.once('teams-sso', `${identity.msTenantId}/${identity.objectId}/${value.id}`))) {
    return { response: { status: 200 } };
  }
  const person = await personFor(teams, tenantId, identity);
  if ('refused' in person) {
    logger.warn({ reason: person.refused }, 'Teams sign-in refused');
    return fallBack(value, `Quorum could not sign you in: ${person.refused}.`);
  }
  const { user } = person;
  const ctx = verifiedTenantContext(tenantId, 'installation', user._id);
  await teams.directory.remember(
    identity.msTenantId,
    tenantId,
    identity.objectId,
    user,
    'confirmed',
  );
  await deps.audit(ctx, {
    action: 'account.linked',
    actor: `user:${user._id}`,
    target: `user:${user._id}`,
    ip: null,
    userAgent: null,
    details: { platform: 'teams', via: 'sso', created: person.created },
  });
  return connectCalendar(deps, ctx, user, value);
}

/** Signed in: the calendar the person has, else Microsoft 365 through the on-behalf-of grant. */
async function connectCalendar(
  deps: ExchangeDeps,
  ctx: TenantContext,
  user: UserDoc,
  value: ExchangeValue,
): Promise<ExchangeOutcome> {
  const { teams } = deps;
  const calendars = await teams.calendars.list(ctx, user._id);
  const working = calendars.find((c) => c.status === 'connected');
  if (working) {
    return {
      response: { status: 200 },
      connected: {
        email: user.email,
        calendar: `${CALENDAR_LABEL[working.provider]} (${working.accountEmail})`,
      },
    };
  }
  try {
    const connection = await teams.calendars.connectOnBehalfOf(ctx, user, {
      clientName: TEAMS_CALENDAR_CLIENT,
      assertion: value.token,
    });
    await deps.audit(ctx, {
      action: 'calendar.connected',
      actor: `user:${user._id}`,
      target: `calendar-connection:${connection.id}`,
      ip: null,
      userAgent: null,
      details: { provider: connection.provider, via: 'teams-sso' },
    });
    return {
      response: { status: 200 },
      connected: { email: user.email, calendar: `Microsoft 365 (${connection.accountEmail})` },
    };
  } catch (error) {
    if (!(error instanceof CalendarConnectionError)) throw error;
    teams.logger.warn({ problem: error.problem }, 'Teams sign-in: calendar not connected silently');
    // Signed in, but the calendar needs a consent screen: the card's button leads there.
    return fallBack(value, error.message);
  }
}
