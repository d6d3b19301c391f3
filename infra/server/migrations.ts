// Every storage migration step, in the order they run at start (see core/store/migrations.ts).
// A step is appended when a layout changes; shipped steps are never removed or reordered while
// a data folder written before them may still be opened.
import { outboxDayListsStep } from '../../core/meetings/outbox-migration.ts';
import { searchPostingsStep } from '../../core/meetings/search-migration.ts';
import { auditStringIdsStep } from '../../core/privacy/audit-migration.ts';
import { certificateSubjectsStep } from '../../core/privacy/certificate-migration.ts';
import type { MigrationStep } from '../../core/store/migrations.ts';

export const migrationSteps: readonly MigrationStep[] = [
  searchPostingsStep,
  outboxDayListsStep,
  auditStringIdsStep,
  certificateSubjectsStep,
];
