// Zoom's OAuth token endpoint and the few REST calls Quorum makes, over fetch. Every answer
// is checked with zod before it is used; errors say what failed without echoing tokens.
import { z } from 'zod';
import type { ZoomSettings } from './config.ts';

const TIMEOUT_MS = 10_000;

export class ZoomApiError extends Error {
  override name = 'ZoomApiError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  scope: z.string().default(''),
});
export type ZoomTokens = {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  scopes: string[];
};

const meAnswer = z.object({
  id: z.string().min(1),
  account_id: z.string().min(1),
  email: z.email(),
  display_name: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});
export type ZoomMe = z.infer<typeof meAnswer>;

const meetingAnswer = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  join_url: z.url(),
});

async function call(url: string, init: RequestInit, what: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new ZoomApiError(0, `Zoom could not be reached for ${what}: ${(error as Error).message}`);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = {};
  }
  if (!res.ok) {
    const reason = (body as { reason?: unknown; message?: unknown; error?: unknown }) ?? {};
    const said = [reason.error, reason.reason, reason.message].find((v) => typeof v === 'string');
    throw new ZoomApiError(
      res.status,
      `Zoom refused ${what} (${res.status}${said ? `: ${said}` : ''})`,
    );
  }
  return body;
}

/** Zoom's OAuth and REST endpoints, and the transcript file server, as Quorum calls them. */
export class ZoomApi {
  private readonly settings: ZoomSettings;
  private readonly basic: string;
  constructor(settings: ZoomSettings) {
    this.settings = settings;
    this.basic = Buffer.from(`${settings.clientId}:${settings.clientSecret}`).toString('base64');
  }

  private async token(form: Record<string, string>, what: string): Promise<ZoomTokens> {
    const body = await call(
      new URL('oauth/token', this.settings.oauthUrl).href,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${this.basic}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(form).toString(),
      },
      what,
    );
    const parsed = tokenAnswer.safeParse(body);
    if (!parsed.success) throw new ZoomApiError(502, `Zoom's answer to ${what} was not understood`);
    return {
      accessToken: parsed.data.access_token,
      refreshToken: parsed.data.refresh_token,
      expiresAt: new Date(Date.now() + parsed.data.expires_in * 1000),
      scopes: parsed.data.scope.split(/[\s,]+/).filter(Boolean),
    };
  }

  /** Where a browser is sent to authorize (the in-client flow uses zoomSdk.authorize instead). */
  authorizeUrl(input: { redirectUri: string; state: string; codeChallenge: string }): string {
    const url = new URL('oauth/authorize', this.settings.oauthUrl);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: input.redirectUri,
      state: input.state,
      code_challenge: input.codeChallenge,
      code_challenge_method: 'S256',
    }).toString();
    return url.href;
  }

  exchangeCode(input: { code: string; redirectUri: string; verifier: string }) {
    return this.token(
      {
        grant_type: 'authorization_code',
        code: input.code,
        redirect_uri: input.redirectUri,
        code_verifier: input.verifier,
      },
      'the authorization code',
    );
  }

  refresh(refreshToken: string) {
    return this.token(
      { grant_type: 'refresh_token', refresh_token: refreshToken },
      'a token refresh',
    );
  }

  async me(accessToken: string): Promise<ZoomMe> {
    const body = await call(
      new URL('users/me', this.settings.apiUrl).href,
      { headers: { authorization: `Bearer ${accessToken}` } },
      'the user profile',
    );
    const parsed = meAnswer.safeParse(body);
    if (!parsed.success) throw new ZoomApiError(502, "Zoom's user profile was not understood");
    return parsed.data;
  }

  /** POST /users/me/meetings: a scheduled meeting (type 2). */
  async createMeeting(
    accessToken: string,
    meeting: { topic: string; start: Date; end: Date; timeZone: string },
  ): Promise<{ id: string; joinUrl: string }> {
    const body = await call(
      new URL('users/me/meetings', this.settings.apiUrl).href,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          topic: meeting.topic.slice(0, 200),
          type: 2,
          start_time: meeting.start.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          duration: Math.max(
            1,
            Math.round((meeting.end.getTime() - meeting.start.getTime()) / 60_000),
          ),
          timezone: meeting.timeZone,
          settings: { join_before_host: false, waiting_room: true },
        }),
      },
      'creating the meeting',
    );
    const parsed = meetingAnswer.safeParse(body);
    if (!parsed.success) throw new ZoomApiError(502, "Zoom's new meeting was not understood");
    return { id: parsed.data.id, joinUrl: parsed.data.join_url };
  }

  /** Downloads a recording file (a VTT transcript) with the webhook's download token. */
  async download(downloadUrl: string, downloadToken: string, maxBytes: number): Promise<string> {
    let res: Response;
    try {
      res = await fetch(downloadUrl, {
        headers: { authorization: `Bearer ${downloadToken}` },
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw new ZoomApiError(
        0,
        `the transcript could not be downloaded: ${(error as Error).message}`,
      );
    }
    if (!res.ok)
      throw new ZoomApiError(res.status, `Zoom refused the transcript download (${res.status})`);
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > maxBytes)
      throw new ZoomApiError(413, 'the transcript is larger than Quorum accepts');
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > maxBytes)
      throw new ZoomApiError(413, 'the transcript is larger than Quorum accepts');
    return bytes.toString('utf8');
  }
}

export function createZoomApi(settings: ZoomSettings): ZoomApi {
  return new ZoomApi(settings);
}
