#!/usr/bin/env node
// Entry point of the `quorum` command. Node 24 runs the TypeScript sources directly (type
// stripping); an older Node gets a clear message instead of a syntax error.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `quorum needs Node 22.18 or newer; this is ${process.version}.\n` +
      'Run it as `npx quorum …` from the checkout after `npm install`: npm puts the project’s own Node 24 first.\n',
  );
  process.exit(1);
}
await import('../infra/cli/main.ts');
