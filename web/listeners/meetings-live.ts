// Live meeting audio over a WebSocket, and what is heard pushed to watchers as Server-Sent Events.
//
//   WS  /api/meetings/:id/live          binary frames: 16 kHz mono 16-bit little-endian PCM;
//                                       a text frame {"type":"end"} (or the connection closing)
//                                       ends it; all audio received is transcribed, however far
//                                       behind the engine is.
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
import { Router } from 'express';
import {
  MeetingError,
  type LiveEvent,
  type LiveMeetings,
  type MeetingsService,
} from '../../core/meetings/index.ts';
import { EncryptionFailedError } from '../../core/privacy/errors.ts';
import { requireAccess } from '../../infra/http/authenticate.ts';
import { HttpError } from '../../infra/http/http-error.ts';
import { actorOf } from '../middleware/meeting-actor.ts';

const HEARTBEAT_MS = 15_000;

export function httpErrorOf(error: unknown): HttpError {
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
