// Locates (and on first use builds) the embedded database binary.
//
// The binary is built from infra/local/ferretdb (a small launcher around FerretDB v1.24.2's
// embeddable package) with `go install` into .quorum/bin, which git ignores. A digest of the
// launcher's source is kept beside it, so a checkout with a changed launcher rebuilds it
// instead of running the old one. (The container image builds the binary in its own stage and
// writes the digest beside it, so it never needs Go at run time.)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const projectRoot = path.resolve(here, '..', '..');
const sourceDir = path.join(here, 'ferretdb');
const binDir = path.join(projectRoot, '.quorum', 'bin');
export const ferretdbBinary = path.join(binDir, 'ferretdb');
const digestFile = `${ferretdbBinary}.source-sha256`;

/** Thrown when the embedded database cannot be had; the message says how to fix it. */
export class EmbeddedDbUnavailable extends Error {}

function hasGo(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

/** A digest of the launcher's source files (Go files and module files). */
export function launcherSourceDigest(): string {
  const hash = createHash('sha256');
  const files = readdirSync(sourceDir)
    .filter((name) => name.endsWith('.go') || name === 'go.mod' || name === 'go.sum')
    .sort();
  for (const name of files) {
    hash
      .update(`${name}\0`)
      .update(readFileSync(path.join(sourceDir, name)))
      .update('\0');
  }
  return hash.digest('hex');
}

function builtFrom(digest: string): boolean {
  if (!existsSync(ferretdbBinary) || !existsSync(digestFile)) return false;
  return readFileSync(digestFile, 'utf8').trim() === digest;
}

/** Returns the path of the FerretDB binary, building it with `go install` if it is missing or stale. */
export function ensureFerretdbBinary(log: (line: string) => void = () => {}): string {
  const digest = launcherSourceDigest();
  if (builtFrom(digest)) return ferretdbBinary;
  if (!hasGo() && existsSync(ferretdbBinary)) {
    // Better an older launcher than none: it still runs FerretDB, and what it lacks fails
    // closed (a scrub it does not answer means no deletion certificate).
    log(
      'The embedded database launcher was built from other sources and Go is not here to ' +
        'rebuild it; using it as it is. Install Go 1.24 or newer to bring it up to date.',
    );
    return ferretdbBinary;
  }
  if (!hasGo()) {
    throw new EmbeddedDbUnavailable(
      'The embedded database needs Go to build once, and `go` was not found. ' +
        'Either install Go 1.24 or newer (Debian: apt-get install golang) and run `npm start` again, ' +
        'or set MONGODB_URI to a MongoDB you run (for example mongodb://127.0.0.1:27017).',
    );
  }
  mkdirSync(binDir, { recursive: true });
  log(
    existsSync(ferretdbBinary)
      ? 'Rebuilding the embedded database launcher, whose source changed, with go install.'
      : 'Building the embedded database (FerretDB 1.24.2) with go install; this happens once.',
  );
  const result = spawnSync('go', ['install', '.'], {
    cwd: sourceDir,
    env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0' },
    encoding: 'utf8',
  });
  if (result.status !== 0 || !existsSync(ferretdbBinary)) {
    const detail = (result.stderr || result.stdout || '').trim().split('\n').slice(-5).join('\n');
    throw new EmbeddedDbUnavailable(
      `Building the embedded database with go install failed:\n${detail}\n` +
        'Check that the Go module proxy is reachable, or set MONGODB_URI to a MongoDB you run.',
    );
  }
  writeFileSync(digestFile, `${digest}\n`);
  return ferretdbBinary;
}
