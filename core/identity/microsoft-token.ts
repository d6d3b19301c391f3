// Verifies the access token Office hands an add-in (Office.auth.getAccessToken, "Office SSO"):
// a JWT the Microsoft identity platform signed for Quorum's own app registration. Checked
// against the issuer's published keys (jose), its audience (Quorum's client id, or the
// api://host/client-id form) and its issuer, then read as the same SsoIdentity the OpenID
// Connect sign-in produces, so both ways in resolve to the same Quorum user.
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { SsoIdentity } from './oidc.ts';

export interface MicrosoftTokenSettings {
  /** e.g. https://login.microsoftonline.com/organizations/v2.0 (its discovery names the keys). */
  issuer: URL;
  clientId: string;
}

const discovery = z.object({ issuer: z.string().min(1), jwks_uri: z.url() });

export type MicrosoftTokenVerifier = (token: string) => Promise<SsoIdentity>;

export function createMicrosoftTokenVerifier(
  settings: MicrosoftTokenSettings,
  fetchImpl: typeof fetch = fetch,
): MicrosoftTokenVerifier {
  let loaded: Promise<{ issuer: string; keys: JWTVerifyGetKey }> | undefined;
  const load = () => {
    loaded ??= (async () => {
      const url = new URL(
        `${settings.issuer.href.replace(/\/+$/, '')}/.well-known/openid-configuration`,
      );
      const res = await fetchImpl(url);
      if (!res.ok) throw new Error(`identity discovery answered ${res.status}`);
      const doc = discovery.parse(await res.json());
      return { issuer: doc.issuer, keys: createRemoteJWKSet(new URL(doc.jwks_uri)) };
    })().catch((error: unknown) => {
      loaded = undefined; // discover again next time
      throw error;
    });
    return loaded;
  };

  return async (token) => {
    const { issuer, keys } = await load();
    const { payload } = await jwtVerify(token, keys, {
      algorithms: ['RS256'],
      audience: [settings.clientId, `api://${settings.clientId}`],
    }).catch(async (error: unknown) => {
      // The api://<host>/<client id> audience names the add-in's host; accept any host for
      // this client id, since the token's signature and issuer are what bind it to Microsoft.
      const unverified = JSON.parse(
        Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8') || '{}',
      ) as { aud?: unknown };
      const aud = typeof unverified.aud === 'string' ? unverified.aud : '';
      if (/^api:\/\/[^/]+\/[^/]+$/.test(aud) && aud.endsWith(`/${settings.clientId}`)) {
        return jwtVerify(token, keys, { algorithms: ['RS256'], audience: aud });
      }
      throw error;
    });
    const tid = typeof payload.tid === 'string' ? payload.tid : null;
    // Multi-tenant discovery publishes the issuer as a template with {tenantid}.
    const expectedIssuer = issuer.replace('{tenantid}', tid ?? '{tenantid}');
    if (payload.iss !== expectedIssuer) throw new Error('the token was issued by another issuer');
    if (!payload.sub) throw new Error('the token names no subject');
    const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
    const email = str(payload.preferred_username) ?? str(payload.email) ?? str(payload.upn);
    return {
      issuer: payload.iss,
      subject: payload.sub,
      email: email && email.includes('@') ? email.toLowerCase() : null,
      // As in the OpenID Connect sign-in: work accounts' addresses are managed by the tenant.
      emailVerified: true,
      name: str(payload.name),
      organization: tid,
    };
  };
}
