import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../infra/server/config.ts';

describe('configuration', () => {
  it('has working defaults with no settings at all', () => {
    const result = loadConfig({});
    expect(result).toMatchObject({
      ok: true,
      config: { port: 3000, role: 'all', dataDir: './data', servesHttp: true, runsJobs: true },
    });
  });

  it('derives web and worker roles', () => {
    const web = loadConfig({ QUORUM_ROLE: 'web' });
    const worker = loadConfig({ QUORUM_ROLE: 'worker' });
    expect(web.ok && web.config.runsJobs).toBe(false);
    expect(worker.ok && worker.config.servesHttp).toBe(false);
  });

  it('reports every bad value on its own line and never echoes a secret', () => {
    const result = loadConfig({
      PORT: '70000',
      LOG_LEVEL: 'loud',
      MONGODB_URI: 'http://user:s3cr3t-pass@host',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(3);
    expect(result.problems.find((p) => p.startsWith('PORT:'))).toBeDefined();
    expect(result.problems.find((p) => p.startsWith('LOG_LEVEL:'))).toBeDefined();
    expect(result.problems).toContain('MONGODB_URI: is not valid');
    expect(result.problems.join('\n')).not.toContain('s3cr3t-pass');
  });

  it('treats an empty variable as unset', () => {
    const result = loadConfig({ PORT: '', QUORUM_BASE_URL: '' });
    expect(result.ok && result.config.port).toBe(3000);
    expect(result.ok && result.config.baseUrl).toBe('http://127.0.0.1:3000');
  });
});
