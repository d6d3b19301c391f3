// Live meeting audio over a WebSocket, and what is heard pushed to watchers as Server-Sent Events.
//
//   WS  /api/meetings/:id/live          binary frames: 16 kHz mono 16-bit little-endian PCM;
//                                       a text frame {"type":"end"} (or a normal close) ends it.
//                                       Quorum sends {"type":"started","engine"} and, at the end,
//                                       {"type":"ended","status","segments"}.
//   GET /api/meetings/:id/live/events   text/event-stream: `event: segment` with data
//                                       {speaker,startMs,endMs,text,final}, and `event: ended`
//                                       when the capture closes (at once when the meeting's content
//                                       is already complete). The Zoom panel reads exactly this.
//
// The upgrade is authenticated as the HTTP API is (session cookie or API key; a cookie only from
// Quorum's own origin, against cross-site WebSocket hijacking), and the meeting must be the
// caller's tenant's and visible to them.
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Router } from 'express';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../core/logger.ts';
import {
  MeetingError,
  type LiveCapture,
  type LiveEvent,
  type LiveMeetings,
  type MeetingsService,
} from '../../core/meetings/index.ts';
import { EncryptionFailedError } from '../../core/privacy/errors.ts';
import {
  requireAccess,
  verifyCredentials,
  type CredentialVerifiers,
} from '../../infra/http/authenticate.ts';
import { HttpError } from '../../infra/http/http-error.ts';
import { actorOf } from '../middleware/meeting-actor.ts';

const LIVE_PATH = /^\/api\/meetings\/([^/]+)\/live$/;
const HEARTBEAT_MS = 15_000;

function httpErrorOf(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof MeetingError) {
    const status = {
      'not-found': 404,
      forbidden: 403,
      conflict: 409,
      invalid: 400,
      unreadable: 500,
    };
    const code = error.code === 'not-found' ? 'not_found' : error.code;
    return new HttpError(status[error.code], code, error.message);
  }
  if (error instanceof EncryptionFailedError) {
    return new HttpError(
      503,
      'encryption_unavailable',
      'Meeting content cannot be encrypted now; try again later.',
    );
  }
  return new HttpError(500, 'internal', 'Something went wrong on our side; try again.');
}

export function liveEventRoutes(deps: { meetings: MeetingsService; live: LiveMeetings }): Router {
  const router = Router();
  router.get('/api/meetings/:id/live/events', async (req, res) => {
    const auth = requireAccess(req, res, 'meetings:read');
    const id = String(req.params.id);
    let meeting: Awaited<ReturnType<MeetingsService['mayWatch']>>;
    try {
      meeting = await deps.meetings.mayWatch(auth.ctx, actorOf(auth), id);
    } catch (error) {
      throw httpErrorOf(error);
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    });
    res.write(': watching\n\n');
    const send = (event: LiveEvent) => {
      if (event.type === 'segment') {
        res.write(`event: segment\ndata: ${JSON.stringify(event.segment)}\n\n`);
      } else {
        const { status, segments, reason } = event;
        res.write(`event: ended\ndata: ${JSON.stringify({ status, segments, reason })}\n\n`);
        close();
      }
    };
    const watch = deps.live.feeds.watch(auth.ctx.tenantId, id, send);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    let closed = false;
    function close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      watch.stop();
      res.end();
    }
    res.on('close', close);
    for (const segment of watch.catchUp) send({ type: 'segment', segment });
    // Content already complete (captions, a recording, an earlier capture): nothing live will
    // come, so say so at once rather than keep the watcher waiting.
    if (!watch.capturing && !['scheduled', 'transcribing'].includes(meeting.status)) {
      res.write(
        `event: ended\ndata: ${JSON.stringify({ status: meeting.status, segments: meeting.segmentCount ?? 0 })}\n\n`,
      );
      close();
    }
  });
  return router;
}

export interface LiveAudioServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Ends every capture (what was heard is kept) and waits until each is settled. */
  close(): Promise<void>;
}

export function liveAudioServer(deps: {
  verifiers: CredentialVerifiers;
  meetings: MeetingsService;
  live: LiveMeetings;
  allowedOrigins: string[];
  logger: Logger;
}): LiveAudioServer {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 256 * 1024,
    perMessageDeflate: false,
  });
  const settling = new Set<Promise<unknown>>();

  function refuse(socket: Duplex, error: HttpError): void {
    if (socket.destroyed) return;
    const body = JSON.stringify({ error: error.code, message: error.message });
    socket.end(
      `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }

  function serve(ws: WebSocket, capture: LiveCapture, meetingId: string): void {
    let ended: Promise<unknown> | null = null;
    const stop = (how: 'end' | 'abort', why: string) => {
      if (ended) return ended;
      const done = (how === 'end' ? capture.end() : capture.abort(why)).then(
        (event) => {
          if (ws.readyState === ws.OPEN) {
            ws.send(JSON.stringify(event));
            ws.close(1000, 'capture ended');
          }
        },
        (error: unknown) => {
          deps.logger.error({ err: error, meetingId }, 'live capture could not be closed');
          if (ws.readyState === ws.OPEN) ws.close(1011, 'capture failed');
        },
      );
      ended = done;
      settling.add(done);
      void done.finally(() => settling.delete(done));
      return done;
    };
    ws.send(
      JSON.stringify({
        type: 'started',
        engine: capture.engine,
        format: 'pcm_s16le 16000 Hz mono',
      }),
    );
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        let type: unknown;
        try {
          type = (JSON.parse(String(data)) as { type?: unknown }).type;
        } catch {
          type = undefined;
        }
        if (type === 'end') void stop('end', 'ended by the sender');
        else ws.close(1003, 'send PCM as binary frames, or {"type":"end"} as text');
        return;
      }
      const pcm = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
      if (!capture.push(pcm)) {
        ws.close(1013, 'audio arrives faster than it is transcribed; send it in real time');
      }
    });
    ws.on('close', (code) => {
      void stop(code === 1000 || code === 1005 ? 'end' : 'abort', `connection closed (${code})`);
    });
    ws.on('error', () => void stop('abort', 'connection error'));
  }

  return {
    handleUpgrade(req, socket, head) {
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
      const work = (async () => {
        const auth = await verifyCredentials(deps.verifiers, {
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
        if (auth.kind === 'session' && origin && !deps.allowedOrigins.includes(origin)) {
          throw new HttpError(403, 'cross_origin', 'Live audio from other sites is not accepted.');
        }
        if (auth.kind === 'api-key' && !auth.permissions.includes('meetings:write')) {
          throw new HttpError(
            403,
            'missing_permission',
            'This API key lacks the "meetings:write" permission.',
          );
        }
        const capture = await deps.live.begin(auth.ctx, actorOf(auth), meetingId);
        if (socket.destroyed) {
          await capture.abort('the connection closed before it was accepted');
          return;
        }
        let upgraded = false;
        socket.once('close', () => {
          if (!upgraded) void capture.abort('the connection closed before it was accepted');
        });
        wss.handleUpgrade(req, socket, head, (ws) => {
          upgraded = true;
          serve(ws, capture, meetingId);
        });
      })().catch((error: unknown) => {
        const http = httpErrorOf(error);
        if (http.status >= 500) deps.logger.error({ err: error, meetingId }, 'live audio refused');
        refuse(socket, http);
      });
      settling.add(work);
      void work.finally(() => settling.delete(work));
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => setImmediate(resolve));
      // Settled captures leave `settling`; wait for those under way, then for what they started.
      while (settling.size > 0) await Promise.allSettled([...settling]);
      wss.close();
    },
  };
}
