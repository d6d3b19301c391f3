// Builds the browser pages if needed and starts the real database once per test run: the embedded FerretDB, or MONGODB_URI when set.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildUi } from '../../infra/local/build-ui.ts';
import { startEmbeddedDb, type EmbeddedDb } from '../../infra/local/embedded-db.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

let db: EmbeddedDb | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  // The browser tests load the pages the server serves; build them once if sources changed.
  await buildUi();
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'quorum-test-db-'));
    db = await startEmbeddedDb({ dataDir });
    uri = db.uri;
  }
  project.provide('mongoUri', uri);
}

export async function teardown(): Promise<void> {
  await db?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
