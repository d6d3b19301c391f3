import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mongoUri } from '../../support/db.ts';

function quorum(args: string[], env: Record<string, string> = {}, input?: string) {
  return spawnSync(process.execPath, ['bin/quorum.js', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    ...(input === undefined ? {} : { input }),
  });
}

describe('quorum command', () => {
  it('lists its commands with --help', () => {
    const result = quorum(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: quorum/);
    expect(result.stdout).toMatch(/\bdb\b/);
  });

  it('reports the database it uses and that it answers', () => {
    const result = quorum(['db', 'status', '--json'], { MONGODB_URI: mongoUri() });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ backend: 'MongoDB (MONGODB_URI)', reachable: true });
    expect(typeof report.serverVersion).toBe('string');
  });

  it('says the database cannot be reached, exit 1, without a stack trace', () => {
    const result = quorum(['db', 'status'], { MONGODB_URI: 'mongodb://127.0.0.1:9/' });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/reachable\s+false/);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it('answers the slots contract on stdin/stdout, and exits 2 naming the field of a bad request', () => {
    const request = {
      timeZone: 'Europe/Berlin',
      window: { start: '2026-03-23T00:00:00Z', end: '2026-03-24T00:00:00Z' },
      durationMinutes: 60,
      now: '2026-03-22T12:00:00Z',
      attendees: [
        {
          id: 'ana@example.com',
          timeZone: 'America/New_York',
          workingHours: [{ days: ['mon'], start: '09:00', end: '11:00' }],
          busy: [{ start: '2026-03-23T13:00:00Z', end: '2026-03-23T14:00:00Z', status: 'busy' }],
        },
      ],
    };
    const all = quorum(['slots', '--all'], {}, JSON.stringify(request));
    expect(all.status).toBe(0);
    // 09:00-11:00 New York is 13:00-15:00 UTC; 13:00-14:00 is busy, so 14:00-15:00 on the hour grid.
    const starts = (JSON.parse(all.stdout) as { slots: Array<{ start: string }> }).slots.map(
      (s) => s.start,
    );
    expect(starts).toEqual(['2026-03-23T14:00:00.000Z']);

    const bad = quorum(['slots'], {}, JSON.stringify({ ...request, durationMinutes: 0 }));
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^durationMinutes/);
  });

  it('rejects an unknown command with exit 2', () => {
    const result = quorum(['frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });
});
