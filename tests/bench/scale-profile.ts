// Where the time of growing and purging a tenant goes, on the embedded database:
// `npm run bench -- scale-profile [--profile-meetings=40]`.
//
// The scale bench (scale.ts) times the whole; this one says why. It runs Quorum in this process
// (so the database driver's command monitoring can count every statement) on its own embedded
// FerretDB, and adds meetings through the HTTP API exactly as scale.ts does, one at a time:
// statements per meeting for create, captions and the pipeline (by command and collection),
// the time from the captions' upload to the pipeline's end, the share of it with no statement
// in flight (idle waits, e.g. for a job poll), and the CPU of this process and of FerretDB. Then
// as many again, 8 at a time, for throughput; then the purge of them all, counted too.
// Figures only; nothing here asserts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { CommandStartedEvent } from 'mongodb';
import { loadConfig } from '../../infra/server/config.ts';
import { createLogger } from '../../core/logger.ts';
import { purgeExpiredForTenant } from '../../core/meetings/retention/retention.ts';
import { verifiedTenantContext } from '../../core/store/tenant-context.ts';
import { freePort } from '../../infra/local/embedded-db.ts';
import { startQuorum, type RunningQuorum } from '../../infra/server/quorum.ts';
import { Client, PASSWORD, PEOPLE, createMeeting as createScaleMeeting, webvtt } from './scale.ts';

const HOUR = 3_600_000;

/** Counts statements (each update and delete statement; one per other command) by key. */
class Recorder {
  readonly counts = new Map<string, number>();
  /** Milliseconds from each command's start to its answer, by key (the database's time). */
  readonly durations = new Map<string, number>();
  readonly #keys = new Map<number, string>();
  statements = 0;
  inFlight = 0;
  idleSince = performance.now();
  idleMs = 0;

  started(e: CommandStartedEvent): void {
    const command = e.command as Record<string, unknown>;
    const collection = String(command[e.commandName] ?? '');
    const n =
      e.commandName === 'update'
        ? (command.updates as unknown[]).length
        : e.commandName === 'delete'
          ? (command.deletes as unknown[]).length
          : 1;
    const key = `${e.commandName} ${collection}`;
    this.#keys.set(e.requestId, key);
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
    this.statements += n;
    if (this.inFlight++ === 0) this.idleMs += performance.now() - this.idleSince;
  }

  finished(e: { requestId: number; duration: number }): void {
    const key = this.#keys.get(e.requestId);
    this.#keys.delete(e.requestId);
    if (key) this.durations.set(key, (this.durations.get(key) ?? 0) + e.duration);
    if (--this.inFlight === 0) this.idleSince = performance.now();
  }

  reset(): void {
    this.counts.clear();
    this.durations.clear();
    this.statements = 0;
    this.idleMs = 0;
    this.idleSince = performance.now();
  }

  /** Idle time since the last reset, the current gap included. */
  idle(): number {
    return this.idleMs + (this.inFlight === 0 ? performance.now() - this.idleSince : 0);
  }
}

/** CPU seconds (user + system) of a process, from /proc. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function ferretPid(): number {
  const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8');
  for (const pid of children.trim().split(/\s+/).map(Number)) {
    if (readFileSync(`/proc/${pid}/comm`, 'utf8').includes('ferretdb')) return pid;
  }
  throw new Error('no FerretDB child found');
}

function perMeeting(counts: Map<string, number>, meetings: number): Record<string, number> {
  return Object.fromEntries(
    [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([key, n]) => [key, Math.round((n / meetings) * 10) / 10]),
  );
}

const total = (counts: Map<string, number>, meetings: number) =>
  Math.round(([...counts.values()].reduce((a, b) => a + b, 0) / meetings) * 10) / 10;

async function start(dataDir: string): Promise<RunningQuorum> {
  const port = await freePort();
  const loaded = loadConfig({
    PORT: String(port),
    QUORUM_BASE_URL: `http://127.0.0.1:${port}`,
    QUORUM_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  });
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const sink = new Writable({ write: (_c, _e, done) => done() });
  return startQuorum(loaded.config, createLogger({ level: 'warn', destination: sink }), {
    monitorCommands: true,
  });
}

const createMeeting = (ana: Client, n: number) => createScaleMeeting(ana, n, 'profile');

interface Run {
  quorum: RunningQuorum;
  ana: Client;
  recorder: Recorder;
  ferret: number;
  /** Resolves when the pipeline has run for the meeting. */
  processed(meetingId: string): Promise<void>;
}

