// A series' change on the local calendar: the event document keeps the rule and its exceptions,
// and the week documents follow (local-weeks.ts).
import { ProviderError, type SeriesChange } from '../provider.ts';
import { occurrenceAt, ruleEndingBefore } from '../../scheduling/recurrence/series.ts';
import type { SeriesSpec } from '../../scheduling/recurrence/expand.ts';
import type { LocalEventDoc } from './local-event-model.ts';

/** The event with `change` applied; refuses an occurrence the series does not have. */
export function changedSeries(event: LocalEventDoc, change: SeriesChange): LocalEventDoc {
  if (!event.recurrence) {
    throw new ProviderError(`local event ${event._id.toHexString()} is not a series`, 400);
  }
  const spec: SeriesSpec = {
    rule: event.recurrence,
    timeZone: event.timeZone,
    start: event.start,
    durationMinutes: (event.end.getTime() - event.start.getTime()) / 60_000,
  };
  if (!occurrenceAt(spec, change.original)) {
    throw new ProviderError(
      `the series has no occurrence starting ${change.original.toISOString()}`,
      404,
    );
  }
  const at = change.original.getTime();
  if (change.kind === 'end-series' && at === event.start.getTime()) {
    throw new ProviderError(
      'ending a series at its first occurrence cancels it: delete the event',
      400,
    );
  }
  const exceptions = event.exceptions ?? { cancelled: [], moved: [] };
  const moved = exceptions.moved.filter((m) => new Date(m.original).getTime() !== at);
  const cancelled = exceptions.cancelled.filter((d) => new Date(d).getTime() !== at);
  if (change.kind === 'cancel-occurrence') {
    return { ...event, exceptions: { cancelled: [...cancelled, change.original], moved } };
  }
  if (change.kind === 'move-occurrence') {
    const move = { original: change.original, start: change.start, end: change.end };
    return { ...event, exceptions: { cancelled, moved: [...moved, move] } };
  }
  const before = (d: Date) => new Date(d).getTime() < at;
  return {
    ...event,
    recurrence: ruleEndingBefore(spec, change.original),
    exceptions: {
      cancelled: exceptions.cancelled.filter(before),
      moved: exceptions.moved.filter((m) => before(m.original)),
    },
  };
}
