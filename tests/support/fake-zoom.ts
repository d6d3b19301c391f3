// Zoom's far side of the wire on loopback: the OAuth server (authorization code with PKCE S256
// and refresh, client authentication with HTTP Basic, as Zoom documents for /oauth/token), the
// REST API calls Quorum makes (GET /v2/users/me, POST /v2/users/me/meetings) and recording
// downloads that demand the webhook's download token as a Bearer token. Also what Zoom itself
// makes: webhook signatures and sealed app contexts (X-Zoom-App-Context), in Zoom's formats.
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { freePort } from '../../infra/local/embedded-db.ts';
import { readBody } from './wire.ts';

export interface FakeZoomUser {
  id: string;
  accountId: string;
  email: string;
  displayName: string;
}

export interface FakeZoom {
  url: string;
  apiUrl: string;
  oauthUrl: string;
  clientId: string;
  clientSecret: string;
  users: Map<string, FakeZoomUser>;
  /** Meetings created through the REST API, with the body Quorum sent. */
  meetings: Array<{ id: string; joinUrl: string; hostId: string; body: Record<string, unknown> }>;
  tokenRequests: URLSearchParams[];
  /**
   * Recording files served at `${url}/rec/download/<name>` to the holder of `token`. `failures`
   * are statuses answered (and used up) first, like a file server having a bad moment; `hold`
   * is awaited before answering, so a test can look at Quorum while a download is under way.
   */
  files: Map<
    string,
    { token: string; body: string; failures?: number[]; hold?: () => Promise<void> }
  >;
  /** Every download request; `failed` is the status of a request answered with a failure. */
  downloads: Array<{ name: string; authorized: boolean; failed?: number }>;
  /** The user consents in the Zoom client: a code for this PKCE challenge (in-client OAuth). */
  consent(userId: string, codeChallenge: string, redirectUri: string): string;
  accessTokenLifetimeSeconds: number;
  stop(): Promise<void>;
}

