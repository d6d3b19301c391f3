// The browser pages' API client against a real HTTP server: what a failure says to the person.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, ApiError } from '../../../infra/ui/api.ts';

let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const send = (status: number, body: string) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    if (req.url === '/crash') {
      return send(
        500,
        JSON.stringify({
          error: 'internal',
          message: 'Something went wrong on our side. Quote this id if you contact support.',
          requestId: 'req-1234',
        }),
      );
    }
    if (req.url === '/missing') {
      return send(
        404,
        JSON.stringify({
          error: 'not_found',
          message: 'That poll does not exist.',
          requestId: 'req-5',
        }),
      );
    }
    if (req.url === '/refused') {
      return send(
        502,
        JSON.stringify({
          error: 'slack_refused',
          message: 'Slack did not take it.',
          requestId: 'r',
        }),
      );
    }
    if (req.url === '/proxy')
      return res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
    send(200, JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const failure = (path: string) =>
  api(`${base}${path}`).then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as ApiError,
  );

describe('api()', () => {
  it('returns the JSON of a success', async () => {
    expect(await api(`${base}/ok`)).toEqual({ ok: true });
  });

  it('shows the id a server failure asks the person to quote', async () => {
    const error = await failure('/crash');
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(500);
    expect(error.message).toBe(
      'Something went wrong on our side. Quote this id if you contact support. (id req-1234)',
    );
  });

  it('keeps the server’s own sentence for a refusal, and says the status when there is none', async () => {
    expect((await failure('/missing')).message).toBe('That poll does not exist.');
    expect((await failure('/refused')).message).toBe('Slack did not take it.');
    const proxy = await failure('/proxy');
    expect(proxy.code).toBe('http_error');
    expect(proxy.message).toBe('Quorum answered 502. Try again in a moment.');
  });
});
