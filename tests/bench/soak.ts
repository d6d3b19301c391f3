// Memory under bad input: the real server (a child process) takes rounds of generated bad
// requests; its resident memory (VmRSS from /proc) is read before, after each round and after
// idling. "After GC" figures come from the child's inspector (started on loopback for this run
// only: HeapProfiler.collectGarbage, then process.memoryUsage()), so production has no way to
// force a GC. With --snapshots, heap snapshots (through the same inspector) before and after
// show which kinds of objects the heap kept; taking one costs the child hundreds of MB of RSS,
// so the RSS figures of such a run are not comparable. After GC, resident memory is also split
// as the kernel counts it (anonymous memory, and file pages: the binary and its ICU data, paged
// in as code paths first run) and as V8 does (its heap, the buffers it knows of, and `other`:
// native memory, where a formatter kept per request or the allocator's high-water mark shows).
//
//   npm run bench -- soak [--requests=20000] [--rounds=4] [--idle-seconds=30] [--snapshots]
//   QUORUM_ALLOCATOR=system npm run bench -- soak      (glibc as the environment gives it)
import fc from 'fast-check';
import { WebSocket } from 'ws';
import { freePort } from '../../infra/local/embedded-db.ts';
import { badRequests } from '../support/bad-requests.ts';
import { prepareFuzzTarget, sendAll } from '../support/fuzz-target.ts';
import { startChildServer } from './child-server.ts';

export interface SoakOptions {
  requests: number;
  rounds: number;
  idleSeconds: number;
  snapshots: boolean;
}

export function soakOptionsFromArgs(args: string[]): SoakOptions {
  const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  return {
    requests: Number(value('requests') ?? 20_000),
    rounds: Number(value('rounds') ?? 4),
    idleSeconds: Number(value('idle-seconds') ?? 30),
    snapshots: args.includes('--snapshots'),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface HeapSnapshotFile {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

/** Objects in a heap snapshot by kind (constructor name for objects): count and bytes. */
function heapByKind(text: string): Map<string, { count: number; bytes: number }> {
  const snapshot = JSON.parse(text) as HeapSnapshotFile;
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const kinds = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]!]!;
    const kind = type === 'object' ? snapshot.strings[snapshot.nodes[i + nameAt]!]! : `(${type})`;
    const entry = kinds.get(kind) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += snapshot.nodes[i + sizeAt]!;
    kinds.set(kind, entry);
  }
  return kinds;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** The child's memory after a full GC, in MB. */
interface MemoryFigures {
  heapUsed: number;
  heapTotal: number;
  external: number;
  rss: number;
  other: number;
}

/** The child's inspector: a full GC on request, and its own view of its memory. */
async function inspector(port: number) {
  const [target] = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{
    webSocketDebuggerUrl: string;
  }>;
  const socket = new WebSocket(target!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let id = 0;
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<{ result?: { result?: { value?: string } } }>((resolve) => {
      const mine = ++id;
      const onMessage = (data: Buffer) => {
        const message = JSON.parse(String(data)) as { id?: number };
        if (message.id !== mine) return;
        socket.off('message', onMessage);
        resolve(message as never);
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id: mine, method, params }));
    });
  return {
    /** Collects garbage twice (weak references cleared by the first go in the second). */
    async afterGc(): Promise<MemoryFigures> {
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
      const answer = await call('Runtime.evaluate', {
        expression: 'JSON.stringify(process.memoryUsage())',
      });
      const usage = JSON.parse(answer.result!.result!.value!) as Record<string, number>;
      return {
        heapUsed: mb(usage.heapUsed!),
        heapTotal: mb(usage.heapTotal!),
        external: mb(usage.external!),
        rss: mb(usage.rss!),
        // What the process holds outside V8's heap and the buffers it knows of: native memory.
        other: mb(usage.rss! - usage.heapTotal! - usage.external!),
      };
    },
    /** A heap snapshot (taking one runs a full GC first), as its JSON text. */
    async snapshot(): Promise<string> {
      const chunks: string[] = [];
      const onChunk = (data: Buffer) => {
        const message = JSON.parse(String(data)) as {
          method?: string;
          params?: { chunk: string };
        };
        if (message.method === 'HeapProfiler.addHeapSnapshotChunk') {
          chunks.push(message.params!.chunk);
        }
      };
      socket.on('message', onChunk);
      await call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      socket.off('message', onChunk);
      return chunks.join('');
    },
    close: () => socket.close(),
  };
}

