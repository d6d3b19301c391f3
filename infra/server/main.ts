// The server's entry point (`npm start`, the container's CMD). It imports nothing heavy: the
// composition (quorum.ts, over a second to load) is loaded only once this process is the one
// that runs it.
import { fileURLToPath } from 'node:url';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { main } = await import('./quorum.ts');
  await main();
}