/** One meeting at a time: statements of each phase, pipeline latency and its idle share. */
async function sequential(run: Run, meetings: number) {
  const { ana, recorder, ferret } = run;
  const phases = {
    create: new Map<string, number>(),
    captions: new Map<string, number>(),
    pipeline: new Map<string, number>(),
  };
  const ms = {
    create: new Map<string, number>(),
    captions: new Map<string, number>(),
    pipeline: new Map<string, number>(),
  };
  const add = (into: Map<string, number>) => {
    for (const [k, v] of recorder.counts) into.set(k, (into.get(k) ?? 0) + v);
    const phase = Object.keys(phases).find(
      (name) => phases[name as keyof typeof phases] === into,
    ) as keyof typeof ms;
    for (const [k, v] of recorder.durations) ms[phase].set(k, (ms[phase].get(k) ?? 0) + v);
    recorder.reset();
  };
  let waitMs = 0;
  let idleMs = 0;
  const cpu0 = { node: process.cpuUsage(), ferret: cpuOf(ferret) };
  const begun = performance.now();
  for (let n = 0; n < meetings; n++) {
    recorder.reset();
    const id = await createMeeting(ana, n);
    add(phases.create);
    const processed = run.processed(id);
    await ana.call('POST', `/api/meetings/${id}/captions`, webvtt(n, `zzmark${n}`), 'text/vtt');
    add(phases.captions);
    const uploaded = performance.now();
    await processed;
    waitMs += performance.now() - uploaded;
    idleMs += recorder.idle();
    add(phases.pipeline);
  }
  const cpu = process.cpuUsage(cpu0.node);
  return {
    bench: 'scale-profile.sequential',
    meetings,
    msPerMeeting: Math.round((performance.now() - begun) / meetings),
    pipelineMsPerMeeting: Math.round(waitMs / meetings),
    pipelineIdleShare: Math.round((idleMs / waitMs) * 100) / 100,
    cpuNodeMsPerMeeting: Math.round((cpu.user + cpu.system) / 1000 / meetings),
    cpuFerretMsPerMeeting: Math.round(((cpuOf(ferret) - cpu0.ferret) * 1000) / meetings),
    statements: {
      create: total(phases.create, meetings),
      captions: total(phases.captions, meetings),
      pipeline: total(phases.pipeline, meetings),
    },
    pipelineByCommand: perMeeting(phases.pipeline, meetings),
    createByCommand: perMeeting(phases.create, meetings),
    captionsByCommand: perMeeting(phases.captions, meetings),
    databaseMs: {
      create: total(ms.create, meetings),
      captions: total(ms.captions, meetings),
      pipeline: total(ms.pipeline, meetings),
    },
    pipelineMsByCommand: perMeeting(ms.pipeline, meetings),
    createMsByCommand: perMeeting(ms.create, meetings),
  };
}

