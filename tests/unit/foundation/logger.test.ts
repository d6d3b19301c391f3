import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactString } from '../../../core/logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), text: () => lines.join('') };
}

const SECRETS = {
  bearer: 'ya29.A0ARrdaM-secretaccesstoken',
  slack: 'xoxb-1234567890-abcdefghijklmnop',
  password: 'correct horse battery staple',
  cookie: 'qsession=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJlLXNlY3JldA',
  apiKey: 'qrm_live_abcdefghijklmnopqrstuvwx',
  urlPassword: 'pa55w0rd-in-url',
};

describe('logs never carry secrets', () => {
  it('redacts headers, secret fields and secrets inside strings', () => {
    const { logger, text } = capture();
    logger.info(
      {
        req: {
          headers: {
            authorization: `Bearer ${SECRETS.bearer}`,
            cookie: SECRETS.cookie,
            'x-api-key': SECRETS.apiKey,
          },
        },
        user: { password: SECRETS.password },
        grant: { refreshToken: 'refresh-secret-value', accessToken: SECRETS.bearer },
      },
      'request',
    );
    logger.warn(`calendar call failed with Authorization: Bearer ${SECRETS.bearer}`);
    logger.error(
      { err: new Error(`Slack said invalid_auth for ${SECRETS.slack}`) },
      `retrying mongodb://admin:${SECRETS.urlPassword}@db.example/quorum with key ${SECRETS.apiKey}`,
    );
    logger.info({ note: `token=${SECRETS.password.replace(/ /g, '')}&x=1` }, 'query string');
    const out = text();
    for (const secret of [
      ...Object.values(SECRETS),
      'refresh-secret-value',
      'correcthorsebatterystaple',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[REDACTED]');
    expect(out).toContain('calendar call failed');
  });

  it('leaves ordinary text alone', () => {
    expect(redactString('Meeting booked for 2026-03-23 at 14:00 with ana@example.com')).toBe(
      'Meeting booked for 2026-03-23 at 14:00 with ana@example.com',
    );
  });
});
