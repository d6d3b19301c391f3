import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyFileError, KeyProviderError } from '../../../core/privacy/errors.ts';
import { openLocalKeyring } from '../../../core/privacy/local-keyring.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'quorum-keyring-'));
const freshDir = () => mkdtempSync(path.join(scratch, 'dir-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function problemOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyFileError);
  return (error as KeyFileError).problem;
}

describe('local keyring', () => {
  it('creates the keyring file with mode 0600', async () => {
    const keyring = await openLocalKeyring({ dataDir: freshDir() });
    expect(statSync(keyring.file).mode & 0o777).toBe(0o600);
    await keyring.currentVersion('tenanta1');
    expect(statSync(keyring.file).mode & 0o777).toBe(0o600);
  });

  it('refuses to start when group or others can read or write the file, saying how to fix it', async () => {
    for (const mode of [0o644, 0o640, 0o660, 0o604, 0o602]) {
      const dataDir = freshDir();
      const file = (await openLocalKeyring({ dataDir })).file;
      chmodSync(file, mode);
      const error = await openLocalKeyring({ dataDir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeyFileError);
      expect((error as KeyFileError).problem).toBe('insecure-permissions');
      expect((error as Error).message).toContain(`chmod 600 ${file}`);
    }
  });

  it('stops using a keyring whose permissions are loosened while running', async () => {
    const keyring = await openLocalKeyring({ dataDir: freshDir() });
    await keyring.currentVersion('tenanta1');
    chmodSync(keyring.file, 0o644);
    expect(await problemOf(keyring.wrap('tenanta1', randomBytes(32)))).toBe('insecure-permissions');
  });

  it('refuses a file that is not a keyring', async () => {
    const dataDir = freshDir();
    const file = path.join(dataDir, 'keyring.json');
    writeFileSync(file, '{"format":"something-else"}', { mode: 0o600 });
    expect(await problemOf(openLocalKeyring({ dataDir }))).toBe('malformed');
    writeFileSync(file, 'not json', { mode: 0o600 });
    expect(await problemOf(openLocalKeyring({ dataDir }))).toBe('malformed');
  });

  it('wraps and unwraps per tenant and version, and keeps every version after rotation', async () => {
    const dataDir = freshDir();
    const keyring = await openLocalKeyring({ dataDir });
    const dataKey = randomBytes(32);
    const v1 = await keyring.wrap('tenanta1', dataKey);
    expect(v1.kekVersion).toBe('1');
    expect(v1.wrapped.includes(dataKey)).toBe(false);

    expect(await keyring.rotate('tenanta1')).toBe('2');
    const v2 = await keyring.wrap('tenanta1', dataKey);
    expect(v2.kekVersion).toBe('2');

    const reopened = await openLocalKeyring({ dataDir });
    expect(await reopened.currentVersion('tenanta1')).toBe('2');
    expect(await reopened.unwrap('tenanta1', v1.wrapped, '1')).toEqual(dataKey);
    expect(await reopened.unwrap('tenanta1', v2.wrapped, '2')).toEqual(dataKey);
  });

  it("does not unwrap another tenant's key, a wrong version or altered bytes", async () => {
    const keyring = await openLocalKeyring({ dataDir: freshDir() });
    const { wrapped } = await keyring.wrap('tenanta1', randomBytes(32));
    await keyring.currentVersion('tenantb2');
    await expect(keyring.unwrap('tenantb2', wrapped, '1')).rejects.toThrow(KeyProviderError);
    await expect(keyring.unwrap('tenanta1', wrapped, '7')).rejects.toThrow(/not in keyring/);
    const altered = Buffer.from(wrapped);
    altered[20]! ^= 1;
    await expect(keyring.unwrap('tenanta1', altered, '1')).rejects.toThrow(/does not unwrap/);
  });

  it('sees a rotation made by another process without restarting', async () => {
    const dataDir = freshDir();
    const server = await openLocalKeyring({ dataDir });
    await server.currentVersion('tenanta1');
    const cli = await openLocalKeyring({ dataDir });
    await cli.rotate('tenanta1');
    expect(await server.currentVersion('tenanta1')).toBe('2');
  });

  it('loses no key when two processes add tenants at the same time', async () => {
    const dataDir = freshDir();
    await openLocalKeyring({ dataDir });
    const module = pathToFileURL(path.resolve('core/privacy/local-keyring.ts')).href;
    const worker = (prefix: string) =>
      new Promise<number | null>((resolve) => {
        const script = `
          const { openLocalKeyring } = await import(${JSON.stringify(module)});
          const keyring = await openLocalKeyring({ dataDir: ${JSON.stringify(dataDir)} });
          await Promise.all(Array.from({ length: 12 }, (_, i) =>
            keyring.currentVersion('${prefix}' + String(i).padStart(3, '0'))));
        `;
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
          stdio: 'inherit',
        });
        child.on('exit', resolve);
      });
    expect(await Promise.all([worker('alpha'), worker('bravo')])).toEqual([0, 0]);
    const tenants = Object.keys(
      (
        JSON.parse(readFileSync(path.join(dataDir, 'keyring.json'), 'utf8')) as {
          tenants: object;
        }
      ).tenants,
    );
    expect(tenants).toHaveLength(24);
  });

  it('takes over a lock left by a dead process, and waits out a live one', async () => {
    const dataDir = freshDir();
    const keyring = await openLocalKeyring({ dataDir, lockTimeoutMs: 300 });
    writeFileSync(`${keyring.file}.lock`, '2147483646', { mode: 0o600 });
    expect(await keyring.rotate('tenanta1')).toBe('1');

    writeFileSync(`${keyring.file}.lock`, String(process.ppid), { mode: 0o600 });
    expect(await problemOf(keyring.rotate('tenanta1'))).toBe('locked');
  });
});
