// `quorum demo`: fills a demo organization through the same services the server uses (so the
// meeting's captions are encrypted and summarized by the real pipeline), then prints who can
// sign in and with which password. Talks to the embedded database of a running Quorum, or
// starts it for the moment, like `quorum db status`.
import { Writable } from 'node:stream';
import type { Config } from '../server/config.ts';
import { createLogger } from '../../core/logger.ts';
import { AccountError } from '../../core/identity/accounts.ts';
import { MeetingError } from '../../core/meetings/index.ts';
import { openStore } from '../../core/store/store.ts';
import { declareMigrationSteps } from '../../core/store/migrations.ts';
import { allMigrationSteps } from '../server/migrations.ts';
import { openDatabase } from '../local/database.ts';
import { createServices } from '../server/services.ts';
import { DemoError, demoPassword, seedDemo, type DemoReport } from './demo-data.ts';

/** Messages a person can act on; anything else is reported without its stack. */
function explain(error: unknown): string {
  if (
    error instanceof DemoError ||
    error instanceof AccountError ||
    error instanceof MeetingError
  ) {
    return error.message;
  }
  return `the demo could not be completed: ${(error as Error).message}`;
}

function print(report: DemoReport, baseUrl: string): void {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`Demo organization "${report.organization}" (tenant ${report.tenantId})`);
  out();
  out(`Sign in at ${baseUrl}/ with any of these; the password of all of them is:`);
  out(`  ${report.password}`);
  out('(a new one is set each time `quorum demo` runs)');
  out();
  for (const p of report.people) {
    out(
      `  ${p.email.padEnd(28)} ${p.name.padEnd(10)} ${p.role.padEnd(7)} ${p.timeZone.padEnd(18)}` +
        (p.created ? ' new' : ''),
    );
  }
  out();
  out(`Local calendars: ${report.busyEvents} busy events in the coming week`);
  const m = report.meeting;
  out(
    `Meeting "${m.title}" (${m.startsAt}): ${m.status}; ${m.transcriptLines} transcript lines, ` +
      `${m.decisions} decisions, ${m.actionItems} action items` +
      (m.created ? '' : ' (already there)'),
  );
  if (report.booking) {
    out(
      `Upcoming: "${report.booking.title}" at ${report.booking.start}` +
        (report.booking.created ? '' : ' (already booked)'),
    );
  }
  if (report.bookingPage) {
    out(
      `Booking page: "${report.bookingPage.title}" at ${baseUrl}/book/${report.bookingPage.slug}` +
        (report.bookingPage.created ? '' : ' (already there)'),
    );
  }
  for (const note of report.notes) out(`Note: ${note}`);
}

export async function demoCommand(config: Config, options: { json?: boolean }): Promise<number> {
  let database;
  try {
    database = await openDatabase({ mongodbUri: config.mongodbUri, dataDir: config.dataDir });
  } catch (error) {
    process.stderr.write(`Database unavailable: ${(error as Error).message}\n`);
    return 1;
  }
  // The services log JSON lines; the demo shows only warnings and errors, on stderr.
  const logger = createLogger({
    level: 'warn',
    destination: new Writable({
      write(chunk, _encoding, done) {
        process.stderr.write(chunk, () => done());
      },
    }),
  });
  try {
    const store = await openStore({
      uri: database.uri,
      controlDbName: config.controlDb,
      serverSelectionTimeoutMs: 5000,
    });
    try {
      // No chat adapters: the demo must not connect to Slack or answer its events.
      const services = await createServices(
        { ...config, slack: undefined },
        store,
        logger,
        database,
      );
      // The demo's tenant is written in today's layout: no start runs a migration step over it.
      declareMigrationSteps(
        store,
        allMigrationSteps(services).map((step) => step.name),
      );
      const report = await seedDemo(services, { password: demoPassword() });
      if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else print(report, config.baseUrl);
      return report.meeting.status === 'ready' ? 0 : 1;
    } finally {
      await store.close();
    }
  } catch (error) {
    process.stderr.write(`quorum demo: ${explain(error)}\n`);
    return 1;
  } finally {
    await database.stop();
  }
}
