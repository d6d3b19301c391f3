// The embedded database launcher's own Go tests (infra/local/ferretdb/*_test.go): its SQLite busy
// handler on a real database file, its lazy log handler. They run with `go test`, which the
// launcher's build needs anyway (Go builds the embedded database).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { projectRoot } from '../../../infra/local/ferretdb-binary.ts';

it('passes the launcher Go tests', { timeout: 300_000 }, () => {
  const result = spawnSync('go', ['test', '-count=1', './...'], {
    cwd: path.join(projectRoot, 'infra', 'local', 'ferretdb'),
    env: { ...process.env, CGO_ENABLED: '0' },
    encoding: 'utf8',
  });
  expect(result.error).toBeUndefined();
  expect(`${result.stdout}${result.stderr}`, 'go test output').toMatch(
    /^ok\s+quorum\.local\/ferretdb/m,
  );
  expect(result.status).toBe(0);
});
