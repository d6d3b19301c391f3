// The `quorum` operator command. Each subcommand is a thin shell over core services, loaded
// only when it runs so that `quorum --help` stays fast.
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { loadConfig, type Config } from '../../core/config.ts';

function configOrExit(): Config {
  const result = loadConfig(process.env);
  if (!result.ok) {
    for (const problem of result.problems) process.stderr.write(`${problem}\n`);
    process.exit(2);
  }
  return result.config;
}

const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

const program = new Command()
  .name('quorum')
  .description(
    'Operate Quorum: database, scheduling and (as features land) keys, audit, demo data.',
  )
  .version(version)
  .showHelpAfterError('(run `quorum --help` for the commands)')
  .exitOverride();

const db = program.command('db').description('the database Quorum uses');
db.command('status')
  .description('show which database Quorum uses, whether it answers, and what it holds')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const { dbStatusCommand } = await import('./db-status.ts');
    process.exitCode = await dbStatusCommand(configOrExit(), options);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`quorum: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
