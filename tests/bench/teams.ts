// Teams figures against the real server on loopback (a child process on the embedded database,
// as `npm start` runs it) with the local Bot Connector: how long Quorum takes to answer an
// activity (the Teams SDK answers within the request, so the HTTP response comes after the
// reply was posted to the Bot Connector), for `help` and for `find 30m with @Raj next week`,
// 300 activities 30 at a time, each with its Bot Connector token verified.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../infra/local/embedded-db.ts';
import { projectRoot } from '../../infra/local/ferretdb-binary.ts';
import { startFakeBotConnector } from '../support/fake-bot-connector.ts';

const MS_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CHAT = '19:bench@thread.v2';

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

export async function benchTeams(
  activities = 300,
  concurrency = 30,
): Promise<Record<string, unknown>[]> {
  const connector = await startFakeBotConnector();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quorum-bench-teams-'));
  const caFile = path.join(dataDir, 'connector.pem');
  writeFileSync(caFile, connector.cert);
  connector.members.set(CHAT, [
    {
      id: '29:ana',
      aadObjectId: 'a1a1a1a1-0000-4000-8000-00000000a0a1',
      name: 'Ana Lopez',
      email: 'ana@bench.example',
    },
    {
      id: '29:raj',
      aadObjectId: 'b2b2b2b2-0000-4000-8000-00000000b0b2',
      name: 'Raj Patel',
      email: 'raj@guest.example',
    },
  ]);
  const server = await startServer(dataDir, {
    NODE_EXTRA_CA_CERTS: caFile,
    LOG_LEVEL: 'warn',
    TEAMS_CLIENT_ID: connector.appId,
    TEAMS_CLIENT_SECRET: connector.appSecret,
    TEAMS_TENANT_ID: MS_TENANT,
    TEAMS_LOGIN_URL: connector.url,
    TEAMS_OPENID_METADATA_URL: connector.openIdMetadataUrl,
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
    const token = await connector.sign();
    const url = new URL(server.url);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const botId = `28:${connector.appId}`;
    let n = 0;
    const send = (text: string, mentionRaj: boolean) => {
      const body = JSON.stringify({
        type: 'message',
        id: `${Date.now()}${n++}`,
        serviceUrl: connector.serviceUrl,
        channelId: 'msteams',
        from: {
          id: '29:ana',
          name: 'Ana Lopez',
          aadObjectId: 'a1a1a1a1-0000-4000-8000-00000000a0a1',
        },
        conversation: {
          isGroup: true,
          conversationType: 'groupChat',
          tenantId: MS_TENANT,
          id: CHAT,
        },
        recipient: { id: botId, name: 'Quorum' },
        channelData: { tenant: { id: MS_TENANT } },
        text: `<at>Quorum</at> ${text}`,
        entities: [
          { type: 'mention', text: '<at>Quorum</at>', mentioned: { id: botId, name: 'Quorum' } },
          ...(mentionRaj
            ? [
                {
                  type: 'mention',
                  text: '<at>Raj Patel</at>',
                  mentioned: { id: '29:raj', name: 'Raj Patel' },
                },
              ]
            : []),
        ],
      });
      return new Promise<number>((resolve, reject) => {
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path: '/api/messages',
            agent,
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${token}`,
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    };
    const run = async (text: string, mentionRaj: boolean) => {
      // Warm-up: links Ana by email, loads the code paths, opens connections.
      await Promise.all(Array.from({ length: concurrency }, () => send(text, mentionRaj)));
      const times: number[] = [];
      let next = 0;
      const worker = async () => {
        while (next < activities) {
          next += 1;
          const begun = performance.now();
          const status = await send(text, mentionRaj);
          times.push(performance.now() - begun);
          if (status !== 200) throw new Error(`activity answered ${status}`);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      return times;
    };
    const shape = { activities, concurrency };
    const help = await run('help', false);
    const find = await run('find 30m with <at>Raj Patel</at> next week', true);
    return [
      figures('teams.help-reply', help, shape),
      figures('teams.find-reply', find, shape),
      { bench: 'teams.replies-posted', count: connector.sent.length },
    ];
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    await connector.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) {
  for (const figure of await benchTeams()) process.stdout.write(`${JSON.stringify(figure)}\n`);
}