export async function benchSoak(
  options: SoakOptions = soakOptionsFromArgs([]),
): Promise<Record<string, unknown>[]> {
  const inspectPort = await freePort();
  const server = await startChildServer('soak', {}, () => [`--inspect=127.0.0.1:${inspectPort}`]);
  const figures: Record<string, unknown>[] = [];
  const child = await inspector(inspectPort);
  try {
    const target = await prepareFuzzTarget(server.url);
    const send = async (count: number, seed: number) => {
      fc.configureGlobal({ seed, numRuns: count });
      const statuses = new Map<number, number>();
      await sendAll(fc.sample(badRequests(target.fixtures)), target.send, 8, (_r, answer) => {
        if (answer instanceof Error) return;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      });
      return Object.fromEntries(statuses);
    };
    // Warm up (code compiled, caches filled, pools opened), then settle.
    await send(1000, 1);
    await sleep(options.idleSeconds * 1000);
    const idleStart = server.rssMb();
    const gcStart = await child.afterGc();
    const residentStart = server.residentMb();
    const before = options.snapshots ? heapByKind(await child.snapshot()) : undefined;
    figures.push({
      bench: 'soak',
      at: 'start (warmed up with 1,000 requests, idle)',
      allocator: server.allocator(),
      unit: 'MB',
      rss: idleStart,
      afterGc: { ...gcStart, anon: residentStart.anon, file: residentStart.file },
    });

    const perRound = Math.ceil(options.requests / options.rounds);
    for (let round = 1; round <= options.rounds; round += 1) {
      const begun = performance.now();
      const statuses = await send(perRound, 1000 + round);
      figures.push({
        bench: 'soak',
        at: `after round ${round}`,
        unit: 'MB',
        requests: perRound,
        seconds: Math.round((performance.now() - begun) / 100) / 10,
        rss: server.rssMb(),
        statuses,
      });
    }
    await sleep(options.idleSeconds * 1000);
    const idleEnd = server.rssMb();
    const gcEnd = await child.afterGc();
    const residentEnd = server.residentMb();
    figures.push({
      bench: 'soak',
      at: `idle ${options.idleSeconds} s after ${perRound * options.rounds} requests`,
      unit: 'MB',
      rss: idleEnd,
      peakRss: residentEnd.peak,
      afterGc: { ...gcEnd, anon: residentEnd.anon, file: residentEnd.file },
      rssGrowthAfterGc: Math.round((gcEnd.rss - gcStart.rss) * 10) / 10,
      anonGrowthAfterGc: Math.round((residentEnd.anon - residentStart.anon) * 10) / 10,
      heapGrowthAfterGc: Math.round((gcEnd.heapUsed - gcStart.heapUsed) * 10) / 10,
    });
    if (before) {
      const a = before;
      const b = heapByKind(await child.snapshot());
      const growth = [...b]
        .map(([kind, { count, bytes }]) => ({
          kind,
          count: count - (a.get(kind)?.count ?? 0),
          mb: mb(bytes - (a.get(kind)?.bytes ?? 0)),
        }))
        .sort((x, y) => y.mb - x.mb)
        .slice(0, 12);
      figures.push({ bench: 'soak', at: 'heap growth by kind', unit: 'MB', growth });
    }
    return figures;
  } finally {
    child.close();
    await server.stop();
  }
}
