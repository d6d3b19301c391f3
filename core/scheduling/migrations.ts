// The storage migration steps of scheduling and calendars (see core/store/migrations.ts), in
// the order they run: local events are re-keyed (and bookings pointed at their new ids) before
// the bookings are indexed.
import { connectionKeysStep } from '../calendars/connections/connection-migration.ts';
import { localCalendarWeeksStep } from '../calendars/local/local-migration.ts';
import type { MigrationStep } from '../store/migrations.ts';
import { bookingIndexStep } from './booking/booking-migration.ts';
import { pageOwnersStep } from './booking-pages/page-migration.ts';

export const schedulingMigrationSteps: readonly MigrationStep[] = [
  localCalendarWeeksStep,
  bookingIndexStep,
  connectionKeysStep,
  pageOwnersStep,
];
