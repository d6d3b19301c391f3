// A restart in the middle of sending loses and duplicates nothing: Quorum runs as its own
// process, books a meeting with five guests on the local calendar, and is killed (SIGKILL) while
// the relay holds a message mid-DATA without answering. Started again on the same database, it
// sends what was left — the held message too, which the relay never accepted — and nothing twice.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../../../infra/local/embedded-db.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';
import { Browser, json } from '../../support/quorum-app.ts';
import { startQuorumProcess, type QuorumProcess } from '../../support/quorum-process.ts';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.ts';

const GUESTS = ['g1', 'g2', 'g3', 'g4', 'g5'].map((g) => `${g}@guest.example`);
let sink: SmtpSink;
let env: Record<string, string>;
let dataDir: string;
let running: QuorumProcess | undefined;
const mongo = new MongoClient(mongoUri());
const controlDb = `qc_${testTenantId()}`;

beforeAll(async () => {
  sink = await startSmtpSink();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'quorum-email-restart-'));
  const port = await freePort();
  env = {
    PORT: String(port),
    QUORUM_BASE_URL: `http://127.0.0.1:${port}`,
    MONGODB_URI: mongoUri(),
    QUORUM_CONTROL_DB: controlDb,
    QUORUM_DATA_DIR: dataDir,
    SMTP_URL: sink.url,
    QUORUM_MAIL_FROM: 'quorum@acme.example',
  };
  await mongo.connect();
});
afterAll(async () => {
  running?.child.kill('SIGKILL');
  await running?.exited;
  await sink?.close();
  await mongo.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('sends every invitation exactly once across a kill mid-send', { timeout: 120_000 }, async () => {
  running = await startQuorumProcess(env);
  const ana = new Browser(running.url);
  const signup = await ana.request('/auth/signup', {
    method: 'POST',
    json: {
      organization: 'Acme',
      name: 'Ana',
      email: 'ana@acme.example',
      password: 'copper-meadow-signal-58',
    },
  });
  expect(signup.status).toBe(201);
  // Two messages go through; the third is held at the end of DATA, never answered.
  sink.hold(2);
  const booked = await ana.request('/api/bookings', {
    method: 'POST',
    json: {
      title: 'Launch review',
      start: '2027-03-23T09:00:00.000Z',
      end: '2027-03-23T09:30:00.000Z',
      attendees: GUESTS.map((email) => ({ email })),
      idempotencyKey: 'restart-test-booking',
    },
  });
  expect(booked.status).toBe(201);
  expect((await json(booked)).booking.provider).toBe('local');
  await expect
    .poll(() => sink.held > 0 && sink.messages.length === 2, {
      timeout: 30_000,
      message: 'a held message',
    })
    .toBe(true);
  running.child.kill('SIGKILL');
  await running.exited;
  // The connection died before the relay's answer: the held message was not accepted.
  sink.release();

  running = await startQuorumProcess(env);
  await sink.waitFor((ms) => new Set(ms.flatMap((m) => m.rcpt)).size === GUESTS.length, 90_000);
  const queue = mongo.db(controlDb).collection('email_queue');
  await expect
    .poll(() => queue.countDocuments(), { timeout: 30_000, message: 'an empty queue' })
    .toBe(0);
  const received = sink.messages.flatMap((m) => m.rcpt).sort();
  expect(received).toEqual(GUESTS);
});
