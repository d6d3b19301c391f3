// Live meeting audio over a WebSocket (WS /api/meetings/:id/live; the protocol is described in
// meetings-live.ts): the upgrade is authenticated as the HTTP API is, then each binary frame is
// pushed to the meeting's live capture until the sender ends it or the connection closes.
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../core/logger.ts';
import type { LiveCapture, LiveMeetings, MeetingsService } from '../../core/meetings/index.ts';
import {
  verifyCredentials,
  type Auth,
  type CredentialVerifiers,
} from '../../infra/http/authenticate.ts';
import { HttpError } from '../../infra/http/http-error.ts';
import { actorOf } from '../middleware/meeting-actor.ts';
import { httpErrorOf } from './meetings-live.ts';

const LIVE_PATH = /^\/api\/meetings\/([^/]+)\/live$/;

export interface LiveAudioServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Stops every capture at once (what was stored is kept) and waits until each is settled. */
  close(): Promise<void>;
}

export interface LiveAudioDeps {
  verifiers: CredentialVerifiers;
  meetings: MeetingsService;
  live: LiveMeetings;
  allowedOrigins: string[];
  logger: Logger;
}

function refuse(socket: Duplex, error: HttpError): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: error.code, message: error.message });
  socket.end(
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** One connection's capture: stopped once, by the sender's end, a close, or an error. */
class LiveConnection {
  private ended: Promise<unknown> | null = null;
  private readonly ws: WebSocket;
  private readonly capture: LiveCapture;
  private readonly meetingId: string;
  private readonly server: LiveAudioSocket;
  constructor(server: LiveAudioSocket, ws: WebSocket, capture: LiveCapture, meetingId: string) {
    this.server = server;
    this.ws = ws;
    this.capture = capture;
    this.meetingId = meetingId;
  }

  serve(): void {
    const { ws, capture } = this;
    ws.send(
      JSON.stringify({
        type: 'started',
        engine: capture.engine,
        format: 'pcm_s16le 16000 Hz mono',
      }),
    );
    ws.on('message', (data, isBinary) => this.receive(data as Buffer | Buffer[], isBinary));
    // However the connection ends, the audio received is transcribed: it waits for the engine
    // rather than being dropped. Only a server shutting down stops at once.
    const stopped = (why: string) =>
      void (this.server.closing ? this.stop('abort', why) : this.stop('end', why));
    ws.on('close', (code) => stopped(`connection closed (${code})`));
    ws.on('error', () => stopped('connection error'));
  }

  private receive(data: Buffer | Buffer[], isBinary: boolean): void {
    const { ws, capture } = this;
    if (!isBinary) {
      let type: unknown;
      try {
        type = (JSON.parse(String(data)) as { type?: unknown }).type;
      } catch {
        type = undefined;
      }
      if (type === 'end') void this.stop('end', 'ended by the sender');
      else ws.close(1003, 'send PCM as binary frames, or {"type":"end"} as text');
      return;
    }
    const pcm = Buffer.isBuffer(data) ? data : Buffer.concat(data);
    if (!capture.push(pcm)) {
      ws.close(1013, 'more audio waits to be transcribed than a recording may hold');
    }
  }

  private stop(how: 'end' | 'abort', why: string) {
    if (this.ended) return this.ended;
    const { ws, capture, meetingId } = this;
    const done = (how === 'end' ? capture.end() : capture.abort(why)).then(
      (event) => {
        if (ws.readyState === ws.OPEN) {
          ws.send(JSON.stringify(event));
          ws.close(1000, 'capture ended');
        }
      },
      (error: unknown) => {
        this.server.logger.error({ err: error, meetingId }, 'live capture could not be closed');
        if (ws.readyState === ws.OPEN) ws.close(1011, 'capture failed');
      },
    );
    this.ended = done;
    this.server.track(done);
    return done;
  }
}

class LiveAudioSocket implements LiveAudioServer {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: 256 * 1024,
    perMessageDeflate: false,
  });
  /** Upgrades and captures under way: `close` waits for them. */
  private readonly settling = new Set<Promise<unknown>>();
  /** Set by `close`: captures then stop at once instead of finishing their audio. */
  closing = false;
  private readonly deps: LiveAudioDeps;
  constructor(deps: LiveAudioDeps) {
    this.deps = deps;
  }

  get logger(): Logger {
    return this.deps.logger;
  }

  track(work: Promise<unknown>): void {
    this.settling.add(work);
    void work.finally(() => this.settling.delete(work));
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://quorum.invalid');
    const match = LIVE_PATH.exec(url.pathname);
    if (!match)
      return refuse(
        socket,
        new HttpError(404, 'not_found', 'There is no WebSocket at this address.'),
      );
    if (req.headers.upgrade?.toLowerCase() !== 'websocket' || !req.headers['sec-websocket-key']) {
      return refuse(
        socket,
        new HttpError(400, 'invalid_input', 'This address takes a WebSocket upgrade.'),
      );
    }
    const meetingId = decodeURIComponent(match[1]!);
    const work = this.accept(req, socket, head, meetingId).catch((error: unknown) => {
      const http = httpErrorOf(error);
      if (http.status >= 500)
        this.deps.logger.error({ err: error, meetingId }, 'live audio refused');
      refuse(socket, http);
    });
    this.track(work);
  }

  private async authorize(req: IncomingMessage): Promise<Auth> {
    const auth = await verifyCredentials(this.deps.verifiers, {
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
    });
    if (!auth)
      throw new HttpError(
        401,
        'sign_in_required',
        'Sign in or send an API key to send live audio.',
      );
    const origin = req.headers.origin;
    if (auth.kind === 'session' && origin && !this.deps.allowedOrigins.includes(origin)) {
      throw new HttpError(403, 'cross_origin', 'Live audio from other sites is not accepted.');
    }
    if (auth.kind === 'api-key' && !auth.permissions.includes('meetings:write')) {
      throw new HttpError(
        403,
        'missing_permission',
        'This API key lacks the "meetings:write" permission.',
      );
    }
    return auth;
  }

  private async accept(req: IncomingMessage, socket: Duplex, head: Buffer, meetingId: string) {
    const auth = await this.authorize(req);
    const capture = await this.deps.live.begin(auth.ctx, actorOf(auth), meetingId);
    if (socket.destroyed) {
      await capture.abort('the connection closed before it was accepted');
      return;
    }
    let upgraded = false;
    socket.once('close', () => {
      if (!upgraded) void capture.abort('the connection closed before it was accepted');
    });
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      new LiveConnection(this, ws, capture, meetingId).serve();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const client of this.wss.clients) client.terminate();
    await new Promise((resolve) => setImmediate(resolve));
    // Settled captures leave `settling`; wait for those under way, then for what they started.
    while (this.settling.size > 0) await Promise.allSettled([...this.settling]);
    this.wss.close();
  }
}

export function liveAudioServer(deps: LiveAudioDeps): LiveAudioServer {
  return new LiveAudioSocket(deps);
}
