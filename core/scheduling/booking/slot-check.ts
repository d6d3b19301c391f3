// Free/busy checks around a booking: the chosen slot again just before writing, and the next
// best times when it was taken.
import type { TenantContext } from '../../store/tenant-context.ts';
import type { Slot } from '../availability/index.ts';
import { findTimes, type FindTimesResult, type SchedulingDeps } from '../find-times.ts';
import type { BookingAttendee } from './booking-model.ts';

/** Re-checks the slot against everyone's calendar right now. */
export async function recheck(
  deps: SchedulingDeps,
  ctx: TenantContext,
  organizerEmail: string,
  attendees: BookingAttendee[],
  start: Date,
  end: Date,
) {
  const durationMinutes = Math.round((end.getTime() - start.getTime()) / 60_000);
  // Just this slot, for conflicts only: a time chosen outside working hours stays bookable.
  const result = await findTimes(deps, ctx, {
    organizerEmail,
    attendees: attendees.map((a) => ({ email: a.email, optional: a.optional })),
    durationMinutes,
    window: { start, end },
    granularityMinutes: 1,
    limit: 1,
    ignoreWorkingHours: true,
    now: new Date(Math.min(Date.now(), start.getTime())),
  });
  return result;
}

export async function alternativesAfter(
  deps: SchedulingDeps,
  ctx: TenantContext,
  request: { organizerEmail: string; attendees: BookingAttendee[]; start: Date; end: Date },
): Promise<Slot[]> {
  const durationMinutes = Math.round((request.end.getTime() - request.start.getTime()) / 60_000);
  const result = await findTimes(deps, ctx, {
    organizerEmail: request.organizerEmail,
    attendees: request.attendees.map((a) => ({ email: a.email, optional: a.optional })),
    durationMinutes,
    window: {
      start: new Date(Math.max(Date.now(), request.start.getTime() - 7 * 86_400_000)),
      end: new Date(request.start.getTime() + 14 * 86_400_000),
    },
    limit: 3,
    exclude: [{ start: request.start.getTime(), end: request.end.getTime() }],
  });
  return result.slots;
}

export function stillFree(result: FindTimesResult, start: Date): boolean {
  return result.slots.some((s) => s.start === start.getTime());
}
