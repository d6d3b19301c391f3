// The `quorum` operator command. Each subcommand is a thin shell over core services, loaded
// only when it runs so that `quorum --help` stays fast.
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { loadConfig, type Config } from '../server/config.ts';

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

program
  .command('slots')
  .description('find meeting slots: reads one JSON request on stdin, prints JSON on stdout')
  .option('--all', 'print every feasible slot in time order instead of the best ones')
  .action(async (options: { all?: boolean }) => {
    const { slotsCommand } = await import('./slots.ts');
    process.exitCode = await slotsCommand(options);
  });

const keys = program.command('keys').description("tenants' encryption keys");
keys
  .command('rotate')
  .description('make a new key-encryption key version for a tenant and re-wrap its data keys')
  .requiredOption('--tenant <id>', 'tenant id')
  .option('--json', 'print JSON')
  .action(async (options: { tenant: string; json?: boolean }) => {
    const { keysRotateCommand } = await import('./keys.ts');
    process.exitCode = await keysRotateCommand(configOrExit(), options);
  });

const audit = program.command('audit').description("tenants' audit logs");
audit
  .command('verify')
  .description(
    "check a tenant's audit chain and its anchors; names the first edited, removed or " +
      'reordered entry, and entries cut off the end after an anchor',
  )
  .requiredOption('--tenant <id>', 'tenant id')
  .option('--key <jwkFile>', "public key as a JWK or JWK Set (default: this deployment's key)")
  .option(
    '--anchor <file>',
    'an anchor kept elsewhere: a deletion certificate or a checkpoint from the log (repeatable)',
    (file: string, files: string[]) => [...files, file],
    [] as string[],
  )
  .option('--json', 'print JSON')
  .action(async (options: { tenant: string; json?: boolean; key?: string; anchor: string[] }) => {
    const { auditVerifyCommand } = await import('./audit.ts');
    process.exitCode = await auditVerifyCommand(configOrExit(), options);
  });

const certificate = program.command('certificate').description('deletion certificates');
certificate
  .command('verify')
  .argument('<file>', 'the certificate (JSON)')
  .description('check a deletion certificate offline; exit 0 only if signature and content match')
  .option('--key <jwkFile>', "public key as a JWK or JWK Set (default: this deployment's key)")
  .option('--json', 'print JSON')
  .action(async (file: string, options: { key?: string; json?: boolean }) => {
    const { certificateVerifyCommand } = await import('./certificate.ts');
    process.exitCode = await certificateVerifyCommand(configOrExit(), file, options);
  });

program
  .command('manifests')
  .description("write every platform's app manifests for this deployment and validate them")
  .requiredOption(
    '--base-url <url>',
    "Quorum's public https address, e.g. https://quorum.example.com",
  )
  .option('--out <dir>', 'folder to write them into', '.quorum/manifests')
  .option('--json', 'print JSON')
  .action(async (options: { baseUrl: string; out: string; json?: boolean }) => {
    const { manifestsCommand } = await import('./manifests.ts');
    process.exitCode = await manifestsCommand(options);
  });

program
  .command('demo')
  .description(
    'fill a demo organization: people with calendars and working hours, a summarized meeting',
  )
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const { demoCommand } = await import('./demo.ts');
    process.exitCode = await demoCommand(configOrExit(), options);
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
