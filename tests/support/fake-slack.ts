// A local stand-in for Slack, on both sides of the wire:
//
// - the Web API (https://slack.com/api/<method>) that Bolt's WebClient calls, pointed here with
//   SLACK_API_URL: chat.postMessage, chat.postEphemeral, chat.update, views.open,
//   views.publish, views.update, users.info, users.lookupByEmail, conversations.replies,
//   auth.test and oauth.v2.access, answering in Slack's documented shapes and refusing what
//   Slack refuses (bad tokens, unknown users, Block Kit over its limits);
// - the response_url webhooks Slack hands out with commands and interactions;
// - a sender that signs and posts requests to Quorum exactly as Slack does: form-encoded
//   slash commands, `payload=` interactions, JSON events, the url_verification challenge.
//
// Everything Quorum sent is recorded for the tests to read.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './wire.ts';

export interface SlackUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  tz: string;
  deleted: boolean;
  is_bot: boolean;
  profile: { email?: string; display_name: string; real_name: string };
}

export interface ApiCall {
  method: string;
  token: string | undefined;
  args: Record<string, unknown>;
}

export interface ResponsePost {
  id: string;
  body: Record<string, unknown>;
  /** performance.now() when it arrived. */
  at: number;
}

export interface PostedMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks: Array<Record<string, unknown>>;
}

type Block = Record<string, unknown>;

/** Block Kit limits Slack enforces (blocks reference); a message over them gets `invalid_blocks`. */
export function blockKitProblems(blocks: unknown, surface: 'message' | 'modal' | 'home'): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ['blocks is not an array'];
  const max = surface === 'message' ? 50 : 100;
  if (blocks.length > max) problems.push(`${blocks.length} blocks (at most ${max})`);
  const text = (value: unknown, limit: number, where: string) => {
    const t = (value as { text?: unknown } | undefined)?.text;
    if (typeof t === 'string' && t.length > limit)
      problems.push(`${where}: ${t.length} characters (at most ${limit})`);
    if (typeof t === 'string' && t.length === 0) problems.push(`${where}: empty text`);
  };
  const element = (el: Block, where: string) => {
    if (el.type === 'button') {
      text(el.text, 75, `${where} button text`);
      if (typeof el.value === 'string' && el.value.length > 2000)
        problems.push(`${where} button value over 2000`);
      if (typeof el.url === 'string' && el.url.length > 3000)
        problems.push(`${where} button url over 3000`);
      if (typeof el.action_id === 'string' && el.action_id.length > 255)
        problems.push(`${where} action_id over 255`);
    }
    if (Array.isArray(el.options)) {
      if (el.options.length > 100) problems.push(`${where}: ${el.options.length} options`);
      for (const option of el.options as Block[]) text(option.text, 75, `${where} option`);
    }
    if (typeof el.initial_value === 'string' && el.initial_value.length > 3000) {
      problems.push(`${where}: initial_value over 3000`);
    }
  };
  blocks.forEach((raw: Block, i) => {
    const where = `blocks[${i}] (${String(raw.type)})`;
    if (typeof raw.block_id === 'string' && raw.block_id.length > 255)
      problems.push(`${where} block_id over 255`);
    switch (raw.type) {
      case 'section':
        if (!raw.text && !raw.fields) problems.push(`${where}: needs text or fields`);
        if (raw.text) text(raw.text, 3000, where);
        if (Array.isArray(raw.fields)) {
          if (raw.fields.length > 10) problems.push(`${where}: ${raw.fields.length} fields`);
          for (const f of raw.fields) text(f, 2000, `${where} field`);
        }
        if (raw.accessory) element(raw.accessory as Block, where);
        break;
      case 'context': {
        const elements = raw.elements as Block[];
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10) {
          problems.push(`${where}: 1 to 10 elements`);
        }
        for (const e of elements ?? []) text(e, 3000, `${where} element`);
        break;
      }
      case 'header':
        text(raw.text, 150, where);
        break;
      case 'actions': {
        const elements = raw.elements as Block[];
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25) {
          problems.push(`${where}: 1 to 25 elements`);
        }
        for (const e of elements ?? []) element(e, where);
        break;
      }
      case 'input':
        text(raw.label, 2000, `${where} label`);
        element(raw.element as Block, where);
        break;
      case 'divider':
        break;
      default:
        problems.push(`${where}: a block type this fake does not know`);
    }
  });
  return problems;
}

function viewProblems(view: Record<string, unknown>): string[] {
  const problems = blockKitProblems(view.blocks, view.type === 'home' ? 'home' : 'modal');
  const title = (view.title as { text?: string } | undefined)?.text;
  if (view.type === 'modal' && (!title || title.length > 24))
    problems.push('modal title 1 to 24 characters');
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) {
    problems.push('private_metadata over 3000');
  }
  return problems;
}

