// The signed link of "connect": a token Quorum signs for the Teams user who asked, naming their
// Microsoft tenant and Entra object id, which the account-linking page (listeners/link.ts)
// accepts for 15 minutes. Its key is derived from the server secret and signs nothing else.
import { createHmac } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

export const LINK_PATH = '/connect/teams';
const AUDIENCE = 'quorum-teams-link';
const LIFETIME = '15m';

export interface LinkClaims {
  msTenantId: string;
  aadObjectId: string;
  /** For the confirmation page only. */
  name: string;
  /** The conversation "connect" was sent in: told there once the link is made. */
  conversationId?: string;
}

/** A key of its own, derived from the server secret, so these tokens sign nothing else. */
export function teamsLinkKey(serverSecret: Uint8Array): Uint8Array {
  return createHmac('sha256', serverSecret).update('quorum teams link tokens v1').digest();
}

export function signLinkToken(key: Uint8Array, claims: LinkClaims): Promise<string> {
  return new SignJWT({
    tid: claims.msTenantId,
    name: claims.name,
    ...(claims.conversationId ? { cid: claims.conversationId } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.aadObjectId)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(LIFETIME)
    .sign(key);
}

export async function verifyLinkToken(key: Uint8Array, token: unknown): Promise<LinkClaims | null> {
  if (typeof token !== 'string' || token.length > 2000) return null;
  try {
    const { payload } = await jwtVerify(token, key, { audience: AUDIENCE, algorithms: ['HS256'] });
    if (typeof payload.tid !== 'string' || !payload.sub) return null;
    return {
      msTenantId: payload.tid,
      aadObjectId: payload.sub,
      name: typeof payload.name === 'string' ? payload.name : payload.sub,
      ...(typeof payload.cid === 'string' ? { conversationId: payload.cid } : {}),
    };
  } catch {
    return null;
  }
}

export async function linkUrl(baseUrl: string, key: Uint8Array, claims: LinkClaims) {
  return `${baseUrl}${LINK_PATH}?t=${await signLinkToken(key, claims)}`;
}
