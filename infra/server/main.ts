// The server's entry point (`npm start`, the container's CMD). First the memory allocator: this
// process may replace itself once with jemalloc preloaded (allocator.ts), before anything else
// runs. The composition (quorum.ts, over a second to load) is loaded only after that, by the
// process that keeps running, so the step costs no start-up time.
import { fileURLToPath } from 'node:url';
import { reexecWithAllocator } from './allocator.ts';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  reexecWithAllocator();
  const { main } = await import('./quorum.ts');
  await main();
}
