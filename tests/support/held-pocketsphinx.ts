// A decoder slower than real time, for certain: the real pocketsphinx_continuous, started
// through a launcher that holds it back until the test releases it. Put first on the PATH, it is
// what Quorum runs; while held it decodes nothing, however fast the machine, so the live path
// must keep all the audio waiting. Released, it is the ordinary program on the same audio.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface HeldPocketsphinx {
  /** The folder to put first on the PATH. */
  readonly bin: string;
  /** The real program, for decoding outside the hold. */
  readonly real: string;
  /** How many decoders were started (held or not). */
  started(): number;
  /** Lets every decoder started, and every later one, run. */
  release(): void;
  remove(): void;
}

export function heldPocketsphinx(): HeldPocketsphinx {
  const real = execFileSync('sh', ['-c', 'command -v pocketsphinx_continuous'], {
    encoding: 'utf8',
  }).trim();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quorum-held-sphinx-'));
  const bin = path.join(dir, 'bin');
  const gate = path.join(dir, 'released');
  const log = path.join(dir, 'started');
  writeFileSync(log, '');
  mkdirSync(bin);
  const launcher = path.join(bin, 'pocketsphinx_continuous');
  // The launcher waits for the gate file, then becomes the real program (same pid, same args).
  writeFileSync(
    launcher,
    [
      '#!/bin/sh',
      `echo started >> '${log}'`,
      `while [ ! -e '${gate}' ]; do sleep 0.02; done`,
      `exec '${real}' "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(launcher, 0o755);
  return {
    bin,
    real,
    started: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length,
    release: () => writeFileSync(gate, ''),
    remove: () => {
      if (!existsSync(gate)) writeFileSync(gate, '');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
