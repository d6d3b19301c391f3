import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mongoUri } from '../../support/db.ts';

function quorum(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['bin/quorum.js', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
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

  it('rejects an unknown command with exit 2', () => {
    const result = quorum(['frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });
});