/** 8 at a time, as the scale bench grows: throughput and CPU. */
async function parallel(run: Run, from: number, meetings: number) {
  const { ana, ferret } = run;
  const cpu0 = { node: process.cpuUsage(), ferret: cpuOf(ferret) };
  const begun = performance.now();
  let next = from;
  const waits: Promise<void>[] = [];
  const worker = async () => {
    while (next < from + meetings) {
      const n = next++;
      const id = await createMeeting(ana, n);
      waits.push(run.processed(id));
      await ana.call('POST', `/api/meetings/${id}/captions`, webvtt(n, `zzmark${n}`), 'text/vtt');
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await Promise.all(waits);
  const cpu = process.cpuUsage(cpu0.node);
  return {
    bench: 'scale-profile.parallel-8',
    meetings,
    msPerMeeting: Math.round((performance.now() - begun) / meetings),
    cpuNodeMsPerMeeting: Math.round((cpu.user + cpu.system) / 1000 / meetings),
    cpuFerretMsPerMeeting: Math.round(((cpuOf(ferret) - cpu0.ferret) * 1000) / meetings),
  };
}

async function purge(run: Run, tenantId: string) {
  const { quorum, recorder, ferret } = run;
  await quorum.jobs?.stop();
  const { kit } = quorum.services.meetings;
  const yearAhead = new Date(Date.now() + 400 * 24 * HOUR);
  recorder.reset();
  const cpu0 = { node: process.cpuUsage(), ferret: cpuOf(ferret) };
  const begun = performance.now();
  const report = await purgeExpiredForTenant(
    { kit: { ...kit, now: () => yearAhead } },
    verifiedTenantContext(tenantId, 'system'),
  );
  const ms = performance.now() - begun;
  const cpu = process.cpuUsage(cpu0.node);
  return {
    bench: 'scale-profile.purge',
    purged: report.purged,
    msPerMeeting: Math.round((ms / report.purged) * 10) / 10,
    statementsPerMeeting: Math.round((recorder.statements / report.purged) * 10) / 10,
    cpuNodeMsPerMeeting: Math.round((cpu.user + cpu.system) / 1000 / report.purged),
    cpuFerretMsPerMeeting: Math.round(((cpuOf(ferret) - cpu0.ferret) * 1000) / report.purged),
    byCommand: perMeeting(recorder.counts, report.purged),
    msByCommand: perMeeting(recorder.durations, report.purged),
  };
}

export async function benchScaleProfile(meetings = 40, prefill = 0) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quorum-bench-profile-'));
  const quorum = await start(dataDir);
  const recorder = new Recorder();
  const client = quorum.store.connection.getClient();
  client.on('commandStarted', (e) => recorder.started(e));
  client.on('commandSucceeded', (e) => recorder.finished(e));
  client.on('commandFailed', (e) => recorder.finished(e));
  // The end of each meeting's pipeline run, whichever way (Agenda or in process) its job ran.
  const waiting = new Map<string, () => void>();
  const { meetings: meetingServices } = quorum.services;
  const process0 = meetingServices.pipeline.process.bind(meetingServices.pipeline);
  meetingServices.pipeline.process = async (tenantId, meetingId) => {
    const outcome = await process0(tenantId, meetingId);
    if (outcome !== 'busy') waiting.get(meetingId)?.();
    return outcome;
  };
  const figures: Record<string, unknown>[] = [];
  try {
    const ana = new Client(quorum.url!);
    await ana.call('POST', '/auth/signup', {
      organization: 'Profile',
      name: PEOPLE[0]!.name,
      email: PEOPLE[0]!.email,
      password: PASSWORD,
    });
    const tenantId = (await ana.call('GET', '/api/me')).tenantId as string;
    for (const p of PEOPLE.slice(1)) {
      await ana.call('POST', '/api/admin/people', { ...p, password: PASSWORD });
    }
    const run: Run = {
      quorum,
      ana,
      recorder,
      ferret: ferretPid(),
      processed: (id) => new Promise<void>((resolve) => waiting.set(id, resolve)),
    };
    // A tenant of `prefill` meetings first, so the figures show what grows with it.
    if (prefill > 0) await parallel(run, 2 * meetings, prefill);
    figures.push(await sequential(run, meetings));
    figures.push(await parallel(run, meetings, meetings));
    figures.push(await purge(run, tenantId));
  } finally {
    await quorum.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}

export function profilePrefillFromArgs(args: string[]): number {
  const given = args.find((a) => a.startsWith('--profile-prefill='));
  return given ? Number.parseInt(given.slice('--profile-prefill='.length), 10) : 0;
}

export function profileMeetingsFromArgs(args: string[]): number {
  const given = args.find((a) => a.startsWith('--profile-meetings='));
  return given ? Number.parseInt(given.slice('--profile-meetings='.length), 10) : 40;
}