export interface OAuthGrant {
  code: string;
  teamId: string;
  teamName: string;
  botToken: string;
  botUserId: string;
  installerId: string;
}

export interface FakeSlack {
  /** SLACK_API_URL for Quorum. */
  apiUrl: string;
  url: string;
  calls: ApiCall[];
  responses: ResponsePost[];
  messages: PostedMessage[];
  users: Map<string, SlackUser>;
  /** Bot tokens Slack accepts, per team. */
  tokens: Map<string, string>;
  /** conversations.replies answers by `${channel}:${ts}`; a string is an error code. */
  threads: Map<
    string,
    Array<{ user?: string; bot_id?: string; ts: string; text: string }> | string
  >;
  grants: Map<string, OAuthGrant>;
  /** Web API methods answering `{ ok: false, error }` with this error code while set. */
  failures: Map<string, string>;
  /** A new response_url, as Slack puts into a command or interaction. */
  responseUrl(): string;
  addUser(user: {
    id: string;
    teamId: string;
    name: string;
    email?: string;
    tz?: string;
  }): SlackUser;
  callsOf(method: string): ApiCall[];
  responsesTo(url: string): ResponsePost[];
  /** Waits until `check` returns something truthy (Quorum answers after its acknowledgement). */
  waitFor<T>(check: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: ApiCall[] = [];
  const responses: ResponsePost[] = [];
  const messages: PostedMessage[] = [];
  const users = new Map<string, SlackUser>();
  const tokens = new Map<string, string>();
  const threads: FakeSlack['threads'] = new Map();
  const grants = new Map<string, OAuthGrant>();
  const failures = new Map<string, string>();
  let nextTs = 1_700_000_000;
  let nextResponse = 0;

  const teamOfToken = (token: string | undefined) => [...tokens].find(([, t]) => t === token)?.[0];

  function parseArgs(req: IncomingMessage, raw: string): Record<string, unknown> {
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('application/json'))
      return JSON.parse(raw || '{}') as Record<string, unknown>;
    const args: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw));
    for (const key of ['blocks', 'view', 'attachments']) {
      if (typeof args[key] === 'string') args[key] = JSON.parse(args[key] as string);
    }
    return args;
  }

  function publicUser(user: SlackUser) {
    return { ...user, profile: { ...user.profile } };
  }

  function api(
    method: string,
    token: string | undefined,
    args: Record<string, unknown>,
  ): Record<string, unknown> {
    if (method === 'oauth.v2.access') {
      const grant = grants.get(String(args.code));
      if (!grant) return { ok: false, error: 'invalid_code' };
      grants.delete(grant.code);
      tokens.set(grant.teamId, grant.botToken);
      return {
        ok: true,
        app_id: 'A0QUORUM',
        authed_user: { id: grant.installerId },
        scope: String(args.scope ?? 'chat:write,commands,users:read,users:read.email'),
        token_type: 'bot',
        access_token: grant.botToken,
        bot_user_id: grant.botUserId,
        team: { id: grant.teamId, name: grant.teamName },
        enterprise: null,
        is_enterprise_install: false,
      };
    }
    const team = teamOfToken(token);
    if (!team) return { ok: false, error: 'invalid_auth' };
    const failure = failures.get(method);
    if (failure) return { ok: false, error: failure };
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: `https://${team}.slack.example/`,
          team: team,
          user: 'quorum',
          team_id: team,
          user_id: `B${team}`,
          bot_id: `B${team}`,
        };
      case 'chat.postMessage': {
        const problems = blockKitProblems(args.blocks ?? [], 'message');
        if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
        const message: PostedMessage = {
          channel: String(args.channel),
          ts: `${nextTs++}.000100`,
          ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
          ...(typeof args.text === 'string' ? { text: args.text } : {}),
          blocks: (args.blocks as Block[] | undefined) ?? [],
        };
        messages.push(message);
        return { ok: true, channel: message.channel, ts: message.ts, message };
      }
      case 'chat.postEphemeral': {
        const problems = blockKitProblems(args.blocks ?? [], 'message');
        if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
        return { ok: true, message_ts: `${nextTs++}.000200` };
      }
      case 'chat.update': {
        const found = messages.find((m) => m.channel === args.channel && m.ts === args.ts);
        if (!found) return { ok: false, error: 'message_not_found' };
        const problems = blockKitProblems(args.blocks ?? [], 'message');
        if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
        found.blocks = (args.blocks as Block[] | undefined) ?? [];
        if (typeof args.text === 'string') found.text = args.text;
        return { ok: true, channel: found.channel, ts: found.ts };
      }
      case 'views.open':
      case 'views.update':
      case 'views.publish': {
        if (method === 'views.open' && !args.trigger_id)
          return { ok: false, error: 'invalid_arguments' };
        if (method === 'views.publish' && !users.has(String(args.user_id)))
          return { ok: false, error: 'user_not_found' };
        const view = args.view as Record<string, unknown>;
        const problems = viewProblems(view);
        if (problems.length > 0)
          return {
            ok: false,
            error: 'invalid_arguments',
            response_metadata: { messages: problems },
          };
        return {
          ok: true,
          view: { id: `V${nextTs++}`, hash: randomBytes(4).toString('hex'), ...view },
        };
      }
      case 'users.info': {
        const user = users.get(String(args.user));
        return user ? { ok: true, user: publicUser(user) } : { ok: false, error: 'user_not_found' };
      }
      case 'users.lookupByEmail': {
        const user = [...users.values()].find(
          (u) => u.profile.email === String(args.email).toLowerCase(),
        );
        return user
          ? { ok: true, user: publicUser(user) }
          : { ok: false, error: 'users_not_found' };
      }
      case 'conversations.replies': {
        const thread = threads.get(`${String(args.channel)}:${String(args.ts)}`);
        if (thread === undefined) return { ok: false, error: 'thread_not_found' };
        if (typeof thread === 'string') return { ok: false, error: thread };
        return { ok: true, messages: thread, has_more: false };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path.startsWith('/response/')) {
      responses.push({
        id: path.slice('/response/'.length),
        body: JSON.parse(raw) as Record<string, unknown>,
        at: performance.now(),
      });
      const body = responses.at(-1)!.body;
      const problems = blockKitProblems(body.blocks ?? [], 'message');
      if (problems.length > 0)
        return send(400, { ok: false, error: 'invalid_blocks', errors: problems });
      return send(200, { ok: true });
    }
    if (!path.startsWith('/api/')) return send(404, { ok: false, error: 'not_found' });
    const method = path.slice('/api/'.length);
    const args = parseArgs(req, raw);
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ')
      ? header.slice(7)
      : (args.token as string | undefined);
    calls.push({ method, token, args });
    return send(200, api(method, token, args));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${url}/api/`,
    url,
    calls,
    responses,
    messages,
    users,
    tokens,
    threads,
    grants,
    failures,
    responseUrl: () => `${url}/response/R${nextResponse++}`,
    addUser({ id, teamId, name, email, tz = 'Europe/Berlin' }) {
      const user: SlackUser = {
        id,
        team_id: teamId,
        name: name.toLowerCase().replace(/\s+/g, '.'),
        real_name: name,
        tz,
        deleted: false,
        is_bot: false,
        profile: {
          ...(email ? { email } : {}),
          display_name: name.split(' ')[0]!,
          real_name: name,
        },
      };
      users.set(id, user);
      return user;
    },
    callsOf: (method) => calls.filter((c) => c.method === method),
    responsesTo: (responseUrl) =>
      responses.filter((r) => responseUrl.endsWith(`/response/${r.id}`)),
    async waitFor(check, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = check();
        if (value) return value;
        if (Date.now() > deadline)
          throw new Error('Slack did not receive what the test waited for');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Signs and posts requests to Quorum the way Slack does (v0 signature over the raw body). */
export class SlackSender {
  readonly base: string;
  readonly secret: string;
  readonly fake: FakeSlack;
  constructor(base: string, secret: string, fake: FakeSlack) {
    this.base = base;
    this.secret = secret;
    this.fake = fake;
  }

  sign(body: string, timestamp = Math.floor(Date.now() / 1000)) {
    const signature = `v0=${createHmac('sha256', this.secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
  }

  async send(
    body: string,
    contentType: string,
    options: { headers?: Record<string, string>; timestamp?: number } = {},
  ): Promise<Response> {
    return fetch(`${this.base}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
        ...this.sign(body, options.timestamp),
        ...options.headers,
      },
      body,
    });
  }

  /** A slash command as Slack signs it: the form body with the fields Slack documents, and headers. */
  commandRequest(
    who: { teamId: string; userId: string; userName?: string; channelId?: string },
    text: string,
    options: { triggerId?: string; headers?: Record<string, string> } = {},
  ) {
    const responseUrl = this.fake.responseUrl();
    const triggerId = options.triggerId ?? `${Date.now()}.${randomBytes(4).toString('hex')}`;
    const body = new URLSearchParams({
      token: 'deprecated-verification-token',
      team_id: who.teamId,
      team_domain: who.teamId.toLowerCase(),
      channel_id: who.channelId ?? 'C0GENERAL',
      channel_name: 'general',
      user_id: who.userId,
      user_name: who.userName ?? who.userId.toLowerCase(),
      command: '/meet',
      text,
      api_app_id: 'A0QUORUM',
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    }).toString();
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...this.sign(body),
      ...options.headers,
    };
    return { body, headers, responseUrl, triggerId };
  }

  /** Sends a slash command; the answer to its response_url comes later. */
  async command(
    who: { teamId: string; userId: string; userName?: string; channelId?: string },
    text: string,
    options: { triggerId?: string; headers?: Record<string, string> } = {},
  ) {
    const request = this.commandRequest(who, text, options);
    const res = await fetch(`${this.base}/slack/events`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    return { res, ...request };
  }

  /** An interaction: `payload=` with the JSON Slack documents for its type. */
  async interaction(
    payload: Record<string, unknown>,
    options: { headers?: Record<string, string> } = {},
  ) {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.send(body, 'application/x-www-form-urlencoded', options);
  }

  /** A button click in a message (block_actions). */
  async click(
    who: { teamId: string; userId: string },
    action: { action_id: string; value?: string; block_id?: string },
    message: { channelId: string; ts: string; ephemeral?: boolean; responseUrl?: string },
  ) {
    const responseUrl = message.responseUrl ?? this.fake.responseUrl();
    const triggerId = `${Date.now()}.${randomBytes(4).toString('hex')}`;
    const res = await this.interaction({
      type: 'block_actions',
      user: {
        id: who.userId,
        username: who.userId.toLowerCase(),
        name: who.userId.toLowerCase(),
        team_id: who.teamId,
      },
      api_app_id: 'A0QUORUM',
      token: 'deprecated-verification-token',
      container: {
        type: 'message',
        message_ts: message.ts,
        channel_id: message.channelId,
        is_ephemeral: Boolean(message.ephemeral),
      },
      trigger_id: triggerId,
      team: { id: who.teamId, domain: who.teamId.toLowerCase() },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: message.channelId, name: 'general' },
      response_url: responseUrl,
      actions: [
        {
          type: 'button',
          block_id: action.block_id ?? 'b1',
          action_id: action.action_id,
          text: { type: 'plain_text', text: 'Button', emoji: true },
          ...(action.value !== undefined ? { value: action.value } : {}),
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    });
    return { res, responseUrl, triggerId };
  }

  /** Submitting a modal (view_submission) with the values typed into it. */
  async submit(
    who: { teamId: string; userId: string },
    view: Record<string, unknown>,
    values: Record<string, Record<string, unknown>>,
    options: { viewId?: string } = {},
  ) {
    return this.interaction({
      type: 'view_submission',
      team: { id: who.teamId, domain: who.teamId.toLowerCase() },
      user: {
        id: who.userId,
        username: who.userId.toLowerCase(),
        name: who.userId.toLowerCase(),
        team_id: who.teamId,
      },
      api_app_id: 'A0QUORUM',
      token: 'deprecated-verification-token',
      trigger_id: `${Date.now()}.${randomBytes(4).toString('hex')}`,
      view: {
        id: options.viewId ?? 'V0BOOK',
        team_id: who.teamId,
        type: 'modal',
        blocks: view.blocks,
        private_metadata: view.private_metadata ?? '',
        callback_id: view.callback_id,
        state: {
          values: Object.fromEntries(
            Object.entries(values).map(([block, v]) => [block, { value: v }]),
          ),
        },
        hash: '156772938.1827394',
        title: view.title,
        clear_on_close: false,
        notify_on_close: false,
        close: view.close ?? null,
        submit: view.submit ?? null,
        previous_view_id: null,
        root_view_id: options.viewId ?? 'V0BOOK',
        app_id: 'A0QUORUM',
        external_id: '',
        app_installed_team_id: who.teamId,
        bot_id: 'B0QUORUM',
      },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    });
  }

  /** An Events API delivery (event_callback), as JSON. */
  async event(
    teamId: string,
    event: Record<string, unknown>,
    options: { eventId?: string; headers?: Record<string, string> } = {},
  ) {
    const eventId = options.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
    const body = JSON.stringify({
      token: 'deprecated-verification-token',
      team_id: teamId,
      api_app_id: 'A0QUORUM',
      event,
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        {
          enterprise_id: null,
          team_id: teamId,
          user_id: 'U0QUORUMBOT',
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${randomBytes(6).toString('hex')}`,
    });
    const res = await this.send(body, 'application/json', options);
    return { res, eventId, body };
  }
}
