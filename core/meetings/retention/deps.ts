// What the retention jobs are built with (core/meetings/retention/).
import type { MeetingsKit } from '../kit.ts';

export type RetentionCheckpoint = 'content-erased' | 'certified';

export interface RetentionDeps {
  kit: MeetingsKit;
  batchSize?: number;
  /**
   * Called inside each meeting's purge. A checkpoint that throws stops the run there, as a
   * crash would: the crash tests' way in.
   */
  checkpoint?: (point: RetentionCheckpoint, meetingId: string) => void | Promise<void>;
}
