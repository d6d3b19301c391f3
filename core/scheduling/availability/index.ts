// The availability engine's public API: what booking, adapters and the `quorum slots` command call.
export { findAllSlots, findBestSlots } from './find-slots.ts';
export { seriesHours, type SeriesHours } from './series-hours.ts';
export { isKnownTimeZone } from './zone-timeline.ts';
export { parseClock } from './working-hours.ts';
export {
  WORKING_HOURS_MODES,
  type AcceptableHours,
  type OutsideHours,
  type WorkingHoursMode,
  BUSY_STATUSES,
  PARTS_OF_DAY,
  WEEKDAYS,
  type AttendeeAvailability,
  type BusyInterval,
  type BusyStatus,
  type PartOfDay,
  type ScorePart,
  type Slot,
  type SlotPreferences,
  type SlotSearch,
  type Weekday,
  type WorkingHoursRule,
} from './types.ts';
export {
  parseSlotRequest,
  acceptableHours as acceptableHoursInput,
  MAX_ATTENDEES,
  MAX_WINDOW_DAYS,
  type SlotRequestResult,
} from './slot-request.ts';
