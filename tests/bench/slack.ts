// Slack figures against the real server on loopback (a child process on the embedded database,
// as `npm start` runs it) and the local Slack: how long Quorum takes to acknowledge a
// `/meet find` (Slack allows 3 seconds; the target is p99 under 150 ms), 500 commands sent 50
// at a time, and how long until the times arrive at the command's response_url.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../infra/local/embedded-db.ts';
import { projectRoot } from '../../infra/local/ferretdb-binary.ts';
import { SlackSender, startFakeSlack } from '../support/fake-slack.ts';

const SECRET = 'bench-signing-secret-0123456789ab';
const TOKEN = 'xoxb-9999-8888-benchtoken';
const TEAM = 'T0BENCH';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function figures(name: string, values: number[], extra: Record<string, unknown>) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    bench: name,
    unit: 'ms',
    ...extra,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1)!),
  };
}

/**
 * The server as `npm start` runs it, its logs going to a file as a deployment's would: a pipe
 * read by this busy process would hold the server up on every log line.
 */
async function startServer(dataDir: string, env: Record<string, string>) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = openSync(path.join(dataDir, 'quorum.log'), 'a');
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(projectRoot, 'infra/server/main.ts')],
    {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: String(port),
        QUORUM_BASE_URL: url,
        QUORUM_DATA_DIR: dataDir,
        ...env,
      },
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { url, child, exited };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Quorum did not start; see ${path.join(dataDir, 'quorum.log')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A plain keep-alive HTTP client: fetch's own overhead would dominate what is measured. */
function sender(base: string) {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  return (body: string, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/slack/events',
          agent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

/** One server, one burst: acknowledgement and answer times of `commands` /meet find. */
async function burst(
  commands: number,
  concurrency: number,
  env: Record<string, string>,
): Promise<{ acks: number[]; answers: number[] }> {
  const fake = await startFakeSlack();
  fake.tokens.set(TEAM, TOKEN);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quorum-bench-slack-'));
  const server = await startServer(dataDir, {
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_API_URL: fake.apiUrl,
    ...env,
  });
  try {
    const signup = await fetch(`${server.url}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organization: 'Bench',
        name: 'Ana Lopez',
        email: 'ana@bench.example',
        password: 'copper-meadow-signal-58',
      }),
    });
    if (signup.status !== 201) throw new Error(`sign-up failed: ${await signup.text()}`);
    fake.addUser({ id: 'U0ANA', teamId: TEAM, name: 'Ana Lopez', email: 'ana@bench.example' });
    fake.addUser({ id: 'U0RAJ', teamId: TEAM, name: 'Raj Patel', email: 'raj@guest.example' });
    const slack = new SlackSender(server.url, SECRET, fake);
    const send = sender(server.url);
    const command = () => {
      const request = slack.commandRequest(
        { teamId: TEAM, userId: 'U0ANA' },
        'find 30m with <@U0RAJ|raj> next week afternoons',
      );
      return { request, status: send(request.body, request.headers) };
    };
    // Warm up, and let its answers finish: the first command links Ana by email; a burst loads
    // the code paths and opens the connections the measured burst uses.
    const warmUp = [command(), ...Array.from({ length: concurrency }, () => command())];
    await Promise.all(warmUp.map((w) => w.status));
    await fake.waitFor(
      () => warmUp.every((w) => fake.responsesTo(w.request.responseUrl).length > 0),
      60_000,
    );

    const acks: number[] = [];
    const sent: Array<{ url: string; at: number }> = [];
    let next = 0;
    const worker = async () => {
      while (next < commands) {
        next += 1;
        const begun = performance.now();
        const { request, status } = command();
        const code = await status;
        acks.push(performance.now() - begun);
        if (code !== 200) throw new Error(`command answered ${code}`);
        sent.push({ url: request.responseUrl, at: begun });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await fake.waitFor(() => sent.every((s) => fake.responsesTo(s.url).length > 0), 120_000);
    return { acks, answers: sent.map((s) => fake.responsesTo(s.url)[0]!.at - s.at) };
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchSlack(
  commands = 500,
  concurrency = 50,
): Promise<Record<string, unknown>[]> {
  const shape = { commands, concurrency };
  const logged = await burst(commands, concurrency, {});
  // The same without a log line per request: what Quorum's synchronous request log costs.
  const quiet = await burst(commands, concurrency, { LOG_LEVEL: 'warn' });
  return [
    figures('slack.find-ack', logged.acks, shape),
    figures('slack.find-answer', logged.answers, shape),
    figures('slack.find-ack.without-request-logs', quiet.acks, shape),
  ];
}

if (process.argv[1] === import.meta.filename) {
  for (const figure of await benchSlack()) process.stdout.write(`${JSON.stringify(figure)}\n`);
}