const CLIENT_ID = 'zoomQuorumClientId';
const CLIENT_SECRET = 'zoom-client-secret-for-tests-0123456789';

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startFakeZoom(): Promise<FakeZoom> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const codes = new Map<string, { userId: string; challenge: string; redirectUri: string }>();
  const accessTokens = new Map<string, { userId: string; expires: number }>();
  const refreshTokens = new Map<string, string>();
  let nextMeeting = 85_746_065_000;

  const fake: FakeZoom = {
    url,
    apiUrl: `${url}/v2/`,
    oauthUrl: `${url}/`,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    users: new Map(),
    meetings: [],
    tokenRequests: [],
    files: new Map(),
    downloads: [],
    accessTokenLifetimeSeconds: 3600,
    consent(userId, codeChallenge, redirectUri) {
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { userId, challenge: codeChallenge, redirectUri });
      return code;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };

  function issue(userId: string) {
    const access = `zat_${randomBytes(18).toString('base64url')}`;
    const refresh = `zrt_${randomBytes(18).toString('base64url')}`;
    accessTokens.set(access, {
      userId,
      expires: Date.now() + fake.accessTokenLifetimeSeconds * 1000,
    });
    refreshTokens.set(refresh, userId);
    return {
      access_token: access,
      token_type: 'bearer',
      refresh_token: refresh,
      expires_in: fake.accessTokenLifetimeSeconds,
      scope: 'meeting:write:meeting user:read:user',
    };
  }

  function bearerUser(req: IncomingMessage): FakeZoomUser | undefined {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const grant = accessTokens.get(token);
    if (!grant || grant.expires < Date.now()) return undefined;
    return fake.users.get(grant.userId);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? '/', url);
    if (req.method === 'POST' && u.pathname === '/oauth/token') {
      const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
      const form = new URLSearchParams(await readBody(req));
      fake.tokenRequests.push(form);
      if (req.headers.authorization !== `Basic ${basic}`) {
        return send(res, 401, {
          reason: 'Invalid client_id or client_secret',
          error: 'invalid_client',
        });
      }
      if (form.get('grant_type') === 'authorization_code') {
        const code = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (
          !code ||
          code.challenge !== challenge ||
          code.redirectUri !== form.get('redirect_uri')
        ) {
          return send(res, 400, { reason: 'Invalid authorization code', error: 'invalid_request' });
        }
        return send(res, 200, issue(code.userId));
      }
      if (form.get('grant_type') === 'refresh_token') {
        const userId = refreshTokens.get(form.get('refresh_token') ?? '');
        if (!userId) return send(res, 400, { reason: 'Invalid Token!', error: 'invalid_request' });
        refreshTokens.delete(form.get('refresh_token') ?? '');
        return send(res, 200, issue(userId));
      }
      return send(res, 400, { reason: 'Unsupported grant type', error: 'unsupported_grant_type' });
    }
    if (u.pathname.startsWith('/v2/')) {
      const user = bearerUser(req);
      if (!user) return send(res, 401, { code: 124, message: 'Invalid access token.' });
      if (req.method === 'GET' && u.pathname === '/v2/users/me') {
        const [first, ...rest] = user.displayName.split(' ');
        return send(res, 200, {
          id: user.id,
          first_name: first,
          last_name: rest.join(' '),
          display_name: user.displayName,
          email: user.email,
          type: 2,
          account_id: user.accountId,
          status: 'active',
        });
      }
      if (req.method === 'POST' && u.pathname === '/v2/users/me/meetings') {
        const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
        if (typeof body.topic !== 'string' || typeof body.start_time !== 'string') {
          return send(res, 400, { code: 300, message: 'Validation Failed.' });
        }
        const id = String(nextMeeting++);
        const joinUrl = `https://us05web.zoom.us/j/${id}?pwd=${randomBytes(8).toString('base64url')}`;
        fake.meetings.push({ id, joinUrl, hostId: user.id, body });
        return send(res, 201, {
          uuid: `${randomBytes(16).toString('base64')}`,
          id: Number(id),
          host_id: user.id,
          topic: body.topic,
          type: 2,
          start_time: body.start_time,
          duration: body.duration,
          timezone: body.timezone,
          join_url: joinUrl,
        });
      }
      return send(res, 404, { code: 404, message: 'Not found' });
    }
    if (req.method === 'GET' && u.pathname.startsWith('/rec/download/')) {
      const name = u.pathname.slice('/rec/download/'.length);
      const file = fake.files.get(name);
      const authorized = file !== undefined && req.headers.authorization === `Bearer ${file.token}`;
      await file?.hold?.();
      const failure = authorized ? file.failures?.shift() : undefined;
      fake.downloads.push({ name, authorized, ...(failure ? { failed: failure } : {}) });
      if (!file) return send(res, 404, { code: 3301, message: 'This recording does not exist.' });
      if (!authorized) return send(res, 401, { code: 124, message: 'Invalid access token.' });
      if (failure) return send(res, failure, { code: failure, message: 'Service unavailable.' });
      res.writeHead(200, { 'content-type': 'text/vtt' });
      res.end(file.body);
      return;
    }
    send(res, 404, { message: 'Not found' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return fake;
}

/** Signs a webhook body the way Zoom does: x-zm-signature and x-zm-request-timestamp. */
export function zoomWebhookHeaders(
  body: string,
  secretToken: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
) {
  const signature = createHmac('sha256', secretToken)
    .update(`v0:${timestampSeconds}:${body}`)
    .digest('hex');
  return {
    'content-type': 'application/json; charset=utf-8',
    'x-zm-request-timestamp': String(timestampSeconds),
    'x-zm-signature': `v0=${signature}`,
  };
}

/** An app context sealed as Zoom seals X-Zoom-App-Context (see addins/zoom/middleware/app-context.ts). */
export function sealAppContext(context: Record<string, unknown>, clientSecret: string): string {
  const key = createHash('sha256').update(clientSecret).digest();
  const iv = randomBytes(12);
  const aad = Buffer.from('');
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const text = Buffer.concat([cipher.update(JSON.stringify(context), 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  const ivLength = Buffer.from([iv.length]);
  const aadLength = Buffer.alloc(2);
  aadLength.writeUInt16LE(aad.length);
  const textLength = Buffer.alloc(4);
  textLength.writeInt32LE(text.length);
  return Buffer.concat([ivLength, iv, aadLength, aad, textLength, text, tag]).toString('base64');
}

export const ZOOM_WEBHOOK_SECRET = 'zoom-webhook-secret-token-for-tests';
