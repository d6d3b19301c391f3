// Every storage migration step, in the order they run at start (see core/store/migrations.ts).
// A step is appended when a layout changes; shipped steps are never removed or reordered while
// a data folder written before them may still be opened. Steps that re-encrypt content are
// built with the services that hold the keys.
import { teamsMeetingChatsStep } from '../../bots/teams/meetings.ts';
import { meetingLayoutStep } from '../../core/meetings/migration.ts';
import type { MigrationStep } from '../../core/store/migrations.ts';
import type { Services } from './services.ts';

export function migrationSteps(services: Pick<Services, 'meetings'>): readonly MigrationStep[] {
  return [meetingLayoutStep(services.meetings.kit), teamsMeetingChatsStep];
}
