// `npm run bench`: runs every benchmark and prints one JSON line per figure.
// Figures are printed, never asserted: tests do not depend on timing.
import { benchIdLookups } from './id-lookups.ts';
import { benchMeetings, purgeOptionsFromArgs } from './meetings.ts';
import { benchOutboxFeed, outboxFeedModuleFromArgs } from './outbox-feed.ts';
import { benchScale, keepCopyFromArgs, scaleSizesFromArgs } from './scale.ts';
import {
  benchScaleProfile,
  profileMeetingsFromArgs,
  profilePrefillFromArgs,
} from './scale-profile.ts';
import { benchScheduling } from './scheduling.ts';
import { benchServer } from './server.ts';
import { benchSlack } from './slack.ts';
import { benchSoak, soakOptionsFromArgs } from './soak.ts';
import { benchSpeech } from './speech.ts';
import { benchStall, stallOptionsFromArgs } from './stall.ts';
import { benchSummaries } from './summaries.ts';
import { benchTeams } from './teams.ts';

const benches: Array<[string, () => Promise<Record<string, unknown>[]>]> = [
  ['server', benchServer],
  ['id-lookups', benchIdLookups],
  ['scheduling', benchScheduling],
  ['speech', benchSpeech],
  ['summaries', benchSummaries],
  ['slack', benchSlack],
  ['teams', benchTeams],
  [
    'scale',
    () =>
      benchScale(scaleSizesFromArgs(process.argv.slice(2)), {
        keepCopy: keepCopyFromArgs(process.argv.slice(2)),
      }),
  ],
  [
    'scale-profile',
    () =>
      benchScaleProfile(
        profileMeetingsFromArgs(process.argv.slice(2)),
        profilePrefillFromArgs(process.argv.slice(2)),
      ),
  ],
  ['outbox-feed', () => benchOutboxFeed(outboxFeedModuleFromArgs(process.argv.slice(2)))],
  ['stall', () => benchStall(stallOptionsFromArgs(process.argv.slice(2)))],
  ['soak', () => benchSoak(soakOptionsFromArgs(process.argv.slice(2)))],
  [
    'meetings',
    () => {
      const options = purgeOptionsFromArgs(process.argv.slice(2));
      return benchMeetings(options.sizes, options);
    },
  ],
];

// Names choose benches; `--options` are read by the benches themselves.
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
for (const [name, bench] of benches) {
  if (only.length > 0 && !only.includes(name)) continue;
  for (const figure of await bench()) process.stdout.write(`${JSON.stringify(figure)}\n`);
}
