// A real OpenID Provider (the oidc-provider package) on loopback, configured to look like
// Google (hd, email_verified) or Microsoft (tid, no email_verified). Its login and consent
// interaction completes at once for the configured account, as if the person clicked through.
import http from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from '../../infra/local/embedded-db.ts';

export interface TestAccount {
  sub: string;
  email: string;
  name: string;
  hd?: string;
  tid?: string;
  emailVerified?: boolean;
}

export interface TestIssuer {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The account the next sign-in completes as. */
  signInAs(account: TestAccount): void;
  stop(): Promise<void>;
}

export async function startTestIssuer(options: {
  flavour: 'google' | 'microsoft';
  redirectUris: string[];
  /** Its signing keys (private JWKs), when a test signs tokens of its own with them. */
  jwks?: { keys: Array<Record<string, unknown>> };
}): Promise<TestIssuer> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = `${options.flavour}-client`;
  const clientSecret = `${options.flavour}-client-secret-for-tests-only`;
  let account: TestAccount = { sub: 'nobody', email: 'nobody@example.com', name: 'Nobody' };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'hd', 'tid'],
    },
    // Google and Microsoft put these claims into the ID token itself.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    ...(options.jwks ? { jwks: options.jwks as never } : {}),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['oidc-test-cookie-key'] },
    async findAccount(_ctx, sub) {
      const current = account;
      return {
        accountId: sub,
        async claims() {
          const claims: Record<string, unknown> = { sub, email: current.email, name: current.name };
          if (options.flavour === 'google') {
            claims.email_verified = current.emailVerified ?? true;
            if (current.hd) claims.hd = current.hd;
          } else if (current.tid) {
            claims.tid = current.tid;
          }
          return claims as { sub: string };
        },
      };
    },
  });
  const callback = provider.callback();

  const server = http.createServer(async (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      const details = await provider.interactionDetails(req, res);
      const grant = new provider.Grant({
        accountId: account.sub,
        clientId: String(details.params.client_id),
      });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: account.sub }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    callback(req, res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(next) {
      account = next;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
