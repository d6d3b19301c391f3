// The short-lived signed token in a /meet connect button: it says which Slack user of which
// workspace asked, so the link page trusts nothing typed or put in the URL by anyone else.
import { createHmac } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

const AUDIENCE = 'quorum-slack-link';
const LIFETIME = '15m';

export interface LinkClaims {
  teamId: string;
  slackUserId: string;
  /** For the confirmation page only ("Link @ana of acme.slack.com"). */
  slackName: string;
  teamName: string;
}

/** A key of its own, derived from the server secret, so these tokens sign nothing else. */
export function linkTokenKey(serverSecret: Uint8Array): Uint8Array {
  return createHmac('sha256', serverSecret).update('quorum slack link tokens v1').digest();
}

export function signLinkToken(key: Uint8Array, claims: LinkClaims): Promise<string> {
  return new SignJWT({ team: claims.teamId, name: claims.slackName, teamName: claims.teamName })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.slackUserId)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(LIFETIME)
    .sign(key);
}

export async function verifyLinkToken(key: Uint8Array, token: string): Promise<LinkClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key, { audience: AUDIENCE, algorithms: ['HS256'] });
    if (typeof payload.team !== 'string' || !payload.sub) return null;
    return {
      teamId: payload.team,
      slackUserId: payload.sub,
      slackName: typeof payload.name === 'string' ? payload.name : payload.sub,
      teamName: typeof payload.teamName === 'string' ? payload.teamName : payload.team,
    };
  } catch {
    return null;
  }
}
