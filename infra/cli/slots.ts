// `quorum slots`: the fixed stdin/stdout contract over the availability engine.
import { text } from 'node:stream/consumers';
import { runSlotsCommand } from '../../core/scheduling/slots-command.ts';

export async function slotsCommand(options: { all?: boolean }): Promise<number> {
  const input = await text(process.stdin);
  const result = runSlotsCommand(input, { all: Boolean(options.all) });
  if (result.stdout)
    process.stdout.write(result.stdout.endsWith('\n') ? result.stdout : `${result.stdout}\n`);
  if (result.stderr)
    process.stderr.write(result.stderr.endsWith('\n') ? result.stderr : `${result.stderr}\n`);
  return result.exitCode;
}
