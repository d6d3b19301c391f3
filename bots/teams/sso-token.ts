// Teams single sign-on tokens: what Teams gives Quorum for the signed-in person — the meeting
// panel through teams-js (authentication.getAuthToken), the bot through the silent token
// exchange of an OAuth card. Either way it is an Entra v2 token for this app (audience
// `api://<host>/botid-<app id>` or the app id), issued by the person's Microsoft tenant and
// verified against that tenant's published keys (jose); a single-tenant app accepts its own
// tenant only.
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTVerifyGetKey } from 'jose';

export interface TeamsSsoIdentity {
  /** The Microsoft tenant (tid). */
  msTenantId: string;
  /** The Entra object id (oid): the same id Teams puts in activities as `aadObjectId`. */
  objectId: string | null;
  /** preferred_username, lower-cased, when it is an address. */
  email: string | null;
  name: string | null;
}

export interface TeamsSsoSettings {
  loginUrl: string;
  clientId: string;
  /** The app's own Microsoft tenant (single-tenant registration), when it is one. */
  appTenantId: string | undefined;
  /** Quorum's public host, for the `api://<host>/botid-<app id>` audience. */
  host: string;
}

/** The Application ID URI Teams asks Entra for: also the manifest's webApplicationInfo resource. */
export function ssoResource(host: string, clientId: string): string {
  return `api://${host}/botid-${clientId}`;
}

/** Verifies a Teams SSO token; null when it is not one this app accepts (never a reason why). */
export type TeamsSsoVerifier = (token: string) => Promise<TeamsSsoIdentity | null>;

export function createTeamsSsoVerifier(settings: TeamsSsoSettings): TeamsSsoVerifier {
  const keySets = new Map<string, JWTVerifyGetKey>();
  return async (token) => {
    let tid: unknown;
    try {
      tid = decodeJwt(token).tid;
    } catch {
      return null;
    }
    if (typeof tid !== 'string' || !/^[0-9a-f-]{36}$/i.test(tid)) return null;
    if (settings.appTenantId && tid.toLowerCase() !== settings.appTenantId.toLowerCase()) {
      return null;
    }
    // One key set per tenant: the tenant named in the token decides where its keys are read,
    // and the issuer check below holds the token to that same tenant.
    let keys = keySets.get(tid);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(`${settings.loginUrl}/${tid}/discovery/v2.0/keys`));
      keySets.set(tid, keys);
    }
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: `${settings.loginUrl}/${tid}/v2.0`,
        audience: [ssoResource(settings.host, settings.clientId), settings.clientId],
        algorithms: ['RS256'],
      });
      const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
      const username = str(payload.preferred_username)?.toLowerCase() ?? null;
      return {
        msTenantId: tid,
        objectId: str(payload.oid),
        email: username?.includes('@') ? username : null,
        name: str(payload.name),
      };
    } catch {
      return null;
    }
  };
}
