// The pipeline's Agenda jobs: one meeting moved on, and the sweep that finds meetings left behind.
import { z } from 'zod';
import type { JobDefinition } from '../../jobs/registry.ts';
import { resumedBySweep } from '../../jobs/runner.ts';
import { PROCESS_MEETING, RESUME_MEETINGS } from '../job-names.ts';
import type { MeetingPipeline } from './pipeline.ts';

const jobData = z.object({ tenantId: z.string().min(1), meetingId: z.string().min(1) });

export function processMeetingJob(pipeline: MeetingPipeline): JobDefinition<{
  tenantId: string;
  meetingId: string;
}> {
  // Every meeting the pipeline owes work to is on its due list, and the resume job enqueues
  // those left untouched: a run lost with its process is found again, so a worker runs the
  // meetings it enqueues itself at once, without an Agenda record (core/jobs/runner.ts).
  return resumedBySweep({
    name: PROCESS_MEETING,
    // Most of a run is waiting for the database, one statement at a time; four runs at once
    // kept two cores busy where two left them half idle (scale bench). While meetings keep
    // arriving, more runs keep up better: growing 1,000 meetings took 107 s with four, 101 s
    // with eight, and 73 s with twelve (and the bench's clients raised from 16 to 24 in the same
    // run). The offline engine, which needs a core per run, limits its own decoding
    // (core/speech/pocketsphinx.ts).
    concurrency: 12,
    removeOnComplete: true,
    async run(data, { logger }) {
      const { tenantId, meetingId } = jobData.parse(data);
      const outcome = await pipeline.process(tenantId, meetingId);
      logger.info({ tenantId, meetingId, outcome }, 'meeting pipeline ran');
    },
  });
}

export function resumeMeetingsJob(pipeline: MeetingPipeline): JobDefinition {
  return {
    name: RESUME_MEETINGS,
    every: '5 minutes',
    runAtStart: true,
    async run(_data, { logger }) {
      const queued = await pipeline.resumeDue();
      if (queued > 0) logger.info({ queued }, 'meetings resumed');
    },
  };
}
