// Sign-in with Google and Microsoft (OIDC with PKCE): start, then the provider's callback.
import type { Request, Response } from 'express';
import { parse as parseCookie, serialize } from 'cookie';
import { SignJWT, jwtVerify } from 'jose';
import type { OidcClient, PendingSignIn, SsoProviderId } from '../../core/identity/oidc.ts';
import { resolveSsoUser } from '../../core/identity/sso-accounts.ts';
import { HttpError } from '../../infra/http/http-error.ts';
import { safeReturnTo, SignInSessions } from './auth-session.ts';

const OIDC_COOKIE = 'quorum_oidc';

export class SsoSignIn extends SignInSessions {
  ssoClient(req: Request): OidcClient {
    const client = this.deps.sso[req.params.provider as SsoProviderId];
    if (!client)
      throw new HttpError(
        404,
        'unknown_provider',
        `Sign-in with "${String(req.params.provider)}" is not set up here.`,
      );
    return client;
  }

  redirectUri(provider: string) {
    return `${this.deps.baseUrl}/auth/sso/${provider}/callback`;
  }

  async start(req: Request, res: Response) {
    const client = this.ssoClient(req);
    const { url, pending } = await client.start(
      this.redirectUri(client.id),
      safeReturnTo(req.query.returnTo),
    );
    const sealed = await new SignJWT({ ...pending })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('10m')
      .sign(this.deps.stateSecret);
    res.append(
      'Set-Cookie',
      serialize(OIDC_COOKIE, sealed, {
        httpOnly: true,
        secure: this.secure,
        sameSite: 'lax',
        path: '/auth/sso',
        maxAge: 600,
      }),
    );
    res.redirect(302, url.href);
  }

  async callback(req: Request, res: Response) {
    await this.limited(req);
    const client = this.ssoClient(req);
    const sealed = parseCookie(req.get('cookie') ?? '')[OIDC_COOKIE];
    if (!sealed)
      throw new HttpError(
        400,
        'sign_in_expired',
        'The sign-in took too long or was started elsewhere. Start again.',
      );
    let pending: PendingSignIn;
    try {
      pending = (await jwtVerify(sealed, this.deps.stateSecret, { algorithms: ['HS256'] }))
        .payload as unknown as PendingSignIn;
    } catch {
      throw new HttpError(
        400,
        'sign_in_expired',
        'The sign-in took too long or was started elsewhere. Start again.',
      );
    }
    if (pending.provider !== client.id)
      throw new HttpError(
        400,
        'sign_in_mismatch',
        'The sign-in was started with another provider. Start again.',
      );
    this.clearCookie(res, OIDC_COOKIE);
    const callbackUrl = new URL(req.originalUrl, this.deps.baseUrl);
    let identity;
    try {
      identity = await client.finish(callbackUrl, pending, this.redirectUri(client.id));
    } catch (error) {
      this.deps.logger.warn(
        { provider: client.id, reason: (error as Error).message },
        'SSO sign-in rejected',
      );
      throw new HttpError(
        401,
        'sign_in_failed',
        `Sign-in with ${client.id} could not be verified. Start again.`,
      );
    }
    const resolved = await resolveSsoUser(this.deps.store, identity, {
      openSignup: this.deps.openSignup,
    });
    if (!resolved.ok) {
      const messages = {
        'no-email': 'Your account did not share a verified email address.',
        'unknown-organization':
          'Your organization does not use this Quorum yet. Ask its administrator to add your email domain.',
        'account-deleted': 'This account was deleted.',
      } as const;
      throw new HttpError(403, resolved.reason, messages[resolved.reason]);
    }
    await this.startSession(req, res, resolved.user, `sso:${client.id}`);
    res.redirect(302, safeReturnTo(pending.returnTo));
  }
}
