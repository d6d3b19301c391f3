// Every storage migration step, in the order they run at start (see core/store/migrations.ts).
// A step is appended when a layout changes; shipped steps are never removed or reordered while
// a data folder written before them may still be opened.
import { zoomListsStep } from '../../addins/zoom/store/migrations.ts';
import { slackProposalsStep } from '../../core/assistant/proposals/migration.ts';
import { slackListsStep } from '../../bots/slack/store/migrations.ts';
import {
  teamsListsStep,
  teamsMeetingChatsStep,
  teamsProposalsStep,
} from '../../bots/teams/store/migrations.ts';
import { slackSummaryMarkersStep } from '../../bots/slack/summaries.ts';
import { teamsSummaryMarkersStep } from '../../bots/teams/summaries.ts';
import { identityMigrationSteps } from '../../core/identity/migrations.ts';
import { meetingLayoutStep } from '../../core/meetings/migration.ts';
import { retentionFromArrivalStep } from '../../core/meetings/retention/retention-migration.ts';
import { outboxDayListsStep, outboxHourListsStep } from '../../core/delivery/outbox-migration.ts';
import { searchPostingsStep } from '../../core/meetings/search/search-migration.ts';
import { timelinePartsStep } from '../../core/meetings/timeline-migration.ts';
import { auditStringIdsStep } from '../../core/privacy/audit-migration.ts';
import { certificateSubjectsStep } from '../../core/privacy/certificate-migration.ts';
import { schedulingMigrationSteps } from '../../core/scheduling/migrations.ts';
import type { MigrationStep } from '../../core/store/migrations.ts';
import type { ScrubbableStorage } from '../../core/privacy/deletion-certificates.ts';
import { PROPOSAL_TITLES, Proposal } from '../../core/assistant/proposals/model.ts';
import { localEventTitlesMigration } from '../../core/calendars/local/local-titles-migration.ts';
import { Meeting } from '../../core/meetings/models.ts';
import { sealedTitles } from '../../core/privacy/sealed-titles.ts';
import { sealTitlesStep } from '../../core/privacy/title-migration.ts';
import { bookingTitlesMigration } from '../../core/scheduling/booking/booking-records.ts';
import { POLL_TITLES, Poll } from '../../core/scheduling/polls/poll-service.ts';
import { emailRecipientListsStep } from '../../core/email/recipient-migration.ts';
import type { Services } from './services.ts';

export const migrationSteps: readonly MigrationStep[] = [
  // Identity and platform links (control database): key documents and owner lists.
  ...identityMigrationSteps,
  slackListsStep,
  teamsListsStep,
  zoomListsStep,
  // Scheduling and calendars: local calendar weeks, the booking index, connection keys, pages.
  ...schedulingMigrationSteps,
  // Search postings, the outbox's day lists then hour lists, audit string ids, certificate
  // subjects.
  searchPostingsStep,
  outboxDayListsStep,
  outboxHourListsStep,
  auditStringIdsStep,
  certificateSubjectsStep,
  // Teams meetings' chats, addressed by Quorum meeting.
  teamsMeetingChatsStep,
  // Slack and Teams proposals in flight, into the assistant's one proposal store.
  slackProposalsStep,
  // The chat adapters' markers of posted summaries, into core/delivery's send ledger.
  slackSummaryMarkersStep,
  teamsSummaryMarkersStep,
  // Teams proposals in flight, into the assistant's one proposal store.
  teamsProposalsStep,
  // Email messages listed by recipient, for export and erasure.
  emailRecipientListsStep,
  // Meeting timelines: a month's document split in parts, so a new meeting rewrites a small one.
  timelinePartsStep,
];

type KeyHolders = Pick<Services, 'meetings' | 'envelope' | 'store'>;

/**
 * Steps that re-encrypt or re-list meeting content need the services that hold the keys and the
 * lists; they run after every step above. `storage` scrubs the database's files after titles
 * were sealed.
 */
export function contentMigrationSteps(
  services: KeyHolders,
  storage?: ScrubbableStorage,
): readonly MigrationStep[] {
  const { envelope, store } = services;
  return [
    meetingLayoutStep(services.meetings.kit),
    // Retention counted from when content arrived, not from the meeting's dates.
    retentionFromArrivalStep(services.meetings.kit),
    // Titles written in plaintext (proposals the steps above moved included), sealed.
    sealTitlesStep(
      [
        { model: Meeting, titles: services.meetings.kit.titles, fields: ['title'] },
        bookingTitlesMigration(store, envelope),
        { model: Poll, titles: sealedTitles(envelope, POLL_TITLES), fields: ['title'] },
        { model: Proposal, titles: sealedTitles(envelope, PROPOSAL_TITLES), fields: ['title'] },
        localEventTitlesMigration(envelope),
      ],
      storage ? { scrub: () => storage.scrub() } : {},
    ),
  ];
}

/** Every step, in order. */
export function allMigrationSteps(
  services: KeyHolders,
  storage?: ScrubbableStorage,
): readonly MigrationStep[] {
  return [...migrationSteps, ...contentMigrationSteps(services, storage)];
}
